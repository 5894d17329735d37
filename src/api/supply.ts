/**
 * Circulating supply: at any block or instant, as a series, by allocation,
 * as an unlock calendar, and holder distribution. Shared by GraphQL and the
 * REST endpoints for aggregators.
 */
import type { LabelledWallet, NetworkPreset } from '../config'
import { buckets, Interval, Schedule, supplyFigures, totalVested, unlockCalendar } from '../domain/supply'
import { formatUnits } from '../domain/units'
import { vestedAt } from '../domain/vesting'
import type { ApiContext } from './context'
import type { HeadCache } from './headcache'
import { badInput } from './errors'
import { parseBlock } from './resolvers'
import type { Db } from './sql/db'
import { accountList } from './sql/lists'
import { keysetPage } from './sql/list'
import { balancesAtHeights } from './sql/entities'
import { indexerStatus, StatusRow } from './sql/meta'
import { allSchedules, holderStats, ScheduleTermsRow, supplyAtHeights, supplyAtTimes, SupplyStateRow } from './sql/supply'

export const MAX_POINTS = 2000

export interface LabelledBalance extends LabelledWallet {
  balance: bigint
}

export interface SupplyAnswer {
  block: { number: number; hash: string; timestamp: Date }
  /** The instant the vesting split is computed at. */
  at: Date
  totalSupply: bigint
  circulatingSupply: bigint
  nonCirculating: bigint
  locked: bigint
  unvested: bigint
  vestedUnreleased: bigint
  labelled: LabelledBalance[]
  minted: bigint
  burned: bigint
  staked: bigint
}

/** The labelled wallets that count on their own (the vesting contract is already `locked`). */
function labelsOf(preset: NetworkPreset): LabelledWallet[] {
  const seen = new Set([preset.contracts.vesting])
  return preset.labels.filter((l) => !seen.has(l.address) && (seen.add(l.address), true))
}

function toSchedule(r: ScheduleTermsRow, atBlock?: number): Schedule {
  // A revocation after the block did not exist yet at that block.
  const revoked = r.revokedAt != null && (atBlock === undefined || (r.revokedBlock != null && r.revokedBlock <= atBlock))
  return {
    category: r.category,
    total: BigInt(r.total),
    immediate: BigInt(r.immediate),
    start: Number(r.start),
    cliff: Number(r.cliff),
    duration: Number(r.duration),
    curve: r.curve ? r.curve.map((x) => BigInt(x)) : null,
    revokedAt: revoked ? Number(r.revokedAt) : null,
  }
}

export class SupplyService {
  private schedules?: Promise<ScheduleTermsRow[]>
  private status?: Promise<StatusRow | undefined>

  constructor(
    private readonly db: Db,
    private readonly preset: NetworkPreset,
    /** Answers shared between requests at one indexed head (absent: none shared). */
    private readonly cache?: HeadCache,
  ) {}

  private allSchedules(): Promise<ScheduleTermsRow[]> {
    return (this.schedules ??= allSchedules(this.db))
  }

  /** Answers for state rows (one per point); `times` overrides the vesting instant per point. */
  private async answers(rows: SupplyStateRow[], times?: (Date | undefined)[]): Promise<(SupplyAnswer | null)[]> {
    const labels = labelsOf(this.preset)
    const heights = rows.map((r) => r.height ?? -1)
    const balances = await balancesAtHeights(this.db, heights, labels.map((l) => l.address))
    const schedules = await this.allSchedules()
    return rows.map((r, i) => {
      if (r.height == null || r.hash == null || r.timestamp == null) return null
      const at = times?.[i] ?? r.timestamp
      const live = schedules.filter((s) => s.createdBlock <= r.height!).map((s) => toSchedule(s, r.height!))
      const labelled = labels.map((l) => ({ ...l, balance: balances.get(i)?.get(l.address) ?? 0n }))
      const f = supplyFigures({
        totalSupply: BigInt(r.totalSupply),
        locked: BigInt(r.vestingBalance),
        labelled: labelled.map((l) => l.balance),
        vested: totalVested(live, Math.floor(at.getTime() / 1000)),
        released: BigInt(r.released),
      })
      return { ...f, block: { number: r.height, hash: r.hash, timestamp: r.timestamp }, at, labelled, minted: BigInt(r.minted), burned: BigInt(r.burned), staked: BigInt(r.staked) }
    })
  }

