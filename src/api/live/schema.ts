/**
 * The API's subscriptions: live updates pushed over WebSocket when the
 * indexer commits. Part of the one executable schema (src/api/executable.ts);
 * they resolve to the same row shapes as the lists, so a pushed Transfer,
 * DelegationEvent or SlaAttestation has every field the queries give.
 */
import { GraphQLError } from 'graphql'
import { parseAddress, parseUintId } from '../args'
import type { DelegationEventRow } from '../sql/live'
import type { SlaAttestationRow, TransferRow } from '../sql/lists'
import { badInput } from '../errors'
import type { Delivery, DeliveryOrder, IndexedBlock, LiveFeed } from './feed'

export const liveTypeDefs = /* GraphQL */ `
  """
  Live updates over WebSocket: the graphql-transport-ws protocol (the
  \`graphql-ws\` client) at /graphql, subscriptions only (queries go over
  HTTP). An item is pushed once the indexer has committed it, so a query
  made on receipt finds it; items come in chain order. A subscription gets
  what is committed after it starts; to resume after a disconnection, query
  the lists from the last block received, then subscribe again.

  Reorgs: when the index rolls back blocks it had already pushed, \`blocks\`
  pushes the highest block still indexed with \`reorg: true\`: items received
  for blocks above it are void, and the items of the new branch from there
  on are pushed again (so an item may come twice: keep the latest). Subscribe
  to \`blocks\` alongside the others to see rollbacks.
  """
  type Subscription {
    "The index's head after each commit (one event may cover several blocks or commits)."
    blocks: IndexedBlock!
    "New ICNT transfers matching the filter."
    transfers(filter: TransferSubscriptionFilter): Transfer!
    "New delegation events matching the filter."
    delegationEvents(filter: DelegationEventSubscriptionFilter): DelegationEvent!
    "New SLA reports from HyperNodes matching the filter."
    slaAttestations(filter: SlaAttestationSubscriptionFilter): SlaAttestation!
  }

  type IndexedBlock {
    height: Int!
    hash: String!
    timestamp: DateTime!
    "The index rolled back to this block: items pushed earlier for blocks above it are void; the new branch's follow."
    reorg: Boolean!
  }

  input TransferSubscriptionFilter {
    "Either side."
    account: String
    from: String
    to: String
    "At least this much (wei)."
    minValue: BigInt
  }

  input DelegationEventSubscriptionFilter {
    delegator: String
    nodeId: ID
    "Any of these kinds (all when not given)."
    kinds: [DelegationEventKind!]
  }

  input SlaAttestationSubscriptionFilter {
    nodeId: ID
    hyperNodeId: ID
  }
`

/** The context a subscription's source is built in: the server's feed and the connection's delivery order. */
export class LiveSource {
  constructor(
    readonly feed: LiveFeed,
    readonly order?: DeliveryOrder,
  ) {}
}

const overWebSocketOnly = () =>
  new GraphQLError('subscriptions are served over WebSocket (the graphql-transport-ws protocol) at /graphql', { extensions: { code: 'BAD_REQUEST' } })

function source(ctx: unknown): LiveSource {
  if (ctx instanceof LiveSource) return ctx
  throw overWebSocketOnly()
}

const optAddress = (argument: string, v: string | null | undefined) => (v == null ? undefined : parseAddress(argument, v))

interface TransferSubscriptionArgs {
  account?: string | null
  from?: string | null
  to?: string | null
  minValue?: bigint | null
}

export function transferMatcher(f: TransferSubscriptionArgs | null | undefined): (r: TransferRow) => boolean {
  const account = optAddress('filter.account', f?.account)
  const from = optAddress('filter.from', f?.from)
  const to = optAddress('filter.to', f?.to)
  const minValue = f?.minValue ?? undefined
  if (minValue !== undefined && minValue < 0n) throw badInput('filter.minValue', `must be ≥ 0 (got ${minValue})`)
  return (r) =>
    (account === undefined || r.from === account || r.to === account) &&
    (from === undefined || r.from === from) &&
    (to === undefined || r.to === to) &&
    (minValue === undefined || BigInt(r.value) >= minValue)
}

interface DelegationEventSubscriptionArgs {
  delegator?: string | null
  nodeId?: string | null
  kinds?: string[] | null
}

export function delegationEventMatcher(f: DelegationEventSubscriptionArgs | null | undefined): (r: DelegationEventRow) => boolean {
  const delegator = optAddress('filter.delegator', f?.delegator)
  const nodeId = parseUintId('filter.nodeId', f?.nodeId)
  const kinds = f?.kinds ? new Set(f.kinds) : undefined
  return (r) => (delegator === undefined || r.delegator === delegator) && (nodeId === undefined || r.nodeId === nodeId) && (kinds === undefined || kinds.has(r.kind))
}

interface SlaAttestationSubscriptionArgs {
  nodeId?: string | null
  hyperNodeId?: string | null
}

export function slaAttestationMatcher(f: SlaAttestationSubscriptionArgs | null | undefined): (r: SlaAttestationRow) => boolean {
  const nodeId = parseUintId('filter.nodeId', f?.nodeId)
  const hyperNodeId = parseUintId('filter.hyperNodeId', f?.hyperNodeId)
  return (r) => (nodeId === undefined || r.nodeId === nodeId) && (hyperNodeId === undefined || r.hyperNodeId === hyperNodeId)
}

// Executed without a source event (a subscription sent over HTTP, run as a query), there is no item.
function item<T>(d: Delivery<T> | undefined): T {
  if (d === undefined) throw overWebSocketOnly()
  return d.item
}

export const liveResolvers = {
  Subscription: {
    blocks: {
      subscribe: (_: unknown, __: unknown, ctx: unknown) => {
        const { feed, order } = source(ctx)
        return feed.subscribe('blocks', () => true, order)
      },
      resolve: item<IndexedBlock>,
    },
    transfers: {
      subscribe: (_: unknown, args: { filter?: TransferSubscriptionArgs | null }, ctx: unknown) => {
        const { feed, order } = source(ctx)
        return feed.subscribe('transfers', transferMatcher(args.filter), order)
      },
      resolve: item<TransferRow>,
    },
    delegationEvents: {
      subscribe: (_: unknown, args: { filter?: DelegationEventSubscriptionArgs | null }, ctx: unknown) => {
        const { feed, order } = source(ctx)
        return feed.subscribe('delegationEvents', delegationEventMatcher(args.filter), order)
      },
      resolve: item<DelegationEventRow>,
    },
    slaAttestations: {
      subscribe: (_: unknown, args: { filter?: SlaAttestationSubscriptionArgs | null }, ctx: unknown) => {
        const { feed, order } = source(ctx)
        return feed.subscribe('slaAttestations', slaAttestationMatcher(args.filter), order)
      },
      resolve: item<SlaAttestationRow>,
    },
  },
}
