/**
 * The API's lists: one typed spec per entity (columns, filters, sorts). Rows
 * come back with the API's field names; amounts as decimal strings.
 */
import { keyExpr, type Key, type ListSpec, type Order, type Params } from './list'

// ------------------------------------------------------------------ shared filters

export interface RangeFilter {
  blockFrom?: number
  blockTo?: number
  timeFrom?: Date
  timeTo?: Date
}

function ranges(p: Params, f: RangeFilter, blockCol: string, timeCol: string): string[] {
  const w: string[] = []
  if (f.blockFrom !== undefined) w.push(`${blockCol} >= ${p.add(f.blockFrom, 'int')}`)
  if (f.blockTo !== undefined) w.push(`${blockCol} <= ${p.add(f.blockTo, 'int')}`)
  if (f.timeFrom !== undefined) w.push(`${timeCol} >= ${p.add(f.timeFrom, 'timestamptz')}`)
  if (f.timeTo !== undefined) w.push(`${timeCol} <= ${p.add(f.timeTo, 'timestamptz')}`)
  return w
}

function amountRange(p: Params, col: string, min?: bigint, max?: bigint): string[] {
  const w: string[] = []
  if (min !== undefined) w.push(`${col} >= ${p.add(min.toString(), 'numeric')}`)
  if (max !== undefined) w.push(`${col} <= ${p.add(max.toString(), 'numeric')}`)
  return w
}

// ------------------------------------------------------------------ at a past block

/** The tables whose rows keep a version per block that changed them (entity_version). */
export type VersionedTable = 'node' | 'delegation' | 'booking' | 'vesting_schedule' | 'hyper_node'

/**
 * A versioned table as it stood after block `height`: the latest version of
 * each row at or below it, read back into the table's own row type, so every
 * column, filter and sort of the head's lists applies unchanged. `cond` (on
 * entity_version v) narrows it to some rows, one node's (v.parent) or one
 * account's (v.owner), which never change, through entity_version's
 * (entity, parent|owner, entity_id, block) indexes.
 */
export function versionsAt(table: VersionedTable, p: Params, height: number, cond?: string): string {
  const h = p.add(height, 'int')
  return `(SELECT r.* FROM (SELECT DISTINCT ON (v.entity_id) v.state FROM entity_version v
      WHERE v.entity = '${table}'${cond ? ` AND ${cond}` : ''} AND v.block <= ${h} ORDER BY v.entity_id, v.block DESC) v
    CROSS JOIN LATERAL jsonb_populate_record(NULL::${table}, v.state) r) ${table}`
}

/** A list's name at a block (its cursors are refused at any other). */
const named = (name: string, at: number | undefined) => (at === undefined ? name : `${name}@${at}`)

/** The FROM of a versioned list: the table, or its versions at `at` (narrowed by an immutable column's filter key). */
function source(table: VersionedTable, at: number | undefined, by?: { col: 'parent' | 'owner'; value: Key | undefined }): (p: Params) => string {
  return (p) => (at === undefined ? table : versionsAt(table, p, at, by?.value !== undefined ? `v.${by.col} = ${keyExpr(p, by.value)}` : undefined))
}

const byId = (desc: boolean): Order => ({ cols: ['id'], casts: ['text'], desc })

// ------------------------------------------------------------------ transfers

export interface TransferRow {
  id: string
  blockNumber: number
  blockHash: string
  timestamp: Date
  txHash: string
  logIndex: number
  from: string
  to: string
  value: string
  fromBalanceAfter: string
  toBalanceAfter: string
}

export const TRANSFER_SELECT = `id, block_number AS "blockNumber", block_hash AS "blockHash", timestamp, tx_hash AS "txHash", log_index AS "logIndex",
  from_id AS "from", to_id AS "to", value::text AS value, from_balance_after::text AS "fromBalanceAfter", to_balance_after::text AS "toBalanceAfter"`

export interface TransferFilter extends RangeFilter {
  /** Either side. */
  account?: Key
  from?: string
  to?: string
  minValue?: bigint
  maxValue?: bigint
}