  /** The indexed head, read once per request (supply, performance and holders all ask for it). */
  head(): Promise<StatusRow | undefined> {
    return (this.status ??= indexerStatus(this.db))
  }

  /** At the indexed head, at a block, or at an instant (the state of the latest block at or before it). */
  async supply(opts: { block?: number; timestamp?: Date }): Promise<SupplyAnswer | null> {
    const head = await this.head()
    if (!head) return null
    if (opts.block !== undefined && opts.timestamp !== undefined) throw badInput('block', 'give either block or timestamp, not both')
    if (opts.block !== undefined && opts.block > head.height) throw badInput('block', `${opts.block} is beyond the indexed head ${head.height}`)
    if (opts.timestamp !== undefined) {
      if (opts.timestamp.getTime() > head.timestamp.getTime()) throw badInput('timestamp', `${opts.timestamp.toISOString()} is after the indexed head's time ${head.timestamp.toISOString()}`)
      const at = opts.timestamp
      return this.shared(head, `supply:t${at.getTime()}`, async () => (await this.answers(await supplyAtTimes(this.db, [at]), [at]))[0])
    }
    const block = opts.block ?? head.height
    return this.shared(head, `supply:b${block}`, async () => (await this.answers(await supplyAtHeights(this.db, [block])))[0])
  }

  /** An answer computed once per indexed head and shared between requests (see headcache.ts). */
  shared<T>(head: StatusRow, key: string, compute: () => Promise<T>): Promise<T> {
    return this.cache ? this.cache.get(head, key, compute) : compute()
  }

  /** One point per UTC bucket overlapping [from, to] up to the head: the state at the end of the bucket. */
  async history(from: Date, to: Date, interval: Interval) {
    if (from.getTime() > to.getTime()) throw badInput('from', 'must not be after to')
    const head = await this.head()
    if (!head) return []
    const end = Math.min(to.getTime(), head.timestamp.getTime())
    let list
    try {
      list = buckets(from.getTime(), end, interval, MAX_POINTS)
    } catch (e) {
      throw badInput('interval', `${(e as Error).message} between from and to; narrow the range or widen the interval (at most ${MAX_POINTS} points)`)
    }
    // The end of a bucket is exclusive: its state is the last one strictly before it (or the head's).
    const times = list.map((b) => new Date(Math.min(b.end - 1000, head.timestamp.getTime())))
    const answers = await this.answers(await supplyAtTimes(this.db, times), times)
    return list.map((b, i) => ({ start: new Date(b.start), end: new Date(b.end), supply: answers[i] }))
  }

  async allocations() {
    const head = await this.head()
    const now = head ? Math.floor(head.timestamp.getTime() / 1000) : 0
    const rows = await this.allSchedules()
    const byCat = new Map<string, ScheduleTermsRow[]>()
    for (const r of rows) byCat.set(r.category, [...(byCat.get(r.category) ?? []), r])
    return [...byCat.entries()].map(([category, list]) => {
      let allocated = 0n
      let vested = 0n
      let released = 0n
      let returned = 0n
      for (const r of list) {
        allocated += BigInt(r.total)
        vested += vestedAt(toSchedule(r), now)
        released += BigInt(r.released)
        returned += BigInt(r.unvestedReturned ?? '0')
      }
      return { category, allocated, vested, released, revokedReturned: returned, remaining: allocated - vested - returned, vestedUnreleased: vested - released, schedules: list }
    })
  }

  async unlocks(from: Date, to: Date, interval: Interval) {
    if (from.getTime() > to.getTime()) throw badInput('from', 'must not be after to')
    let list
    try {
      list = buckets(from.getTime(), to.getTime(), interval, MAX_POINTS)
    } catch (e) {
      throw badInput('interval', `${(e as Error).message} between from and to (at most ${MAX_POINTS} points)`)
    }
    const schedules = (await this.allSchedules()).map((r) => toSchedule(r))
    return unlockCalendar(schedules, list).map((u) => ({
      start: new Date(u.start),
      end: new Date(u.end),
      total: u.total,
      byCategory: [...u.byCategory.entries()].sort().map(([category, amount]) => ({ category, amount })),
    }))
  }

