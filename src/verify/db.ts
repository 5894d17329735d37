/**
 * The index's figures at any indexed block, read from its history tables:
 * balance-after rows for balances, supply checkpoints, and the event rows of
 * schedules, nodes, positions and bookings. Every statement binds its values.
 */
import type { Client } from 'pg'
import { pad } from '../domain/ids'

/** Event ids sort by block then log index: every row of blocks ≤ `block` has an id below this. */
const idBound = (block: number) => `${pad(block + 1, 10)}-`

export interface IndexedHead {
  height: number
  hash: string
}

export async function indexedHead(db: Client): Promise<IndexedHead | undefined> {
  const r = await db.query<{ height: number; hash: string }>(`SELECT height, hash FROM indexer_status WHERE id = 'status'`)
  return r.rows[0]
}

export async function balancesAt(db: Client, block: number): Promise<Map<string, bigint>> {
  const r = await db.query<{ id: string; balance: string | null }>(
    `SELECT a.id, (
       SELECT x.bal FROM (
         (SELECT t.id, t.from_balance_after AS bal FROM transfer t WHERE t.from_id = a.id AND t.id < $2 ORDER BY t.id DESC LIMIT 1)
         UNION ALL
         (SELECT t.id, t.to_balance_after FROM transfer t WHERE t.to_id = a.id AND t.id < $2 ORDER BY t.id DESC LIMIT 1)
       ) x ORDER BY x.id DESC LIMIT 1
     )::text AS balance
     FROM account a WHERE a.first_seen_block <= $1`,
    [block, idBound(block)],
  )
  return new Map(r.rows.map((x) => [x.id, BigInt(x.balance ?? '0')]))
}

export interface SupplyAt {
  totalSupply: bigint
  vestingBalance: bigint
  staked: bigint
}

export async function supplyAt(db: Client, block: number): Promise<SupplyAt> {
  const r = await db.query<{ total_supply: string; vesting_balance: string; staked: string }>(
    `SELECT total_supply::text, vesting_balance::text, staked::text FROM supply_checkpoint WHERE block_number <= $1 ORDER BY block_number DESC LIMIT 1`,
    [block],
  )
  const c = r.rows[0]
  return c ? { totalSupply: BigInt(c.total_supply), vestingBalance: BigInt(c.vesting_balance), staked: BigInt(c.staked) } : { totalSupply: 0n, vestingBalance: 0n, staked: 0n }
}

export interface ScheduleAt {
  scheduleId: bigint
  contract: string
  released: bigint
  revoked: boolean
}

export async function schedulesAt(db: Client, block: number): Promise<ScheduleAt[]> {
  const r = await db.query<{ schedule_id: string; contract: string; released: string; revoked: boolean }>(
    `SELECT s.schedule_id::text, s.contract,
       (SELECT coalesce(sum(x.amount), 0) FROM tokens_release x WHERE x.schedule_id = s.id AND x.block_number <= $1)::text AS released,
       EXISTS (SELECT 1 FROM vesting_revocation v WHERE v.schedule_id = s.id AND v.block_number <= $1) AS revoked
     FROM vesting_schedule s WHERE s.created_block <= $1 ORDER BY s.id`,
    [block],
  )
  return r.rows.map((x) => ({ scheduleId: BigInt(x.schedule_id), contract: x.contract, released: BigInt(x.released), revoked: x.revoked }))
}

export interface NodeAt {
  nodeId: bigint
  status: number
  totalCapacity: bigint
  collateral: bigint
}

export async function nodesAt(db: Client, block: number): Promise<NodeAt[]> {
  const r = await db.query<{ node_id: string; status: number; total_capacity: string; collateral: string }>(
    `SELECT n.node_id::text,
       (SELECT c.status FROM node_status_change c WHERE c.node_id = n.id AND c.block_number <= $1 ORDER BY c.id DESC LIMIT 1) AS status,
       (SELECT c.total_capacity FROM node_capacity_change c WHERE c.node_id = n.id AND c.block_number <= $1 ORDER BY c.id DESC LIMIT 1)::text AS total_capacity,
       (n.collateral_registered - (SELECT coalesce(sum(s.provider_amount), 0) FROM slash s WHERE s.node_id = n.id AND s.block_number <= $1))::text AS collateral
     FROM node n WHERE n.registered_block <= $1 ORDER BY n.id`,
    [block],
  )
  return r.rows.map((x) => ({ nodeId: BigInt(x.node_id), status: x.status, totalCapacity: BigInt(x.total_capacity), collateral: BigInt(x.collateral) }))
}

export interface PositionAt {
  id: string
  delegator: string
  lockedDelegationIndex: number
  nodeId: bigint
  nodeDelegationIndex: number
  amount: bigint
  undelegated: boolean
  reclaimed: boolean
}