export function transferList(f: TransferFilter, newestFirst: boolean, at?: number): ListSpec<TransferRow> {
  return {
    name: named('transfers', at),
    select: TRANSFER_SELECT,
    from: () => 'transfer',
    // An account's transfers are two index scans (from_id, id) and (to_id, id)
    // merged in id order, so a deep page costs what the first does.
    branches:
      f.account === undefined
        ? undefined
        : (p) => {
            const a = keyExpr(p, f.account!)
            return [
              { from: 'transfer', where: [`from_id = ${a}`] },
              { from: 'transfer', where: [`to_id = ${a}`, `from_id <> ${a}`] },
            ]
          },
    where: (p) => [
      ...(f.from !== undefined ? [`from_id = ${p.add(f.from, 'text')}`] : []),
      ...(f.to !== undefined ? [`to_id = ${p.add(f.to, 'text')}`] : []),
      ...ranges(p, f, 'block_number', 'timestamp'),
      ...amountRange(p, 'value', f.minValue, f.maxValue),
    ],
    order: byId(newestFirst),
    keyOf: (r) => [r.id],
  }
}

// ------------------------------------------------------------------ accounts

export interface AccountRow {
  id: string
  balance: string
  transfersIn: number
  transfersOut: number
  firstSeenBlock: number
  lastActiveBlock: number
}

export const ACCOUNT_SELECT = `id, balance::text AS balance, transfers_in AS "transfersIn", transfers_out AS "transfersOut",
  first_seen_block AS "firstSeenBlock", last_active_block AS "lastActiveBlock"`

export interface AccountFilter {
  minBalance?: bigint
  maxBalance?: bigint
}

export type AccountOrder = 'BALANCE_DESC' | 'BALANCE_ASC' | 'ADDRESS'

export function accountList(f: AccountFilter, order: AccountOrder): ListSpec<AccountRow> {
  return {
    name: `accounts:${order}`,
    select: ACCOUNT_SELECT,
    // The zero address is the mint/burn counterparty, not a holder.
    from: () => 'account',
    where: (p) => [`id <> ${p.add('0x0000000000000000000000000000000000000000', 'text')}`, ...amountRange(p, 'balance', f.minBalance, f.maxBalance)],
    order: order === 'ADDRESS' ? byId(false) : { cols: ['account.balance', 'account.id'], casts: ['numeric', 'text'], desc: order === 'BALANCE_DESC' },
    keyOf: (r) => (order === 'ADDRESS' ? [r.id] : [r.balance, r.id]),
  }
}

// ------------------------------------------------------------------ nodes

export interface NodeRow {
  id: string
  nodeId: string
  hardwareProvider: string
  region: string
  hwClass: string
  status: number
  totalCapacity: string
  collateralRegistered: string
  collateral: string
  commitmentEnd: string
  delegatedStake: string
  activePositions: number
  delegationCount: number
  revenue: string
  bookingCount: number
  slashedProvider: string
  slashedDelegators: string
  slashCount: number
  violationCount: number
  registeredBlock: number
  registeredAt: Date
}

export const NODE_SELECT = `id, node_id::text AS "nodeId", hardware_provider AS "hardwareProvider", region, hw_class AS "hwClass", status,
  total_capacity::text AS "totalCapacity", collateral_registered::text AS "collateralRegistered", collateral::text AS collateral,
  commitment_end::text AS "commitmentEnd", delegated_stake::text AS "delegatedStake", active_positions AS "activePositions",
  delegation_count AS "delegationCount", revenue::text AS revenue, booking_count AS "bookingCount", slashed_provider::text AS "slashedProvider",
  slashed_delegators::text AS "slashedDelegators", slash_count AS "slashCount", violation_count AS "violationCount",
  registered_block AS "registeredBlock", registered_at AS "registeredAt"`

export interface NodeFilter {
  status?: number
  region?: string
  hwClass?: string
  hardwareProvider?: Key
  minDelegatedStake?: bigint
}

