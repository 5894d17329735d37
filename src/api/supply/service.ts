/**
 * Circulating supply: at any block or instant, as a series, by allocation,
 * as an unlock calendar, and holder distribution. Shared by GraphQL
 * (./resolvers.ts) and the REST endpoints for aggregators (../rest.ts).
 */
import type { LabelledWallet, NetworkPreset } from '../../config'
import { buckets, Interval, Schedule, supplyFigures, totalVested, unlockCalendar } from '../../domain/supply'
import { vestedAt } from '../../domain/vesting'
import type { HeadCache } from '../headcache'
import { badInput } from '../errors'
import type { Db } from '../sql/db'
import { balancesAtHeights } from '../sql/entities'
import { indexerStatus, StatusRow } from '../sql/meta'
import { allSchedules, ScheduleTermsRow, supplyAtHeights, supplyAtTimes, SupplyStateRow } from '../sql/supply'

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
