/**
 * The chains of the API's answers. Every chain-scoped row (an account, a
 * transfer, a node, ...) is answered from one chain's index and carries that
 * chain: its `chain` field names it, and every field and nested list under it
 * reads the same chain's index (so `block:` arguments refer to the entity's
 * chain). On a single-chain network there is one chain, the preset's.
 *
 * On a multi-chain network (src/api/network.ts) each request has one
 * ApiContext per chain. A top-level field answers from the chain its `chain`
 * argument names, or else from the chain that holds what it asks about: the
 * protocol's lists (nodes, delegations, bookings, HyperNodes, attestations,
 * staking history, performance) from the chain of the staking contract, the
 * vesting lists from the chain of the vesting contract, and the token's lists
 * (transfers, accounts) from every chain, merged (mergedList below).
 */
import { DocumentNode, GraphQLError, GraphQLResolveInfo, GraphQLScalarType, InputValueDefinitionNode, Kind, parse, visit } from 'graphql'
import { decodeCursor, encodeCursor } from '../domain/cursor'
import type { ApiContext } from './context'
import { badInput } from './errors'
import type { Connection } from './pagination'
import { MAX_PAGE, DEFAULT_PAGE } from './pagination'

const CHAIN = Symbol('chain')

/** The chain a row was answered from (undefined: the request's own chain). */
export function chainOf(row: unknown): string | undefined {
  return row !== null && typeof row === 'object' ? (row as { [CHAIN]?: string })[CHAIN] : undefined
}

/** A row keeps the chain it was first marked with (a network answer's parts are each their own chain's). */
function stampOne(v: unknown, chain: string): void {
  if (v !== null && typeof v === 'object' && !(v instanceof Date) && (v as { [CHAIN]?: string })[CHAIN] === undefined) (v as { [CHAIN]?: string })[CHAIN] = chain
}

/** Marks what a resolver answered (a row, a list of rows, a connection's rows) as coming from `chain`. */
export function stamp<T>(v: T, chain: string): T {
  if (Array.isArray(v)) for (const x of v) stampOne(x, chain)
  else if (v !== null && typeof v === 'object') {
    const nodes = (v as { nodes?: unknown }).nodes
    if (Array.isArray(nodes)) for (const x of nodes) stampOne(x, chain)
    stampOne(v, chain)
  }
  return v
}

const stampLater = <T>(v: T | Promise<T>, chain: string): T | Promise<T> => (v instanceof Promise ? v.then((x) => stamp(x, chain)) : stamp(v, chain))

/** The context of the chain `row` was answered from. */
export function ctxOf(ctx: ApiContext, row: unknown): ApiContext {
  const c = chainOf(row)
  return (c !== undefined && ctx.network?.chains.get(c)) || ctx
}

/** The context of the chain a `chain` argument names; an unknown name is BAD_USER_INPUT listing the chains. */
export function namedChain(ctx: ApiContext, argument: string, name: string): ApiContext {
  const chains = ctx.network?.chains
  const found = chains ? chains.get(name) : name === ctx.chain ? ctx : undefined
  if (!found) throw badInput(argument, `"${name.slice(0, 60)}" is not a chain of this network (its chains: ${chains ? [...chains.keys()].join(', ') : ctx.chain})`)
  return found
}

/** What a field is about, and so which chain answers it when no `chain` argument names one. */
export type Home = 'protocol' | 'vesting' | 'every' | 'network'

/** Top-level fields by home; any other field answers from the protocol's chain. */
const QUERY_HOMES: Record<string, Home> = {
  vestingSchedules: 'vesting',
  allocations: 'vesting',
  unlockSchedule: 'vesting',
  vestedSupply: 'vesting',
  transfers: 'every',
  accounts: 'every',
  account: 'network',
  _meta: 'network',
  supply: 'network',
  supplyHistory: 'network',
  holders: 'network',
}

/** Top-level fields that take no `chain` argument (they are the network's on a multi-chain network; see src/api/network.ts). */
const NO_CHAIN_ARGUMENT = new Set(['supply', 'supplyHistory', 'chainSupply', 'chainSupplyHistory'])

/** Nested fields answered from the chain that holds what they list, not the parent's. */
const NESTED_HOMES: Record<string, Home> = {
  'Account.delegations': 'protocol',
  'Account.bookings': 'protocol',
  'Account.nodes': 'protocol',
  'Account.stakingHistory': 'protocol',
  'Account.vestingSchedules': 'vesting',
}

