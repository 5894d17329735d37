/**
 * The API over a multi-chain network (a preset with `chains`): each chain's
 * index is read through a pool of its own whose sessions' search_path is the
 * chain's schema, so every statement of the single-chain API reads that
 * chain's tables unchanged. A request has one ApiContext per chain
 * (src/api/chains.ts routes each field to one); what spans the chains is
 * answered here: the network's supply (../shared/icn-protocol.md, "Two
 * chains, one network"), `_meta`, holders, and the merged token lists.
 */
import { createHash } from 'node:crypto'
import { GraphQLError, GraphQLResolveInfo } from 'graphql'
import { chainSchemas, MultiChainPreset, NetworkPreset, withSearchPath } from '../config'
import { chainPreset } from '../config/preset'
import { buckets, Interval } from '../domain/supply'
import { NetworkInstantError, networkSupply, NetworkSupply } from '../domain/network-supply'
import { ApiContext, NetworkRequest, NetworkView } from './context'
import { chainOf, ctxOf, mergedList, stamp } from './chains'
import { atOf, markAt } from './at'
import { badInput, IndexedRange, outOfRange } from './errors'
import { HeadCache } from './headcache'
import type { Connection } from './pagination'
import { Db } from './sql/db'
import type { AccountRow, TransferRow } from './sql/lists'
import { networkHolders, receivedInWindows } from './sql/supply'
import { MAX_POINTS, SupplyAnswer } from './supply/service'

const ZERO = '0x0000000000000000000000000000000000000000'

export interface ChainHandle {
  name: string
  preset: NetworkPreset
  db: Db
  headCache: HeadCache
  /** The schema of its tables. */
  schema: string
}

export class NetworkApi implements NetworkView {
  /** The chain of the staking contract (the protocol's lists), and of the vesting contract. */
  readonly protocol: string
  readonly vesting: string

  constructor(
    readonly network: MultiChainPreset,
    readonly chains: ChainHandle[],
  ) {
    const holding = (k: keyof NetworkPreset['contracts']) => chains.find((c) => c.preset.contracts[k])?.name
    this.protocol = holding('staking') ?? network.bridge.l2Chain
    this.vesting = holding('vesting') ?? network.bridge.l1Chain
  }

  /** A pool per chain on `databaseUrl` (already the read-only session's), each reading its chain's schema. */
  static open(network: MultiChainPreset, databaseUrl: string, opts: { statementTimeoutMs: number }): NetworkApi {
    return new NetworkApi(
      network,
      network.chains.map((c) => {
        const schema = chainSchemas(c.name).data!
        return { name: c.name, preset: chainPreset(network, c.name), schema, db: new Db(withSearchPath(databaseUrl, schema), { statementTimeoutMs: opts.statementTimeoutMs }), headCache: new HeadCache() }
      }),
    )
  }

  chain(name: string): ChainHandle {
    return this.chains.find((c) => c.name === name)!
  }

  /** A request's contexts, one per chain; the protocol chain's is the request's own. */
  context(): ApiContext {
    const req: NetworkRequest = { api: this, chains: new Map() }
    for (const c of this.chains) {
      const ctx = new ApiContext(c.db, c.preset, c.headCache)
      ctx.network = req
      req.chains.set(c.name, ctx)
    }
    return req.chains.get(this.protocol)!
  }

  async close(): Promise<void> {
    await Promise.all(this.chains.map((c) => c.db.close()))
  }
}

// ------------------------------------------------------------------ supply

export interface NetworkSupplyAnswer extends NetworkSupply {
  network: string
  at: Date
  locked: bigint
  unvested: bigint
  vestedUnreleased: bigint
  staked: bigint
  /** Each chain at its latest block at or before `at`. */
  chains: SupplyAnswer[]
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000)

/** The indexed range the network answers in: from the latest of the chains' first blocks to the earliest of their heads. */
async function networkRange(ctxs: ApiContext[]): Promise<{ range: IndexedRange; heads: Record<string, number> } | undefined> {
  const ranges = await Promise.all(ctxs.map((c) => c.supply.range()))
  if (ranges.some((r) => r === undefined)) return undefined
  const rs = ranges as IndexedRange[]
  const from = rs.reduce((a, r) => (r.fromTime > a.fromTime ? r : a))
  const to = rs.reduce((a, r) => (r.toTime < a.toTime ? r : a))
  return {
    range: { fromBlock: from.fromBlock, toBlock: to.toBlock, fromTime: from.fromTime, toTime: to.toTime },
    heads: Object.fromEntries(ctxs.map((c, i) => [c.chain, seconds(rs[i].toTime)])),
  }
}