export type NodeOrder = 'ID' | 'NEWEST_FIRST' | 'DELEGATED_STAKE_DESC' | 'CAPACITY_DESC' | 'REVENUE_DESC'

const NODE_ORDERS: Record<NodeOrder, { order: Order; key: (r: NodeRow) => string[] }> = {
  ID: { order: byId(false), key: (r) => [r.id] },
  NEWEST_FIRST: { order: byId(true), key: (r) => [r.id] },
  DELEGATED_STAKE_DESC: { order: { cols: ['node.delegated_stake', 'node.id'], casts: ['numeric', 'text'], desc: true }, key: (r) => [r.delegatedStake, r.id] },
  CAPACITY_DESC: { order: { cols: ['node.total_capacity', 'node.id'], casts: ['numeric', 'text'], desc: true }, key: (r) => [r.totalCapacity, r.id] },
  REVENUE_DESC: { order: { cols: ['node.revenue', 'node.id'], casts: ['numeric', 'text'], desc: true }, key: (r) => [r.revenue, r.id] },
}

export function nodeList(f: NodeFilter, order: NodeOrder, at?: number): ListSpec<NodeRow> {
  const o = NODE_ORDERS[order]
  return {
    name: named(`nodes:${order}`, at),
    select: NODE_SELECT,
    from: source('node', at, { col: 'owner', value: f.hardwareProvider }),
    where: (p) => [
      ...(f.status !== undefined ? [`status = ${p.add(f.status, 'int')}`] : []),
      ...(f.region !== undefined ? [`region = ${p.add(f.region, 'text')}`] : []),
      ...(f.hwClass !== undefined ? [`hw_class = ${p.add(f.hwClass, 'text')}`] : []),
      ...(f.hardwareProvider !== undefined ? [`hardware_provider = ${keyExpr(p, f.hardwareProvider)}`] : []),
      ...amountRange(p, 'delegated_stake', f.minDelegatedStake),
    ],
    order: o.order,
    keyOf: o.key,
  }
}

// ------------------------------------------------------------------ delegations

export interface DelegationRow {
  id: string
  delegator: string
  lockedDelegationIndex: number
  nodeId: string
  nodeDelegationIndex: number
  createdVia: string
  initialAmount: string
  amount: string
  slashed: string
  withdrawn: string
  apyScalingFactor: string
  unlockTimestamp: string
  status: string
  createdBlock: number
  createdAt: Date
  undelegatedBlock: number | null
  reclaimedBlock: number | null
}

export const DELEGATION_SELECT = `id, delegator, locked_delegation_index AS "lockedDelegationIndex", node_id AS "nodeId",
  node_delegation_index AS "nodeDelegationIndex", created_via AS "createdVia", initial_amount::text AS "initialAmount", amount::text AS amount,
  slashed::text AS slashed, withdrawn::text AS withdrawn, apy_scaling_factor::text AS "apyScalingFactor", unlock_timestamp::text AS "unlockTimestamp",
  status, created_block AS "createdBlock", created_at AS "createdAt", undelegated_block AS "undelegatedBlock", reclaimed_block AS "reclaimedBlock"`

export interface DelegationFilter extends RangeFilter {
  delegator?: Key
  nodeId?: Key
  status?: string
  createdVia?: string
  minAmount?: bigint
  maxAmount?: bigint
}

export type DelegationOrder = 'NEWEST_FIRST' | 'OLDEST_FIRST' | 'AMOUNT_DESC'