/** The chain-scoped types: each gets a `chain` field. */
export const CHAIN_SCOPED = [
  'Account', 'Transfer', 'Node', 'NodeEra', 'Delegation', 'DelegationEvent', 'StakingEvent', 'VestingSchedule', 'Booking', 'HyperNode', 'SlaAttestation',
  'NodePerformance', 'Supply', 'Meta',
]

export const chainTypeDefs = /* GraphQL */ `
  extend type Account {
    "This address's balance on every chain of the network, in the preset's order; for an account asked at a past block, each other chain at its latest block at or before that block's time."
    balances: [ChainBalance!]!
    "The sum of balances: the address's ICNT over the whole network (on a single-chain network, its balance)."
    networkBalance: BigInt!
  }

  type ChainBalance {
    chain: String!
    balance: BigInt!
    balanceFormatted: String!
  }

  extend type Meta {
    "Each chain's own (on a single-chain network, this one). On a multi-chain network \`_meta\` without a chain is the network's: the earlier head time, the largest lag, the errors of every chain; no height or hash."
    chains: [Meta!]!
  }

  ${CHAIN_SCOPED.map((t) => `extend type ${t} {\n    "The chain this was answered from (a chain of the network preset; on a single-chain network, the preset's name)."\n    chain: String!\n  }`).join('\n  ')}
`

/**
 * Adds an optional `chain: String` argument to every top-level query field
 * (but those of NO_CHAIN_ARGUMENT), so each list and lookup can be asked of
 * one chain.
 */
export function withChainArguments(doc: DocumentNode): DocumentNode {
  const arg: InputValueDefinitionNode = {
    kind: Kind.INPUT_VALUE_DEFINITION,
    name: { kind: Kind.NAME, value: 'chain' },
    type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'String' } },
    description: { kind: Kind.STRING, value: 'Answer from this chain of the network (default: the chain that holds what is asked; on a multi-chain network, every chain for the token lists).' },
  }
  return visit(doc, {
    ObjectTypeDefinition: { enter: (node) => (node.name.value === 'Query' ? undefined : false) },
    ObjectTypeExtension: { enter: (node) => (node.name.value === 'Query' ? undefined : false) },
    FieldDefinition: (node) => (NO_CHAIN_ARGUMENT.has(node.name.value) || node.arguments?.some((a) => a.name.value === 'chain') ? undefined : { ...node, arguments: [...(node.arguments ?? []), arg] }),
  })
}

export const parseDefs = (defs: string[]): DocumentNode[] => defs.map((d) => parse(d))

type Resolver = (parent: unknown, args: Record<string, unknown>, ctx: ApiContext, info: GraphQLResolveInfo) => unknown
type ResolverMap = Record<string, Record<string, unknown> | GraphQLScalarType>

/** The context a home's lists are answered from. */
export function homeCtx(ctx: ApiContext, home: Home): ApiContext {
  const n = ctx.network
  if (!n) return ctx
  if (home === 'vesting') return n.chains.get(n.api.vesting)!
  return n.chains.get(n.api.protocol)!
}

/**
 * The resolvers with chains: `chain` on every chain-scoped type; each
 * top-level field answering from its chain (argument or home); each nested
 * field reading its parent's chain (or its own home) and marking what it
 * answers. `merged` answers the 'every' fields over several chains, and
 * `network` the 'network' fields, on a multi-chain network.
 */
export function withChains(maps: ResolverMap[], hooks: { merged: Record<string, Resolver>; network: Record<string, Resolver> }, multi: boolean): ResolverMap[] {
  const out: ResolverMap[] = []
  for (const map of maps) {
    const copy: ResolverMap = {}
    for (const [type, fields] of Object.entries(map)) {
      if (fields instanceof GraphQLScalarType || type === 'Subscription' || Object.values(fields).every((v) => typeof v !== 'function')) {
        copy[type] = fields
        continue
      }
      const wrapped: Record<string, unknown> = {}
      for (const [name, f] of Object.entries(fields)) {
        if (typeof f !== 'function') {
          wrapped[name] = f
          continue
        }
        const orig = f as Resolver
        // One chain: nested fields read the request's one context, unwrapped.
        wrapped[name] = type === 'Query' ? queryField(name, orig, hooks) : multi ? nestedField(`${type}.${name}`, orig) : orig
      }
      copy[type] = wrapped
    }
    out.push(copy)
  }
  out.push(Object.fromEntries(CHAIN_SCOPED.map((t) => [t, { chain: (row: unknown, _: unknown, ctx: ApiContext) => chainOf(row) ?? ctx.chain }])))
  if (multi) {
    // Each type's own id resolver, wherever it is defined, wrapped to carry the chain.
    const own = (t: string) => out.map((m) => (m[t] as Record<string, unknown> | undefined)?.id).find((f): f is Resolver => typeof f === 'function')
    const ids = Object.fromEntries(ID_TYPES.map((t) => [t, { id: chainId(own(t)) }]))
    for (const m of out) for (const t of ID_TYPES) if (m[t] && !(m[t] instanceof GraphQLScalarType)) delete (m[t] as Record<string, unknown>).id
    out.push(ids)
  }
  return out
}

