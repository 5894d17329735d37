import { GraphQLError, GraphQLResolveInfo, Kind } from 'graphql'
import { nonNegative, optAddress, optBig, parseAddress, parseBlock, parseRange, parseUintId, RangeArgs } from './args'
import { formatUnits } from '../domain/units'
import type { ApiContext } from './context'
import { connection, Connection, PageArgs, pageRequest } from './pagination'
import { BigIntScalar, DateTimeScalar } from './scalars'
import { At, atOf, BlockArg, markAt, resolveAt } from './at'
import { eraConsensus, SlaReport, withReport } from '../domain/sla'
import { keysetCount, keysetPage, ListSpec, PARENT_KEY } from './sql/list'
import { narrow } from './selection'
import {
  accountList,
  AccountOrder,
  AccountRow,
  bookingList,
  BookingOrder,
  BookingRow,
  delegationList,
  DelegationOrder,
  DelegationRow,
  hyperNodeList,
  nodeEraList,
  nodeEraListAt,
  NodeEraReportsRow,
  nodeList,
  NodeOrder,
  NodeRow,
  slaAttestationList,
  SlaAttestationRow,
  stakingHistoryList,
  StakingEventRow,
  transferList,
  TransferRow,
  vestingScheduleList,
  VestingScheduleRow,
} from './sql/lists'

// ------------------------------------------------------------------ lists

/** A top-level list: one page statement, plus a count statement only when totalCount is asked for. Rows answered at a block carry it. */
async function list<R extends object>(ctx: ApiContext, info: GraphQLResolveInfo, full: ListSpec<R>, args: PageArgs, at?: At): Promise<Connection<R>> {
  const spec = narrow(full, info)
  const req = pageRequest(args, spec)
  const rows = markAt(await keysetPage(ctx.db, spec, req), at)
  return connection(rows, req, spec.keyOf, () => keysetCount(ctx.db, spec))
}

/**
 * A nested connection (a node's delegations, an account's transfers, ...):
 * `spec` is the list built for PARENT_KEY, and the page and count are
 * batched with every other parent of the same field and arguments, one
 * statement each (see ApiContext.nestedPage).
 */
async function nested<R extends object, T extends object = R>(
  ctx: ApiContext,
  info: GraphQLResolveInfo,
  field: string,
  args: object,
  full: ListSpec<R>,
  parent: string,
  at: At | undefined,
  map?: (r: R) => T,
): Promise<Connection<T>> {
  // A mapped row is computed from columns of its own: it reads the whole row.
  const spec = map ? full : narrow(full, info)
  const req = pageRequest(args as PageArgs, spec)
  // Parents are batched per field, arguments, block and columns read (two aliases of a field may ask for different ones).
  const argsKey = `${JSON.stringify(args, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}@${at?.height ?? ''}@${spec.select}`
  const rows = await ctx.nestedPage(field, argsKey, spec, req, parent)
  const out = markAt(map ? rows.map(map) : (rows as unknown as T[]), at)
  const keyOf = spec.keyOf as unknown as (r: T) => string[]
  return connection(out, req, keyOf, () => ctx.nestedCount(field, argsKey, spec, parent))
}

/** A block filter capped at the block a parent was asked at (its transfers and history up to then). */
function capped<F extends { blockTo?: number }>(f: F, at: At | undefined): F {
  return at ? { ...f, blockTo: Math.min(f.blockTo ?? at.height, at.height) } : f
}

/** An era's consensus at a past block, from its reports up to the block (latest of each HyperNode), as the indexer computes it. */
function eraAt(r: NodeEraReportsRow, rules: ApiContext['preset']['sla']) {
  let reports: SlaReport[] = []
  for (const [hyperNodeId, uptimeBps, latencyMs, challengesPassed, challengesFailed, blockNumber] of r.reports) {
    reports = withReport(reports, { hyperNodeId, uptimeBps, latencyMs, challengesPassed, challengesFailed, blockNumber })
  }
  return { id: r.id, era: r.era, ...eraConsensus(reports, rules) }
}

interface TransferFilterArgs extends RangeArgs {
  account?: string | null
  from?: string | null
  to?: string | null
  minValue?: bigint | null
  maxValue?: bigint | null
}

function transferFilter(f: TransferFilterArgs | null | undefined, account?: string) {
  return {
    ...parseRange('filter', f),
    account: account ?? optAddress('filter.account', f?.account),
    from: optAddress('filter.from', f?.from),
    to: optAddress('filter.to', f?.to),
    minValue: nonNegative('filter.minValue', optBig(f?.minValue)),
    maxValue: nonNegative('filter.maxValue', optBig(f?.maxValue)),
  }
}