/** The network's figures at each instant (each already within the network's range). */
async function networkAt(ctx: ApiContext, times: Date[], heads: Record<string, number>): Promise<NetworkSupplyAnswer[]> {
  const n = ctx.network!
  const api = n.api
  const { l1Chain, l2Chain, l1Bridge } = api.network.bridge
  const bridge = l1Bridge.toLowerCase()
  const l1 = n.chains.get(l1Chain)!
  const l2 = n.chains.get(l2Chain)!
  const windows = times.map((t) => ({ from: new Date(t.getTime() - api.network.maxBridgeDelay * 1000), to: t }))
  const perChain = await Promise.all(api.chains.map((c) => n.chains.get(c.name)!.supply.atTimes(times)))
  const [deposits, burns] = await Promise.all([receivedInWindows(l1.db, bridge, windows), receivedInWindows(l2.db, ZERO, windows)])
  const l1Index = api.chains.findIndex((c) => c.name === l1Chain)
  const l2Index = api.chains.findIndex((c) => c.name === l2Chain)
  // The escrow's balance at each L1 block: its balance-after rows.
  const escrowed = await Promise.all(
    times.map(async (_t, i) => {
      const a = perChain[l1Index][i]!
      return BigInt(await l1.balanceAt(bridge, a.block.number))
    }),
  )
  return times.map((t, i) => {
    const answers = perChain.map((p) => p[i]!)
    const part = (a: SupplyAnswer, name: string, chain: ApiContext) => ({
      chain: name,
      height: a.block.number,
      timestamp: seconds(a.block.timestamp),
      totalSupply: a.totalSupply,
      // A chain's excluded: its labelled wallets and, where it holds it, the vesting contract.
      excluded: [...a.labelled.map((l) => ({ address: l.address, balance: l.balance })), ...(chain.preset.contracts.vesting ? [{ address: chain.preset.contracts.vesting, balance: a.locked }] : [])],
    })
    const f = networkSupply({
      at: seconds(t),
      headTimes: heads,
      l1: { ...part(answers[l1Index], l1Chain, l1), l1Bridge: bridge, escrowed: escrowed[i], depositsInWindow: deposits[i] },
      l2: { ...part(answers[l2Index], l2Chain, l2), burnsInWindow: burns[i] },
      maxBridgeDelay: api.network.maxBridgeDelay,
    })
    const vesting = answers[api.chains.findIndex((c) => c.name === api.vesting)]
    const staking = answers[api.chains.findIndex((c) => c.name === api.protocol)]
    for (let c = 0; c < answers.length; c++) stamp(answers[c], api.chains[c].name)
    return {
      ...f,
      network: api.network.name,
      at: t,
      locked: vesting.locked,
      unvested: vesting.unvested,
      vestedUnreleased: vesting.vestedUnreleased,
      staked: staking.staked,
      chains: answers,
    }
  })
}

/** The network's supply at an instant (default: the earlier of the chains' heads); null while a chain's index is empty. */
export async function networkSupplyAt(ctx: ApiContext, timestamp: Date | undefined): Promise<NetworkSupplyAnswer | null> {
  const ctxs = [...ctx.network!.chains.values()]
  const r = await networkRange(ctxs)
  if (!r) return null
  const t = timestamp ?? r.range.toTime
  if (t.getTime() < r.range.fromTime.getTime()) throw outOfRange('timestamp', t.toISOString(), r.range)
  if (t.getTime() > r.range.toTime.getTime()) {
    throw new GraphQLError(`timestamp: ${t.toISOString()} is after the earlier of the chains' indexed heads (${ctxs.map((c) => `${c.chain} at ${new Date(r.heads[c.chain] * 1000).toISOString()}`).join(', ')}): the network is known up to ${r.range.toTime.toISOString()}`, {
      extensions: { code: 'BAD_USER_INPUT', argument: 'timestamp', heads: r.heads },
    })
  }
  try {
    return (await networkAt(ctx, [t], r.heads))[0]
  } catch (e) {
    if (e instanceof NetworkInstantError) throw badInput('timestamp', e.message)
    throw e
  }
}