/**
 * On a multi-chain network every chain-scoped id carries its chain
 * (`l2:5`, `l1:0xabc…`): two chains' rows never share an id, so a client's
 * cache keyed by type and id keeps them apart. On one chain ids are as they
 * always were.
 */
export const ID_TYPES = ['Account', 'Transfer', 'Node', 'Delegation', 'DelegationEvent', 'StakingEvent', 'VestingSchedule', 'Booking', 'HyperNode', 'SlaAttestation']

/** The arguments that name a row by its id (a lookup's `id`, a node's, a wallet's): a chain's prefix there picks the chain. */
const ID_ARGUMENTS = ['id', 'nodeId', 'account']

/** `value` without a network chain's prefix, and that chain (undefined: no prefix of a chain of the network). */
function unprefixed(ctx: ApiContext, value: string): { value: string; chain?: string } {
  const i = value.indexOf(':')
  if (i <= 0) return { value }
  const chain = value.slice(0, i)
  return ctx.network?.chains.has(chain) ? { value: value.slice(i + 1), chain } : { value }
}

/** The arguments with every chain prefix taken off (top-level strings and the filter's), and the chain an id argument's prefix names. */
function withoutPrefixes(ctx: ApiContext, args: Record<string, unknown>): { args: Record<string, unknown>; chain?: string; from?: string } {
  let chain: string | undefined
  let from: string | undefined
  const out: Record<string, unknown> = { ...args }
  for (const [k, v] of Object.entries(args)) {
    if (typeof v === 'string') {
      const u = unprefixed(ctx, v)
      out[k] = u.value
      if (u.chain && ID_ARGUMENTS.includes(k) && chain === undefined) {
        chain = u.chain
        from = k
      }
    }
  }
  const f = args.filter
  if (f && typeof f === 'object' && !Array.isArray(f)) {
    out.filter = Object.fromEntries(Object.entries(f as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? unprefixed(ctx, v).value : v]))
  }
  return { args: out, chain, from }
}

function queryField(name: string, orig: Resolver, hooks: { merged: Record<string, Resolver>; network: Record<string, Resolver> }): Resolver {
  const home = QUERY_HOMES[name] ?? 'protocol'
  return (parent, given, ctx, info) => {
    let args = given
    let named: string | undefined
    if (ctx.network) {
      const u = withoutPrefixes(ctx, given)
      args = u.args
      if (u.chain !== undefined) {
        if (typeof given.chain === 'string' && given.chain !== u.chain) throw badInput(u.from!, `names chain ${u.chain}, but chain is ${given.chain.slice(0, 60)}`)
        named = u.chain
      }
    }
    const { chain: argument, ...rest } = args
    const chain = named ?? argument
    if (typeof chain === 'string') {
      const c = namedChain(ctx, 'chain', chain)
      return stampLater(orig(parent, rest, c, info), c.chain)
    }
    if (!ctx.network) return orig(parent, rest, ctx, info)
    if (home === 'every' && hooks.merged[name]) return hooks.merged[name](parent, rest, ctx, info)
    if (home === 'network' && hooks.network[name]) return hooks.network[name](parent, rest, ctx, info)
    const c = homeCtx(ctx, home)
    return stampLater(orig(parent, rest, c, info), c.chain)
  }
}

function nestedField(key: string, orig: Resolver): Resolver {
  const home = NESTED_HOMES[key]
  return (parent, args, ctx, info) => {
    if (!ctx.network) return orig(parent, args, ctx, info)
    // A merged row (a network account) has no chain: its nested lists are the home's.
    const c = home ? homeCtx(ctx, home) : ctxOf(ctx, parent)
    return stampLater(orig(parent, withoutPrefixes(ctx, args).args, c, info), c.chain)
  }
}