  async vestedAt(at: Date) {
    const schedules = (await this.allSchedules()).map((r) => toSchedule(r))
    const t = Math.floor(at.getTime() / 1000)
    const byCategory = new Map<string, bigint>()
    for (const s of schedules) byCategory.set(s.category, (byCategory.get(s.category) ?? 0n) + vestedAt(s, t))
    return { at, total: totalVested(schedules, t), byCategory: [...byCategory.entries()].sort().map(([category, amount]) => ({ category, amount })) }
  }
}

// ------------------------------------------------------------------ GraphQL

export const supplyTypeDefs = /* GraphQL */ `
  extend type Query {
    """
    ICNT supply at the indexed head, at a past block, or at an instant (the
    state after the latest indexed block at or before it). Every answer names
    the block it was computed at.
    """
    supply(block: Int, timestamp: DateTime): Supply
    "A series for charts: one point per UTC bucket (the state at its end), gap-filled; at most ${MAX_POINTS} points."
    supplyHistory(from: DateTime!, to: DateTime!, interval: SupplyInterval!): [SupplyPoint!]!
    "Per allocation category: allocated, vested, released and remaining now, with the category's schedules."
    allocations: [Allocation!]!
    "Projected unlocks per UTC bucket by category, from the on-chain schedule parameters: a token-unlock calendar."
    unlockSchedule(from: DateTime!, to: DateTime!, interval: SupplyInterval!): [UnlockBucket!]!
    "ICNT vested by the schedules at any instant, past or future."
    vestedSupply(at: DateTime!): VestedSupply!
    "Holders at the indexed head: count, the largest with their labels, and distribution."
    holders(top: Int = 20): Holders!
  }

  enum SupplyInterval {
    HOUR
    DAY
    "ISO week, from Monday"
    WEEK
    MONTH
  }

  type BlockRef {
    number: Int!
    hash: String!
    timestamp: DateTime!
  }

  type LabelledWallet {
    address: String!
    label: String!
    category: String!
    balance: BigInt!
    balanceFormatted: String!
  }

  type Supply {
    "The block the figures are computed at."
    block: BlockRef!
    "The instant the time-dependent split (unvested / vested-unreleased) is computed at."
    at: DateTime!
    "minted - burned; equals the token's totalSupply()."
    totalSupply: BigInt!
    totalSupplyFormatted: String!
    "totalSupply - nonCirculating."
    circulatingSupply: BigInt!
    circulatingSupplyFormatted: String!
    "locked + the labelled wallets' balances."
    nonCirculating: BigInt!
    "ICNT held by the vesting contract."
    locked: BigInt!
    unvested: BigInt!
    vestedUnreleased: BigInt!
    "The labelled non-circulating wallets (the preset's labels) with their balances."
    labelled: [LabelledWallet!]!
    minted: BigInt!
    burned: BigInt!
    "ICNT held by the staking contract (collateral and delegations); part of the circulating supply."
    staked: BigInt!
  }

  type SupplyPoint {
    start: DateTime!
    end: DateTime!
    "Null before the first indexed block."
    supply: Supply
  }

  type Allocation {
    category: String!
    allocated: BigInt!
    vested: BigInt!
    released: BigInt!
    vestedUnreleased: BigInt!
    "Unvested tokens returned by revocations."
    revokedReturned: BigInt!
    "Still to vest: allocated - vested - revokedReturned."
    remaining: BigInt!
    schedules: [VestingSchedule!]!
  }

  type CategoryAmount {
    category: String!
    amount: BigInt!
    amountFormatted: String!
  }

  type UnlockBucket {
    start: DateTime!
    end: DateTime!
    total: BigInt!
    totalFormatted: String!
    byCategory: [CategoryAmount!]!
  }

  type VestedSupply {
    at: DateTime!
    total: BigInt!
    totalFormatted: String!
    byCategory: [CategoryAmount!]!
  }

  type Holder {
    address: String!
    balance: BigInt!
    balanceFormatted: String!
    "The preset's label, when the wallet is labelled."
    label: String
    category: String
    "Share of the total supply (0..1)."
    share: Float!
  }

  type HolderShare {
    balance: BigInt!
    share: Float!
  }

  type Holders {
    "Accounts with a non-zero balance."
    count: Int!
    top: [Holder!]!
    top10: HolderShare!
    top100: HolderShare!
    top1000: HolderShare!
  }
`