/** One point per UTC bucket (the network at its end), up to the earlier head; at most MAX_POINTS. */
export async function networkSupplyHistory(ctx: ApiContext, from: Date, to: Date, interval: Interval) {
  if (from.getTime() > to.getTime()) throw badInput('from', 'must not be after to')
  const r = await networkRange([...ctx.network!.chains.values()])
  if (!r) return []
  const end = Math.min(to.getTime(), r.range.toTime.getTime())
  let list
  try {
    list = buckets(from.getTime(), end, interval, MAX_POINTS)
  } catch (e) {
    throw badInput('interval', `${(e as Error).message} between from and to; narrow the range or widen the interval (at most ${MAX_POINTS} points)`)
  }
  const times = list.map((b) => new Date(Math.min(b.end - 1000, r.range.toTime.getTime())))
  const early = times.findIndex((t) => t.getTime() < r.range.fromTime.getTime())
  if (early >= 0) throw outOfRange('from', `the ${interval} bucket from ${new Date(list[early].start).toISOString()} (its state at ${times[early].toISOString()})`, r.range)
  const answers = await networkAt(ctx, times, r.heads)
  return list.map((b, i) => ({ start: new Date(b.start), end: new Date(b.end), supply: answers[i] }))
}

// ------------------------------------------------------------------ resolvers

type Resolver = (parent: unknown, args: Record<string, unknown>, ctx: ApiContext, info: GraphQLResolveInfo) => unknown

interface MetaAnswer {
  height: number | null
  timestamp: string | null
  lag: number | null
  undecodedLogs: number
  inconsistencies: number
  hasErrors: boolean
  unknownEvents: unknown[]
  warnings: { code: string; message: string }[]
}

/**
 * The fields of the network's own (chains.ts routes to these on a
 * multi-chain network when no `chain` argument is given), built on the
 * single-chain resolvers `base`.
 */