/** An id resolver giving the row's id with its chain (`orig`: the type's own id resolver, if it has one). */
function chainId(orig: Resolver | undefined): Resolver {
  return (row, args, ctx, info) => {
    const chain = chainOf(row) ?? ctx.chain
    const id = orig ? orig(row, args, ctx, info) : (row as { id: unknown }).id
    return id instanceof Promise ? id.then((v) => `${chain}:${String(v)}`) : `${chain}:${String(id)}`
  }
}

// ------------------------------------------------------------------ merged lists

/**
 * A list over several chains, in one order: each chain's page (its own
 * keyset, its own cursors) merged by `before`, a strict weak order consistent
 * with every chain's own order (for chain-ordered lists: the block time; for
 * the others, the list's own key); rows of different chains that tie come in
 * the network preset's chain order. A merged cursor holds, for the row it
 * stands for, that row's own cursor and, for every other chain, the cursors
 * of its rows just before and just after the row in the merged order, so a
 * page after or before it starts each chain where the merged order does.
 */
export interface MergeCursor {
  /** The list's name (refuses a cursor of another merged list). */
  t: string
  /** The row's chain and its cursor there (every cursor here without its encoding: decodeCursor's text). */
  c: string
  k: string
  /** Every other chain: its last row before the cut, null: none (from its start). */
  a: Record<string, string | null>
  /** Every other chain: its first row after the cut, null: none (to its end). */
  b: Record<string, string | null>
}

/** A merged cursor holds up to three per-chain keys for each chain: longer than one chain's. */
const MAX_MERGE_CURSOR = 2000

export function encodeMergeCursor(m: MergeCursor): string {
  return encodeCursor(JSON.stringify(m))
}

function parseMergeCursor(argument: string, cursor: string | null | undefined, tag: string, chains: string[]): MergeCursor | undefined {
  if (cursor == null) return undefined
  const raw = decodeCursor(cursor, MAX_MERGE_CURSOR)
  let m: unknown
  try {
    m = raw == null ? null : JSON.parse(raw)
  } catch {
    m = null
  }
  const isMap = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x) && Object.entries(x as object).every(([k, v]) => chains.includes(k) && (v === null || typeof v === 'string'))
  const o = m as MergeCursor | null
  if (!o || typeof o !== 'object' || typeof o.t !== 'string' || typeof o.c !== 'string' || typeof o.k !== 'string' || !isMap(o.a) || !isMap(o.b) || !chains.includes(o.c)) {
    throw badInput(argument, 'is not a cursor returned by this list over every chain (a cursor of one chain\'s list needs that list\'s chain argument)')
  }
  if (o.t !== tag) throw badInput(argument, `is a cursor of another list or order (${o.t.slice(0, 60)}), not of this one (${tag})`)
  return o
}

interface ChainPage<R> {
  chain: string
  rows: R[]
  cursors: string[]
  /** More rows beyond the fetched ones, in the direction of the page. */
  more: boolean
}

/**
 * `fetch` answers one chain's page of the list (the list's own resolver on
 * that chain's context). `tag` names the list and its order and filter; rows
 * compare by `cmp` (negative: a comes first).
 */