export function delegationList(f: DelegationFilter, order: DelegationOrder, at?: number): ListSpec<DelegationRow> {
  const byAmount = order === 'AMOUNT_DESC'
  const from = f.nodeId !== undefined ? source('delegation', at, { col: 'parent', value: f.nodeId }) : source('delegation', at, { col: 'owner', value: f.delegator })
  return {
    name: named(`delegations:${order}`, at),
    select: DELEGATION_SELECT,
    from,
    where: (p) => [
      ...(f.delegator !== undefined ? [`delegator = ${keyExpr(p, f.delegator)}`] : []),
      ...(f.nodeId !== undefined ? [`node_id = ${keyExpr(p, f.nodeId)}`] : []),
      ...(f.status !== undefined ? [`status = ${p.add(f.status, 'text')}`] : []),
      ...(f.createdVia !== undefined ? [`created_via = ${p.add(f.createdVia, 'text')}`] : []),
      ...ranges(p, f, 'created_block', 'created_at'),
      ...amountRange(p, 'amount', f.minAmount, f.maxAmount),
    ],
    order: byAmount ? { cols: ['delegation.amount', 'delegation.id'], casts: ['numeric', 'text'], desc: true } : { cols: ['delegation.created_block', 'delegation.id'], casts: ['int', 'text'], desc: order === 'NEWEST_FIRST' },
    keyOf: (r) => (byAmount ? [r.amount, r.id] : [String(r.createdBlock), r.id]),
  }
}

// ------------------------------------------------------------------ vesting

export interface VestingScheduleRow {
  id: string
  scheduleId: string
  contract: string
  beneficiary: string
  category: string
  total: string
  immediate: string
  start: string
  cliff: string
  duration: string
  curve: string[] | null
  released: string
  revoked: boolean
  revokedAt: string | null
  unvestedReturned: string | null
  createdBlock: number
  createdAt: Date
}

export const SCHEDULE_SELECT = `id, schedule_id::text AS "scheduleId", contract, beneficiary, category, total::text AS total, immediate::text AS immediate,
  start::text AS start, cliff::text AS cliff, duration::text AS duration, curve, released::text AS released, revoked, revoked_at::text AS "revokedAt",
  unvested_returned::text AS "unvestedReturned", created_block AS "createdBlock", created_at AS "createdAt"`

export interface VestingScheduleFilter {
  beneficiary?: Key
  category?: string
  revoked?: boolean
}

export function vestingScheduleList(f: VestingScheduleFilter, at?: number): ListSpec<VestingScheduleRow> {
  return {
    name: named('vestingSchedules', at),
    select: SCHEDULE_SELECT,
    from: source('vesting_schedule', at, { col: 'owner', value: f.beneficiary }),
    where: (p) => [
      ...(f.beneficiary !== undefined ? [`beneficiary = ${keyExpr(p, f.beneficiary)}`] : []),
      ...(f.category !== undefined ? [`category = ${p.add(f.category, 'text')}`] : []),
      ...(f.revoked !== undefined ? [`revoked = ${p.add(f.revoked, 'boolean')}`] : []),
    ],
    order: byId(false),
    keyOf: (r) => [r.id],
  }
}

// ------------------------------------------------------------------ bookings

export interface BookingRow {
  id: string
  bookingId: string
  nodeId: string
  serviceProvider: string
  capacity: string
  price: string
  startTime: string
  endTime: string
  ended: boolean
  endReason: number | null
  endedBlock: number | null
  endedAt: Date | null
  createdBlock: number
  createdAt: Date
}

export const BOOKING_SELECT = `id, booking_id::text AS "bookingId", node_id AS "nodeId", service_provider AS "serviceProvider", capacity::text AS capacity,
  price::text AS price, start_time::text AS "startTime", end_time::text AS "endTime", ended, end_reason AS "endReason", ended_block AS "endedBlock",
  ended_at AS "endedAt", created_block AS "createdBlock", created_at AS "createdAt"`

export interface BookingFilter extends RangeFilter {
  nodeId?: Key
  serviceProvider?: Key
  ended?: boolean
  minPrice?: bigint
  maxPrice?: bigint
}

export type BookingOrder = 'NEWEST_FIRST' | 'OLDEST_FIRST' | 'PRICE_DESC'