export function networkHooks(base: Record<string, Resolver>): { merged: Record<string, Resolver>; network: Record<string, Resolver> } {
  const onEvery = (ctx: ApiContext) => [...ctx.network!.chains.values()]
  return {
    merged: {
      transfers: (parent, args, ctx, info) => {
        const newest = args.orderBy !== 'OLDEST_FIRST'
        // Chain order within a chain; across chains, the block time.
        const cmp = (a: TransferRow, b: TransferRow) => (newest ? -1 : 1) * (a.timestamp.getTime() - b.timestamp.getTime())
        return mergedList<TransferRow>(ctx, args, `transfers${newest ? '-' : '+'}:${digest(args.filter)}`, cmp, (c, page) => base.transfers(parent, { ...args, ...noPage, ...page }, c, info) as Promise<Connection<TransferRow>>)
      },
      accounts: (parent, args, ctx, info) => {
        const order = (args.orderBy as string | undefined) ?? 'BALANCE_DESC'
        const cmp = (a: AccountRow, b: AccountRow) => {
          if (order === 'ADDRESS') return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
          const d = BigInt(a.balance) - BigInt(b.balance)
          const s = d === 0n ? 0 : d > 0n ? 1 : -1
          return order === 'BALANCE_DESC' ? -s : s
        }
        return mergedList<AccountRow>(ctx, args, `accounts:${order}:${digest(args.filter)}`, cmp, (c, page) => base.accounts(parent, { ...args, ...noPage, ...page }, c, info) as Promise<Connection<AccountRow>>)
      },
    },
    network: {
      async _meta(parent, args, ctx, info) {
        const metas = await Promise.all(onEvery(ctx).map(async (c) => stamp((await base._meta(parent, args, c, info)) as MetaAnswer, c.chain)))
        const times = metas.map((m) => m.timestamp).filter((t): t is string => t !== null)
        const meta = {
          height: null,
          hash: null,
          // The network is known up to the earlier of the chains' heads.
          timestamp: times.length === metas.length ? times.reduce((a, t) => (t < a ? t : a)) : null,
          finalizedHeight: null,
          chainHead: null,
          lag: metas.some((m) => m.lag === null) ? null : Math.max(...metas.map((m) => m.lag!)),
          undecodedLogs: metas.reduce((s, m) => s + m.undecodedLogs, 0),
          inconsistencies: metas.reduce((s, m) => s + m.inconsistencies, 0),
          hasErrors: metas.some((m) => m.hasErrors),
          unknownEvents: metas.flatMap((m) => m.unknownEvents),
          warnings: metas.flatMap((m) => m.warnings.map((w) => ({ code: w.code, message: `${chainOf(m)}: ${w.message}` }))),
          chains: metas,
        }
        return stamp(meta, ctx.network!.api.network.name)
      },
      /**
       * An address on the protocol's chain (its stake, bookings and nodes are
       * there), or, when it never transferred there but did on another chain,
       * an account with nothing on that chain; `balances` has every chain's.
       */
      async account(parent, args, ctx, info) {
        const home = ctx.network!.chains.get(ctx.network!.api.protocol)!
        const block = args.block as { number?: number | null } | null | undefined
        if (block?.number != null) throw badInput('block.number', 'a block number is of one chain: give chain (one of ' + onEvery(ctx).map((c) => c.chain).join(', ') + '), or block.timestamp for an instant of the network')
        const row = (await base.account(parent, args, home, info)) as AccountRow | null
        if (row) return stamp(row, home.chain)
        for (const c of onEvery(ctx)) {
          if (c === home) continue
          const other = (await base.account(parent, args, c, info)) as AccountRow | null
          if (other) {
            const id = other.id
            const stub = { id, balance: '0', transfersIn: 0, transfersOut: 0, firstSeenBlock: 0, lastActiveBlock: 0 }
            // As asked: at an instant (the other chain's row carries the block it resolved to), on the home chain at the same instant.
            const at = atOf(other)
            const homeAt = at ? await home.blockAtTime(at.timestamp) : undefined
            if (at && !homeAt) return null
            return stamp(markAt([stub], homeAt)[0], home.chain)
          }
        }
        return null
      },
      supply: (_parent, args, ctx) => networkSupplyAt(ctx, (args.timestamp as Date | null | undefined) ?? undefined),
      supplyHistory: (_parent, args, ctx) => networkSupplyHistory(ctx, args.from as Date, args.to as Date, args.interval as Interval),
      async holders(_parent, args, ctx) {
        const top = args.top as number
        if (!Number.isInteger(top) || top < 0 || top > 1000) throw badInput('top', `must be between 0 and 1000 (got ${top})`)
        const api = ctx.network!.api
        const [h, sup] = await Promise.all([networkHolders(ctx.db, api.chains.map((c) => c.schema), api.network.bridge.l1Bridge.toLowerCase(), top), networkSupplyAt(ctx, undefined)])
        const total = sup?.totalSupply ?? 0n
        const share = (part: bigint) => (total === 0n ? 0 : Number((part * 1_000_000_000n) / total) / 1e9)
        const labels = new Map(api.chains.flatMap((c) => c.preset.labels.map((l) => [l.address, l] as const)))
        return {
          count: h.count,
          top: h.top.map((r) => ({ address: r.id, balance: r.balance, label: labels.get(r.id)?.label ?? null, category: labels.get(r.id)?.category ?? null, share: share(BigInt(r.balance)) })),
          top10: { balance: h.top10, share: share(BigInt(h.top10)) },
          top100: { balance: h.top100, share: share(BigInt(h.top100)) },
          top1000: { balance: h.top1000, share: share(BigInt(h.top1000)) },
        }
      },
    },
  }
}

/** A short name for a list's filter in its merged cursors (a cursor is refused under another filter). */
const digest = (filter: unknown) => createHash('sha1').update(JSON.stringify(filter ?? null, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).digest('base64url').slice(0, 12)

const noPage = { first: undefined, after: undefined, last: undefined, before: undefined }

// ------------------------------------------------------------------ account balances

/**
 * An account's balance on every chain: on its own chain its row's; on the
 * others at the head, or, when it was asked at a past block, at the latest
 * block of that chain at or before the block's time.
 */
export async function balancesOf(row: AccountRow, ctx: ApiContext): Promise<Array<{ chain: string; balance: string }>> {
  const own = ctxOf(ctx, row)
  if (!ctx.network) return [{ chain: own.chain, balance: row.balance }]
  const at = atOf(row)
  return Promise.all(
    [...ctx.network.chains.values()].map(async (c) => {
      if (c === own) return { chain: c.chain, balance: row.balance }
      if (!at) return { chain: c.chain, balance: (await c.account.load(row.id))?.balance ?? '0' }
      const b = await c.blockAtTime(at.timestamp)
      return { chain: c.chain, balance: b ? await c.balanceAt(row.id, b.height) : '0' }
    }),
  )
}