export async function mergedList<R extends object>(
  ctx: ApiContext,
  args: { first?: number | null; after?: string | null; last?: number | null; before?: string | null },
  tag: string,
  cmp: (a: R, b: R) => number,
  fetch: (chain: ApiContext, page: { first?: number; after?: string; last?: number; before?: string }) => Promise<Connection<R>>,
): Promise<Connection<R>> {
  const chains = [...ctx.network!.chains.values()]
  const names = chains.map((c) => c.chain)
  if (args.first != null && args.last != null) throw badInput('first', 'give either first or last, not both')
  for (const name of ['first', 'last'] as const) {
    const v = args[name]
    if (v != null && (v < 0 || v > MAX_PAGE)) throw badInput(name, `must be between 0 and ${MAX_PAGE} (got ${v})`)
  }
  const after = parseMergeCursor('after', args.after, tag, names)
  const before = parseMergeCursor('before', args.before, tag, names)
  const backward = args.last != null || (args.before != null && args.first == null)
  const size = (backward ? args.last : args.first) ?? DEFAULT_PAGE
  const boundOf = (m: MergeCursor | undefined, chain: string, side: 'a' | 'b') => (m === undefined ? undefined : m.c === chain ? m.k : (m[side][chain] ?? null))
  const encoded = (inner: string | null | undefined) => (inner ? encodeCursor(inner) : undefined)
  const pages: ChainPage<R>[] = await Promise.all(
    chains.map(async (c) => {
      const a = boundOf(after, c.chain, 'a')
      const b = boundOf(before, c.chain, 'b')
      // A bound of null: nothing of this chain is on that side of the cut (after: from its start; before: to its end).
      const conn = await fetch(c, { ...(backward ? { last: size } : { first: size }), ...(a ? { after: encoded(a) } : {}), ...(b ? { before: encoded(b) } : {}) })
      return { chain: c.chain, rows: stamp(conn.nodes, c.chain), cursors: conn.edges.map((e) => decodeCursor(e.cursor)!), more: backward ? conn.pageInfo.hasPreviousPage : conn.pageInfo.hasNextPage }
    }),
  )
  const rank = new Map(names.map((n, i) => [n, i]))
  // Merge: forward from each page's start, backward from each page's end.
  const pos = pages.map((p) => (backward ? p.rows.length - 1 : 0))
  const taken: { page: number; index: number }[] = []
  while (taken.length < size) {
    let best = -1
    for (let i = 0; i < pages.length; i++) {
      if (backward ? pos[i] < 0 : pos[i] >= pages[i].rows.length) continue
      if (best < 0) {
        best = i
        continue
      }
      const d = cmp(pages[i].rows[pos[i]], pages[best].rows[pos[best]]) || rank.get(pages[i].chain)! - rank.get(pages[best].chain)!
      if (backward ? d > 0 : d < 0) best = i
    }
    if (best < 0) break
    taken.push({ page: best, index: pos[best] })
    pos[best] += backward ? -1 : 1
  }
  if (backward) taken.reverse()
  const left = pages.some((p, i) => (backward ? pos[i] >= 0 : pos[i] < p.rows.length) || p.more)
  // Each chain's position at the start of the page: the index of its first row in the page's order.
  const startOf = pages.map((p, i) => (backward ? pos[i] + 1 : 0))
  const cursorAt = (t: number): string => {
    const own = taken[t]
    const m: MergeCursor = { t: tag, c: pages[own.page].chain, k: pages[own.page].cursors[own.index], a: {}, b: {} }
    pages.forEach((p, i) => {
      if (i === own.page) return
      // Rows of chain i in the merged page up to and including row t.
      let consumed = startOf[i]
      for (let s = 0; s <= t; s++) if (taken[s].page === i) consumed = taken[s].index + 1
      const prior = consumed - 1
      if (prior >= 0) m.a[p.chain] = p.cursors[prior]
      else m.a[p.chain] = backward ? (p.more ? boundError() : null) : (boundOf(after, p.chain, 'a') ?? null)
      if (consumed < p.rows.length) m.b[p.chain] = p.cursors[consumed]
      else m.b[p.chain] = backward ? (boundOf(before, p.chain, 'b') ?? null) : p.more ? boundError() : null
    })
    return encodeMergeCursor(m)
  }
  const nodes = taken.map((x) => pages[x.page].rows[x.index])
  let edges: { cursor: string; node: R }[] | undefined
  return {
    get edges() {
      return (edges ??= nodes.map((node, t) => ({ cursor: cursorAt(t), node })))
    },
    nodes,
    pageInfo: {
      hasNextPage: backward ? before !== undefined : left,
      hasPreviousPage: backward ? left : after !== undefined,
      get startCursor() {
        return nodes.length ? cursorAt(0) : null
      },
      get endCursor() {
        return nodes.length ? cursorAt(nodes.length - 1) : null
      },
    },
    totalCount: async () => {
      const counts = await Promise.all(chains.map(async (c) => (await fetch(c, { first: 0 })).totalCount?.() ?? 0))
      return counts.reduce((s, n) => s + n, 0)
    },
  }
}

/**
 * A chain whose whole fetched page is in the merged page while it has more:
 * then every row of the merged page is its, and no cursor needs another
 * chain's row beyond the fetched ones. Reaching this is a bug.
 */
function boundError(): never {
  throw new GraphQLError('merged list: a chain\'s bound lies beyond its fetched page', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })
}