/** Positions as they stood at the block: amount = initial − slashes − withdrawals up to it. */
export async function positionsAt(db: Client, block: number): Promise<PositionAt[]> {
  const r = await db.query<{ id: string; delegator: string; locked_delegation_index: number; node_id: string; node_delegation_index: number; amount: string; undelegated: boolean; reclaimed: boolean }>(
    `SELECT d.id, d.delegator, d.locked_delegation_index, d.node_id, d.node_delegation_index,
       (d.initial_amount - (SELECT coalesce(sum(e.amount), 0) FROM delegation_event e
          WHERE e.delegation_id = d.id AND e.kind IN ('SLASHED', 'WITHDRAWN') AND e.block_number <= $1))::text AS amount,
       coalesce(d.undelegated_block <= $1, false) AS undelegated,
       coalesce(d.reclaimed_block <= $1, false) AS reclaimed
     FROM delegation d WHERE d.created_block <= $1 ORDER BY d.id`,
    [block],
  )
  return r.rows.map((x) => ({
    id: x.id, delegator: x.delegator, lockedDelegationIndex: x.locked_delegation_index, nodeId: BigInt(x.node_id), nodeDelegationIndex: x.node_delegation_index,
    amount: BigInt(x.amount), undelegated: x.undelegated, reclaimed: x.reclaimed,
  }))
}

/**
 * Booked capacity per node at the block: bookings made by then, not ended by
 * then, whose end time as extended by then is after the block's time.
 */
export async function bookedAt(db: Client, block: number, blockTimeSec: bigint): Promise<Map<bigint, bigint>> {
  const r = await db.query<{ node_id: string; booked: string }>(
    `SELECT b.node_id, sum(b.capacity)::text AS booked FROM booking b
     WHERE b.created_block <= $1 AND (b.ended_block IS NULL OR b.ended_block > $1)
       AND (SELECT e.new_end_time FROM booking_event e WHERE e.booking_id = b.id AND e.kind IN ('BOOKED', 'EXTENDED') AND e.block_number <= $1
            ORDER BY e.id DESC LIMIT 1) > $2
     GROUP BY b.node_id`,
    [block, blockTimeSec.toString()],
  )
  return new Map(r.rows.map((x) => [BigInt(x.node_id), BigInt(x.booked)]))
}

/** The current-state rows the API serves at the head, keyed like the figures above. */
export interface CurrentState {
  balances: Map<string, bigint>
  schedules: Map<bigint, { released: bigint; revoked: boolean }>
  nodes: Map<bigint, { status: number; totalCapacity: bigint; collateral: bigint; delegatedStake: bigint; activePositions: number }>
  positions: Map<string, { amount: bigint; undelegated: boolean; reclaimed: boolean }>
  supply: SupplyAt
}

export async function currentState(db: Client): Promise<CurrentState> {
  const accounts = await db.query<{ id: string; balance: string }>(`SELECT id, balance::text FROM account`)
  const schedules = await db.query<{ schedule_id: string; released: string; revoked: boolean }>(`SELECT schedule_id::text, released::text, revoked FROM vesting_schedule`)
  const nodes = await db.query<{ node_id: string; status: number; total_capacity: string; collateral: string; delegated_stake: string; active_positions: number }>(
    `SELECT node_id::text, status, total_capacity::text, collateral::text, delegated_stake::text, active_positions FROM node`,
  )
  const positions = await db.query<{ id: string; amount: string; status: string }>(`SELECT id, amount::text, status FROM delegation`)
  const supply = await db.query<{ total_supply: string; vesting_balance: string; staked: string }>(
    `SELECT total_supply::text, vesting_balance::text, staked::text FROM supply_checkpoint ORDER BY block_number DESC LIMIT 1`,
  )
  const s = supply.rows[0]
  return {
    balances: new Map(accounts.rows.map((r) => [r.id, BigInt(r.balance)])),
    schedules: new Map(schedules.rows.map((r) => [BigInt(r.schedule_id), { released: BigInt(r.released), revoked: r.revoked }])),
    nodes: new Map(
      nodes.rows.map((r) => [
        BigInt(r.node_id),
        { status: r.status, totalCapacity: BigInt(r.total_capacity), collateral: BigInt(r.collateral), delegatedStake: BigInt(r.delegated_stake), activePositions: r.active_positions },
      ]),
    ),
    positions: new Map(positions.rows.map((r) => [r.id, { amount: BigInt(r.amount), undelegated: r.status !== 'ACTIVE', reclaimed: r.status === 'RECLAIMED' || r.status === 'WITHDRAWN' }])),
    supply: s ? { totalSupply: BigInt(s.total_supply), vestingBalance: BigInt(s.vesting_balance), staked: BigInt(s.staked) } : { totalSupply: 0n, vestingBalance: 0n, staked: 0n },
  }
}