export function bookingList(f: BookingFilter, order: BookingOrder, at?: number): ListSpec<BookingRow> {
  const byPrice = order === 'PRICE_DESC'
  const from = f.nodeId !== undefined ? source('booking', at, { col: 'parent', value: f.nodeId }) : source('booking', at, { col: 'owner', value: f.serviceProvider })
  return {
    name: named(`bookings:${order}`, at),
    select: BOOKING_SELECT,
    from,
    where: (p) => [
      ...(f.nodeId !== undefined ? [`node_id = ${keyExpr(p, f.nodeId)}`] : []),
      ...(f.serviceProvider !== undefined ? [`service_provider = ${keyExpr(p, f.serviceProvider)}`] : []),
      ...(f.ended !== undefined ? [`ended = ${p.add(f.ended, 'boolean')}`] : []),
      ...ranges(p, f, 'created_block', 'created_at'),
      ...amountRange(p, 'price', f.minPrice, f.maxPrice),
    ],
    order: byPrice ? { cols: ['booking.price', 'booking.id'], casts: ['numeric', 'text'], desc: true } : byId(order === 'NEWEST_FIRST'),
    keyOf: (r) => (byPrice ? [r.price, r.id] : [r.id]),
  }
}

// ------------------------------------------------------------------ SLA

export interface HyperNodeRow {
  id: string
  hyperNodeId: string
  operator: string
  location: string
  status: number
  reportCount: number
  registeredBlock: number
}

export const HYPERNODE_SELECT = `id, hyper_node_id::text AS "hyperNodeId", operator, location, status, report_count AS "reportCount", registered_block AS "registeredBlock"`

export function hyperNodeList(f: { status?: number }, at?: number): ListSpec<HyperNodeRow> {
  return {
    name: named('hyperNodes', at),
    select: HYPERNODE_SELECT,
    from: source('hyper_node', at),
    where: (p) => (f.status !== undefined ? [`status = ${p.add(f.status, 'int')}`] : []),
    order: byId(false),
    keyOf: (r) => [r.id],
  }
}

export interface SlaAttestationRow {
  id: string
  nodeId: string
  era: number
  hyperNodeId: string
  uptimeBps: number
  latencyMs: number
  challengesPassed: number
  challengesFailed: number
  blockNumber: number
  timestamp: Date
  txHash: string
}

export const ATTESTATION_SELECT = `id, node_id AS "nodeId", era, hyper_node_id AS "hyperNodeId", uptime_bps AS "uptimeBps", latency_ms AS "latencyMs",
  challenges_passed AS "challengesPassed", challenges_failed AS "challengesFailed", block_number AS "blockNumber", timestamp, tx_hash AS "txHash"`

export interface SlaAttestationFilter extends RangeFilter {
  nodeId?: string
  hyperNodeId?: string
  eraFrom?: number
  eraTo?: number
}

export function slaAttestationList(f: SlaAttestationFilter, newestFirst: boolean): ListSpec<SlaAttestationRow> {
  return {
    name: 'slaAttestations',
    select: ATTESTATION_SELECT,
    from: () => 'sla_attestation',
    where: (p) => [
      ...(f.nodeId !== undefined ? [`node_id = ${p.add(f.nodeId, 'text')}`] : []),
      ...(f.hyperNodeId !== undefined ? [`hyper_node_id = ${p.add(f.hyperNodeId, 'text')}`] : []),
      ...(f.eraFrom !== undefined ? [`era >= ${p.add(f.eraFrom, 'int')}`] : []),
      ...(f.eraTo !== undefined ? [`era <= ${p.add(f.eraTo, 'int')}`] : []),
      ...ranges(p, f, 'block_number', 'timestamp'),
    ],
    order: byId(newestFirst),
    keyOf: (r) => [r.id],
  }
}

// ------------------------------------------------------------------ staking history

/**
 * One entry of a wallet's staking history: a delegation event (created,
 * undelegated, reclaimed, withdrawn, slashed), a reward claim, or a slash of
 * a node the wallet provides.
 */
export interface StakingEventRow {
  id: string
  kind: string
  amount: string | null
  nodeId: string | null
  delegationId: string | null
  blockNumber: number
  timestamp: Date
  txHash: string
}

export const DELEGATION_EVENT_SELECT = `id, kind, amount::text AS amount, node_id AS "nodeId", delegation_id AS "delegationId", delegator,
  block_number AS "blockNumber", timestamp, tx_hash AS "txHash"`

export interface StakingHistoryFilter extends RangeFilter {
  kinds?: string[]
}