const share = (part: bigint, total: bigint) => (total === 0n ? 0 : Number((part * 1_000_000_000n) / total) / 1e9)

export const supplyResolvers = {
  Query: {
    async supply(_: unknown, args: { block?: number | null; timestamp?: Date | null }, ctx: ApiContext) {
      return ctx.supply.supply({ block: parseBlock('block', args.block), timestamp: args.timestamp ?? undefined })
    },
    supplyHistory: (_: unknown, a: { from: Date; to: Date; interval: string }, ctx: ApiContext) => ctx.supply.history(a.from, a.to, a.interval as Interval),
    allocations: (_: unknown, __: unknown, ctx: ApiContext) => ctx.supply.allocations(),
    unlockSchedule: (_: unknown, a: { from: Date; to: Date; interval: string }, ctx: ApiContext) => ctx.supply.unlocks(a.from, a.to, a.interval as Interval),
    vestedSupply: (_: unknown, a: { at: Date }, ctx: ApiContext) => ctx.supply.vestedAt(a.at),
    async holders(_: unknown, a: { top: number }, ctx: ApiContext) {
      if (!Number.isInteger(a.top) || a.top < 0 || a.top > 1000) throw badInput('top', `must be between 0 and 1000 (got ${a.top})`)
      const [stats, top, sup] = await Promise.all([
        holderStats(ctx.db),
        keysetPage(ctx.db, accountList({}, 'BALANCE_DESC'), { limit: a.top, backward: false }),
        ctx.supply.supply({}),
      ])
      const total = sup?.totalSupply ?? 0n
      const labels = new Map(ctx.preset.labels.map((l) => [l.address, l]))
      return {
        count: stats.count,
        top: top.filter((r) => BigInt(r.balance) > 0n).map((r) => ({ address: r.id, balance: r.balance, label: labels.get(r.id)?.label ?? null, category: labels.get(r.id)?.category ?? null, share: share(BigInt(r.balance), total) })),
        top10: { balance: stats.top10, share: share(BigInt(stats.top10), total) },
        top100: { balance: stats.top100, share: share(BigInt(stats.top100), total) },
        top1000: { balance: stats.top1000, share: share(BigInt(stats.top1000), total) },
      }
    },
  },
  Supply: {
    totalSupplyFormatted: (s: SupplyAnswer) => formatUnits(s.totalSupply),
    circulatingSupplyFormatted: (s: SupplyAnswer) => formatUnits(s.circulatingSupply),
  },
  LabelledWallet: { balanceFormatted: (l: LabelledBalance) => formatUnits(l.balance) },
  CategoryAmount: { amountFormatted: (c: { amount: bigint }) => formatUnits(c.amount) },
  UnlockBucket: { totalFormatted: (u: { total: bigint }) => formatUnits(u.total) },
  VestedSupply: { totalFormatted: (u: { total: bigint }) => formatUnits(u.total) },
  Holder: { balanceFormatted: (h: { balance: string }) => formatUnits(h.balance) },
}

/** The JSON of GET /supply: the full breakdown with the excluded wallets and the block, for audit. */
export function supplyJson(s: SupplyAnswer, preset: NetworkPreset) {
  const w = (v: bigint) => ({ wei: v.toString(), icnt: formatUnits(v) })
  return {
    network: preset.name,
    chainId: preset.chainId,
    ...(preset.note ? { note: preset.note } : {}),
    block: { number: s.block.number, hash: s.block.hash, timestamp: s.block.timestamp.toISOString() },
    totalSupply: w(s.totalSupply),
    circulatingSupply: w(s.circulatingSupply),
    nonCirculating: w(s.nonCirculating),
    locked: { ...w(s.locked), unvested: w(s.unvested), vestedUnreleased: w(s.vestedUnreleased), contract: preset.contracts.vesting ?? null },
    excludedWallets: s.labelled.map((l) => ({ address: l.address, label: l.label, category: l.category, balance: w(l.balance) })),
    minted: w(s.minted),
    burned: w(s.burned),
    staked: w(s.staked),
    definition: 'circulatingSupply = totalSupply - (vesting contract balance + labelled wallets)',
  }
}