interface DelegationFilterArgs extends RangeArgs {
  delegator?: string | null
  nodeId?: string | null
  status?: string | null
  createdVia?: string | null
  minAmount?: bigint | null
  maxAmount?: bigint | null
}

function delegationFilter(f: DelegationFilterArgs | null | undefined) {
  return {
    ...parseRange('filter', f),
    delegator: optAddress('filter.delegator', f?.delegator),
    nodeId: parseUintId('filter.nodeId', f?.nodeId),
    status: f?.status ?? undefined,
    createdVia: f?.createdVia ?? undefined,
    minAmount: nonNegative('filter.minAmount', optBig(f?.minAmount)),
    maxAmount: nonNegative('filter.maxAmount', optBig(f?.maxAmount)),
  }
}

interface BookingFilterArgs extends RangeArgs {
  nodeId?: string | null
  serviceProvider?: string | null
  ended?: boolean | null
  minPrice?: bigint | null
  maxPrice?: bigint | null
}

function bookingFilter(f: BookingFilterArgs | null | undefined) {
  return {
    ...parseRange('filter', f),
    nodeId: parseUintId('filter.nodeId', f?.nodeId),
    serviceProvider: optAddress('filter.serviceProvider', f?.serviceProvider),
    ended: f?.ended ?? undefined,
    minPrice: nonNegative('filter.minPrice', optBig(f?.minPrice)),
    maxPrice: nonNegative('filter.maxPrice', optBig(f?.maxPrice)),
  }
}

interface StakingFilterArgs extends RangeArgs {
  kinds?: string[] | null
}

const stakingFilter = (f: StakingFilterArgs | null | undefined) => ({ ...parseRange('filter', f), kinds: f?.kinds ?? undefined })

type Ordered<O> = PageArgs & { orderBy: O }
type Filtered<F, O = never> = PageArgs & { filter?: F | null; orderBy: O }
type AtBlock<A> = A & { block?: BlockArg | null }

async function balance(row: AccountRow, args: { block?: number | null }, ctx: ApiContext): Promise<string> {
  const block = parseBlock('block', args.block)
  // Without an argument: the row's own balance (at the head, or at the block the account was asked at).
  if (block === undefined) return row.balance
  await ctx.supply.checkBlock('block', block)
  return ctx.balanceAt(row.id, block)
}

const unpad = (id: string | null) => (id == null ? null : BigInt(id).toString())

async function mustLoad<T>(p: Promise<T | null>, what: string): Promise<T> {
  const v = await p
  if (v == null) throw new GraphQLError(`${what} is missing from the index`, { extensions: { code: 'INTERNAL_SERVER_ERROR' } })
  return v
}

/** An account row for an address with no transfers (e.g. a node provider that never held ICNT). */
const emptyAccount = (id: string): AccountRow => ({ id, balance: '0', transfersIn: 0, transfersOut: 0, firstSeenBlock: 0, lastActiveBlock: 0 })
const accountOf = async (ctx: ApiContext, id: string, at: At | undefined) => (await ctx.accountAt(id, at)) ?? markAt([emptyAccount(id)], at)[0]

/** The selection asks for nothing but `id` (and `__typename`): no fragments, no other field. */
function idOnly(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.every((f) => f.selectionSet?.selections.every((s) => s.kind === Kind.FIELD && (s.name.value === 'id' || s.name.value === '__typename')) ?? false)
}

/**
 * An account a row refers to. When only its address is asked for (e.g.
 * `delegator { id }` on every delegation of a page of nodes) the row already
 * has it: no lookup, no promise per row. The other figures of the stand-in
 * are never read.
 */
const accountRef = (ctx: ApiContext, id: string, info: GraphQLResolveInfo, at: At | undefined) => (idOnly(info) ? emptyAccount(id) : accountOf(ctx, id, at))

const CONNECTIONS = [
  'AccountConnection', 'TransferConnection', 'NodeConnection', 'NodeEraConnection', 'DelegationConnection', 'StakingEventConnection',
  'VestingScheduleConnection', 'BookingConnection', 'HyperNodeConnection', 'SlaAttestationConnection', 'NodePerformanceConnection',
]