export function stakingHistoryList(account: Key, f: StakingHistoryFilter, newestFirst: boolean, at?: number): ListSpec<StakingEventRow> {
  return {
    name: named('stakingHistory', at),
    select: `id, kind, amount, "nodeId", "delegationId", "blockNumber", timestamp, "txHash"`,
    from: () => 'h',
    // Three index scans merged in id (chain) order: (delegator, id), (account, id), and a provider's nodes' slashes.
    branches: (p) => {
      const a = keyExpr(p, account)
      return [
        {
          from: `(SELECT id, kind, amount::text AS amount, node_id AS "nodeId", delegation_id AS "delegationId", block_number AS "blockNumber", timestamp, tx_hash AS "txHash"
            FROM delegation_event WHERE delegator = ${a}) d`,
          where: [],
        },
        {
          from: `(SELECT id, 'REWARD_' || kind AS kind, amount::text AS amount, NULL::text AS "nodeId", NULL::text AS "delegationId", block_number AS "blockNumber", timestamp, tx_hash AS "txHash"
            FROM reward_claim WHERE account = ${a}) r`,
          where: [],
        },
        {
          from: `(SELECT s.id, 'COLLATERAL_SLASHED' AS kind, s.provider_amount::text AS amount, s.node_id AS "nodeId", NULL::text AS "delegationId", s.block_number AS "blockNumber", s.timestamp, s.tx_hash AS "txHash"
            FROM slash s JOIN node n ON n.id = s.node_id WHERE n.hardware_provider = ${a}) s`,
          where: [],
        },
      ]
    },
    where: (p) => [...(f.kinds ? [`kind = ANY(${p.add(f.kinds, 'text[]')})`] : []), ...ranges(p, f, '"blockNumber"', 'timestamp')],
    order: byId(newestFirst),
    keyOf: (r) => [r.id],
  }
}

// ------------------------------------------------------------------ node eras

export interface NodeEraRow {
  id: string
  era: number
  reportCount: number
  quorum: boolean
  uptimeBps: number
  latencyMs: number
  challengePassRate: number
  meetsSla: boolean
  failedMetrics: string[]
}

/** A node's era at a past block: its HyperNodes' reports up to the block, each [hyperNodeId, uptimeBps, latencyMs, passed, failed, block] in chain order. */
export interface NodeEraReportsRow {
  id: string
  era: number
  reports: [string, number, number, number, number, number][]
}

/**
 * A node's eras as they stood after block `at`: the reports up to it, grouped
 * by era (the consensus is computed from them, src/domain/sla.ts, as the
 * indexer does). The node's key is pushed into the grouping.
 */
export function nodeEraListAt(at: number, node: Key): ListSpec<NodeEraReportsRow> {
  const grouped = (p: Params, cond: string) => `(SELECT node_id || '-' || lpad(era::text, 10, '0') AS id, node_id, era,
      jsonb_agg(jsonb_build_array(hyper_node_id, uptime_bps, latency_ms, challenges_passed, challenges_failed, block_number) ORDER BY id) AS reports
    FROM sla_attestation WHERE ${cond} AND block_number <= ${p.add(at, 'int')} GROUP BY node_id, era) node_era`
  return {
    name: named('nodeEras', at),
    select: `id, era, reports`,
    from: (p) => grouped(p, `node_id = ${keyExpr(p, node)}`),
    where: () => [],
    order: byId(true),
    keyOf: (r) => [r.id],
  }
}

export function nodeEraList(node: Key): ListSpec<NodeEraRow> {
  return {
    name: 'nodeEras',
    select: `id, era, report_count AS "reportCount", quorum, uptime_bps::float8 AS "uptimeBps", latency_ms::float8 AS "latencyMs",
      challenge_pass_rate::float8 AS "challengePassRate", meets_sla AS "meetsSla", failed_metrics AS "failedMetrics"`,
    from: () => 'node_era',
    where: (p) => [`node_id = ${keyExpr(p, node)}`],
    order: byId(true),
    keyOf: (r) => [r.id],
  }
}
