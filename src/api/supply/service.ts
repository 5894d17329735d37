/**
 * Circulating supply: at any block or instant, as a series, by allocation,
 * as an unlock calendar, and holder distribution. Shared by GraphQL
 * (./resolvers.ts) and the REST endpoints for aggregators (../rest.ts).
 */
import type { LabelledWallet, NetworkPreset } from '../../config'
import { buckets, Interval, Schedule, supplyFigures, totalVested, unlockCalendar } from '../../domain/supply'
import { vestedAt } from '../../domain/vesting'
import type { HeadCache } from '../headcache'
import { GraphQLError } from 'graphql'
import { badInput, IndexedRange, outOfRange } from '../errors'
import type { Db } from '../sql/db'
import { balancesAtHeights } from '../sql/entities'
import { indexerStatus, StatusRow } from '../sql/meta'
import { allSchedules, firstBlock, ScheduleTermsRow, supplyAtHeights, supplyAtTimes, SupplyStateRow } from '../sql/supply'

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

  /** The blocks and times the index holds (its first block to the head), or undefined while it is empty. */
  async range(): Promise<IndexedRange | undefined> {
    const head = await this.head()
    if (!head) return undefined
    const first = await this.shared(head, 'first-block', () => firstBlock(this.db))
    if (!first) return undefined
    return { fromBlock: first.height, toBlock: head.height, fromTime: first.timestamp, toTime: head.timestamp }
  }

  /** A block a point-in-time answer is asked at: within the indexed range, else a coded error naming it. */
  async checkBlock(argument: string, block: number): Promise<void> {
    const range = await this.range()
    if (range) assertBlockIn(range, argument, block)
  }

  /**
   * At the indexed head, at block N itself (its own hash and time, events or
   * not), or at an instant (the state of the latest block at or before it,
   * the vesting split at the instant). Outside the indexed range: an error
   * naming it. Null only while the index is empty.
   */
  async supply(opts: { block?: number; timestamp?: Date }): Promise<SupplyAnswer | null> {
    if (opts.block !== undefined && opts.timestamp !== undefined) throw badInput('block', 'give either block or timestamp, not both')
    const head = await this.head()
    const range = await this.range()
    if (!head || !range) return null
    if (opts.timestamp !== undefined) {
      const at = opts.timestamp
      if (at.getTime() < range.fromTime.getTime() || at.getTime() > range.toTime.getTime()) throw outOfRange('timestamp', at.toISOString(), range)
      return this.shared(head, `supply:t${at.getTime()}`, async () => (await this.answers(await supplyAtTimes(this.db, [at]), [at]))[0])
    }
    const block = opts.block ?? head.height
    assertBlockIn(range, 'block', block)
    const answer = await this.shared(head, `supply:b${block}`, async () => (await this.answers(await supplyAtHeights(this.db, [block])))[0])
    if (!answer) throw headerMissing(block)
    return answer
  }

  /** An answer computed once per indexed head and shared between requests (see headcache.ts). */
  shared<T>(head: StatusRow, key: string, compute: () => Promise<T>): Promise<T> {
    return this.cache ? this.cache.get(head, key, compute) : compute()
  }

  /**
   * The state at each instant (the latest block at or before it, the vesting
   * split at the instant), in one statement; null where the index has no
   * block at or before it. The instants are not checked against the range.
   */
  async atTimes(times: Date[]): Promise<(SupplyAnswer | null)[]> {
    return this.answers(await supplyAtTimes(this.db, times), times)
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
    const range = await this.range()
    const early = range ? times.findIndex((t) => t.getTime() < range.fromTime.getTime()) : -1
    if (range && early >= 0) throw outOfRange('from', `the ${interval} bucket from ${new Date(list[early].start).toISOString()} (its state at ${times[early].toISOString()})`, range)
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

  /**
   * What has vested at an instant: within the indexed range, of the schedules
   * created by then; after the head, a projection of every schedule. Before
   * the first indexed block it is not known (a schedule's immediate amount
   * vests at its creation): an error naming the range.
   */
  async vestedAt(at: Date) {
    const range = await this.range()
    if (!range) throw new GraphQLError('the index is empty: nothing indexed yet', { extensions: { code: 'INDEX_EMPTY' } })
    if (at.getTime() < range.fromTime.getTime()) throw outOfRange('at', at.toISOString(), range)
    const rows = await this.allSchedules()
    const schedules = (at.getTime() <= range.toTime.getTime() ? rows.filter((r) => r.createdAt.getTime() <= at.getTime()) : rows).map((r) => toSchedule(r))
    const t = Math.floor(at.getTime() / 1000)
    const byCategory = new Map<string, bigint>()
    for (const s of schedules) byCategory.set(s.category, (byCategory.get(s.category) ?? 0n) + vestedAt(s, t))
    return { at, total: totalVested(schedules, t), byCategory: [...byCategory.entries()].sort().map(([category, amount]) => ({ category, amount })) }
  }
}

function assertBlockIn(range: IndexedRange, argument: string, block: number): void {
  if (block < range.fromBlock || block > range.toBlock) throw outOfRange(argument, `block ${block}`, range)
}

/** A block of the indexed range whose header the index lacks: an index built by a version that kept only blocks with events. */
function headerMissing(block: number): GraphQLError {
  return new GraphQLError(`block ${block}: its header is not in the index (built by a version that kept only blocks with events); re-index to answer at it`, { extensions: { code: 'NOT_INDEXED' } })
}