export const resolvers = {
  BigInt: BigIntScalar,
  DateTime: DateTimeScalar,
  NodeStatus: { REGISTERED: 1, VALIDATED: 2, REJECTED: 3, REMOVED: 4 },
  HyperNodeStatus: { ACTIVE: 1, INACTIVE: 2 },
  BookingEndReason: { EXPIRED: 0, CANCELLED: 1, PROVIDER_FAULT: 2 },
  ...Object.fromEntries(CONNECTIONS.map((name) => [name, { totalCount: (c: Connection<unknown>) => c.totalCount!() }])),

  Query: {
    async _meta(_: unknown, __: unknown, ctx: ApiContext) {
      const s = await ctx.supply.head()
      return {
        height: s?.height ?? null,
        hash: s?.hash ?? null,
        timestamp: s?.timestamp.toISOString() ?? null,
        finalizedHeight: s?.finalized_height ?? null,
        chainHead: s?.chain_head ?? null,
        lag: s ? Math.max(0, s.chain_head - s.height) : null,
        undecodedLogs: s?.undecoded_logs ?? 0,
        inconsistencies: s?.inconsistencies ?? 0,
        hasErrors: (s?.undecoded_logs ?? 0) > 0 || (s?.inconsistencies ?? 0) > 0,
        unknownEvents: s?.unknown_events ?? [],
        warnings: s?.warnings ?? [],
      }
    },
    account: async (_: unknown, args: { id: string; block?: BlockArg | null }, ctx: ApiContext) => {
      const id = parseAddress('id', args.id)
      return ctx.accountAt(id, await resolveAt(ctx, 'block', args.block))
    },
    accounts: (_: unknown, args: Filtered<{ minBalance?: bigint | null; maxBalance?: bigint | null }, AccountOrder>, ctx: ApiContext, info: GraphQLResolveInfo) =>
      list(ctx, info, accountList({ minBalance: nonNegative('filter.minBalance', optBig(args.filter?.minBalance)), maxBalance: nonNegative('filter.maxBalance', optBig(args.filter?.maxBalance)) }, args.orderBy), args),
    transfers: (_: unknown, args: Filtered<TransferFilterArgs, 'NEWEST_FIRST' | 'OLDEST_FIRST'>, ctx: ApiContext, info: GraphQLResolveInfo) =>
      list(ctx, info, transferList(transferFilter(args.filter), args.orderBy !== 'OLDEST_FIRST'), args),
    node: async (_: unknown, args: { id: string; block?: BlockArg | null }, ctx: ApiContext) => {
      const id = parseUintId('id', args.id)!
      return ctx.nodeAt(id, await resolveAt(ctx, 'block', args.block))
    },
    nodes: async (_: unknown, args: AtBlock<Filtered<{ status?: number | null; region?: string | null; hwClass?: string | null; hardwareProvider?: string | null; minDelegatedStake?: bigint | null }, NodeOrder>>, ctx: ApiContext, info: GraphQLResolveInfo) => {
      const at = await resolveAt(ctx, 'block', args.block)
      return list(
        ctx,
        info,
        nodeList(
          {
            status: args.filter?.status ?? undefined,
            region: args.filter?.region ?? undefined,
            hwClass: args.filter?.hwClass ?? undefined,
            hardwareProvider: optAddress('filter.hardwareProvider', args.filter?.hardwareProvider),
            minDelegatedStake: nonNegative('filter.minDelegatedStake', optBig(args.filter?.minDelegatedStake)),
          },
          args.orderBy,
          at?.height,
        ),
        args,
        at,
      )
    },
    delegations: async (_: unknown, args: AtBlock<Filtered<DelegationFilterArgs, DelegationOrder>>, ctx: ApiContext, info: GraphQLResolveInfo) => {
      const f = delegationFilter(args.filter)
      const at = await resolveAt(ctx, 'block', args.block)
      return list(ctx, info, delegationList(f, args.orderBy, at?.height), args, at)
    },
    vestingSchedules: async (_: unknown, args: AtBlock<Filtered<{ beneficiary?: string | null; category?: string | null; revoked?: boolean | null }>>, ctx: ApiContext, info: GraphQLResolveInfo) => {
      const f = { beneficiary: optAddress('filter.beneficiary', args.filter?.beneficiary), category: args.filter?.category ?? undefined, revoked: args.filter?.revoked ?? undefined }
      const at = await resolveAt(ctx, 'block', args.block)
      return list(ctx, info, vestingScheduleList(f, at?.height), args, at)
    },
    bookings: async (_: unknown, args: AtBlock<Filtered<BookingFilterArgs, BookingOrder>>, ctx: ApiContext, info: GraphQLResolveInfo) => {
      const f = bookingFilter(args.filter)
      const at = await resolveAt(ctx, 'block', args.block)
      return list(ctx, info, bookingList(f, args.orderBy, at?.height), args, at)
    },
    hyperNodes: async (_: unknown, args: AtBlock<Filtered<{ status?: number | null }>>, ctx: ApiContext, info: GraphQLResolveInfo) => {
      const at = await resolveAt(ctx, 'block', args.block)
      return list(ctx, info, hyperNodeList({ status: args.filter?.status ?? undefined }, at?.height), args, at)
    },
    slaAttestations: (
      _: unknown,
      args: Filtered<RangeArgs & { nodeId?: string | null; hyperNodeId?: string | null; eraFrom?: number | null; eraTo?: number | null }, 'NEWEST_FIRST' | 'OLDEST_FIRST'>,
      ctx: ApiContext,
      info: GraphQLResolveInfo,
    ) =>
      list(
        ctx,
        info,
        slaAttestationList(
          {
            ...parseRange('filter', args.filter),
            nodeId: parseUintId('filter.nodeId', args.filter?.nodeId),
            hyperNodeId: parseUintId('filter.hyperNodeId', args.filter?.hyperNodeId),
            eraFrom: parseBlock('filter.eraFrom', args.filter?.eraFrom),
            eraTo: parseBlock('filter.eraTo', args.filter?.eraTo),
          },
          args.orderBy !== 'OLDEST_FIRST',
        ),
        args,
      ),
    stakingHistory: (_: unknown, args: Filtered<StakingFilterArgs, 'NEWEST_FIRST' | 'OLDEST_FIRST'> & { account: string }, ctx: ApiContext, info: GraphQLResolveInfo) =>
      list(ctx, info, stakingHistoryList(parseAddress('account', args.account), stakingFilter(args.filter), args.orderBy !== 'OLDEST_FIRST'), args),
  },

  Account: {
    balance,
    async balanceFormatted(row: AccountRow, args: { block?: number | null }, ctx: ApiContext) {
      return formatUnits(await balance(row, args, ctx))
    },
    transfers: (row: AccountRow, args: Filtered<TransferFilterArgs, 'NEWEST_FIRST' | 'OLDEST_FIRST'>, ctx: ApiContext, info: GraphQLResolveInfo) => {
      const at = atOf(row)
      const f = capped(transferFilter(args.filter), at)
      return nested(ctx, info, 'Account.transfers', args, transferList({ ...f, account: PARENT_KEY }, args.orderBy !== 'OLDEST_FIRST', at?.height), row.id, at)
    },
    delegations: (row: AccountRow, args: Filtered<DelegationFilterArgs, DelegationOrder>, ctx: ApiContext, info: GraphQLResolveInfo) => {
      const at = atOf(row)
      const f = delegationFilter(args.filter)
      return nested(ctx, info, 'Account.delegations', args, delegationList({ ...f, delegator: PARENT_KEY }, args.orderBy, at?.height), row.id, at)
    },
    vestingSchedules: (row: AccountRow, args: PageArgs, ctx: ApiContext, info: GraphQLResolveInfo) => nested(ctx, info, 'Account.vestingSchedules', args, vestingScheduleList({ beneficiary: PARENT_KEY }, atOf(row)?.height), row.id, atOf(row)),
    bookings: (row: AccountRow, args: Ordered<BookingOrder>, ctx: ApiContext, info: GraphQLResolveInfo) => nested(ctx, info, 'Account.bookings', args, bookingList({ serviceProvider: PARENT_KEY }, args.orderBy, atOf(row)?.height), row.id, atOf(row)),
    nodes: (row: AccountRow, args: PageArgs, ctx: ApiContext, info: GraphQLResolveInfo) => nested(ctx, info, 'Account.nodes', args, nodeList({ hardwareProvider: PARENT_KEY }, 'ID', atOf(row)?.height), row.id, atOf(row)),
    stakingHistory: (row: AccountRow, args: Filtered<StakingFilterArgs, 'NEWEST_FIRST' | 'OLDEST_FIRST'>, ctx: ApiContext, info: GraphQLResolveInfo) => {
      const at = atOf(row)
      const f = capped(stakingFilter(args.filter), at)
      return nested(ctx, info, 'Account.stakingHistory', args, stakingHistoryList(PARENT_KEY, f, args.orderBy !== 'OLDEST_FIRST', at?.height), row.id, at)
    },
  },

  Transfer: {
    valueFormatted: (r: TransferRow) => formatUnits(r.value),
    fromAccount: (r: TransferRow, _: unknown, ctx: ApiContext, info: GraphQLResolveInfo) => accountRef(ctx, r.from, info, atOf(r)),
    toAccount: (r: TransferRow, _: unknown, ctx: ApiContext, info: GraphQLResolveInfo) => accountRef(ctx, r.to, info, atOf(r)),
  },

  Node: {
    id: (r: NodeRow) => r.nodeId,
    hardwareProvider: (r: NodeRow, _: unknown, ctx: ApiContext, info: GraphQLResolveInfo) => accountRef(ctx, r.hardwareProvider, info, atOf(r)),
    bookedCapacity: (r: NodeRow, _: unknown, ctx: ApiContext) => ctx.bookedCapacityAt(r.id, atOf(r)),
    delegations: (r: NodeRow, args: Filtered<DelegationFilterArgs, DelegationOrder>, ctx: ApiContext, info: GraphQLResolveInfo) => {
      const f = delegationFilter(args.filter)
      return nested(ctx, info, 'Node.delegations', args, delegationList({ ...f, nodeId: PARENT_KEY }, args.orderBy, atOf(r)?.height), r.id, atOf(r))
    },
    bookings: (r: NodeRow, args: Filtered<BookingFilterArgs, BookingOrder>, ctx: ApiContext, info: GraphQLResolveInfo) => {
      const f = bookingFilter(args.filter)
      return nested(ctx, info, 'Node.bookings', args, bookingList({ ...f, nodeId: PARENT_KEY }, args.orderBy, atOf(r)?.height), r.id, atOf(r))
    },
    eras: (r: NodeRow, args: PageArgs, ctx: ApiContext, info: GraphQLResolveInfo) => {
      const at = atOf(r)
      if (!at) return nested(ctx, info, 'Node.eras', args, nodeEraList(PARENT_KEY), r.id, undefined)
      return nested(ctx, info, 'Node.eras', args, nodeEraListAt(at.height, PARENT_KEY), r.id, at, (row) => eraAt(row, ctx.preset.sla))
    },
  },

  Delegation: {
    delegator: (r: DelegationRow, _: unknown, ctx: ApiContext, info: GraphQLResolveInfo) => accountRef(ctx, r.delegator, info, atOf(r)),
    node: (r: DelegationRow, _: unknown, ctx: ApiContext) => mustLoad(ctx.nodeAt(r.nodeId, atOf(r)), `node ${r.nodeId}`),
    amountFormatted: (r: DelegationRow) => formatUnits(r.amount),
    events: (r: DelegationRow, _: unknown, ctx: ApiContext) => ctx.delegationEventsAt(r.id, atOf(r)),
  },

  DelegationEvent: {
    nodeId: (r: StakingEventRow) => unpad(r.nodeId),
  },

  StakingEvent: {
    nodeId: (r: StakingEventRow) => unpad(r.nodeId),
    amountFormatted: (r: StakingEventRow) => (r.amount == null ? null : formatUnits(r.amount)),
  },

  VestingSchedule: {
    id: (r: VestingScheduleRow) => r.scheduleId,
    beneficiary: (r: VestingScheduleRow, _: unknown, ctx: ApiContext, info: GraphQLResolveInfo) => accountRef(ctx, r.beneficiary, info, atOf(r)),
  },

  Booking: {
    id: (r: BookingRow) => r.bookingId,
    node: (r: BookingRow, _: unknown, ctx: ApiContext) => mustLoad(ctx.nodeAt(r.nodeId, atOf(r)), `node ${r.nodeId}`),
    serviceProvider: (r: BookingRow, _: unknown, ctx: ApiContext, info: GraphQLResolveInfo) => accountRef(ctx, r.serviceProvider, info, atOf(r)),
    priceFormatted: (r: BookingRow) => formatUnits(r.price),
  },

  HyperNode: {
    id: (r: { hyperNodeId: string }) => r.hyperNodeId,
  },

  SlaAttestation: {
    nodeId: (r: SlaAttestationRow) => unpad(r.nodeId),
    hyperNodeId: (r: SlaAttestationRow) => unpad(r.hyperNodeId),
    node: (r: SlaAttestationRow, _: unknown, ctx: ApiContext) => mustLoad(ctx.node.load(r.nodeId), `node ${r.nodeId}`),
    hyperNode: (r: SlaAttestationRow, _: unknown, ctx: ApiContext) => mustLoad(ctx.hyperNode.load(r.hyperNodeId), `HyperNode ${r.hyperNodeId}`),
  },
}
