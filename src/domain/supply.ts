/**
 * Supply maths of ../shared/icn-protocol.md ("What the numbers mean"): the
 * circulating figure from what the chain holds, the time-dependent vesting
 * split, UTC buckets for series and unlock calendars. Pure, no I/O.
 */
import { ScheduleTerms, vestedAt } from './vesting'

export interface SupplyParts {
  totalSupply: bigint
  /** ICNT held by the vesting contract(s). */
  locked: bigint
  /** Balances of the labelled non-circulating wallets. */
  labelled: bigint[]
  /** Σ vested over schedules at the time, and Σ released up to the block. */
  vested: bigint
  released: bigint
}

export interface SupplyFigures {
  totalSupply: bigint
  nonCirculating: bigint
  circulatingSupply: bigint
  locked: bigint
  vestedUnreleased: bigint
  unvested: bigint
}

export function supplyFigures(p: SupplyParts): SupplyFigures {
  const nonCirculating = p.locked + p.labelled.reduce((a, b) => a + b, 0n)
  // What has vested but is still in the vesting contract; bounded by what it holds.
  let vestedUnreleased = p.vested - p.released
  if (vestedUnreleased < 0n) vestedUnreleased = 0n
  if (vestedUnreleased > p.locked) vestedUnreleased = p.locked
  return {
    totalSupply: p.totalSupply,
    nonCirculating,
    circulatingSupply: p.totalSupply - nonCirculating,
    locked: p.locked,
    vestedUnreleased,
    unvested: p.locked - vestedUnreleased,
  }
}

/** A schedule as the index knows it, with its revocation time if revoked. */
export type Schedule = ScheduleTerms & { category: string }

export const totalVested = (schedules: Schedule[], t: number) => schedules.reduce((a, s) => a + vestedAt(s, t), 0n)

// ------------------------------------------------------------------ UTC buckets

export type Interval = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH'

/** Start (ms) of the UTC bucket holding `ms`: hour, calendar day, ISO week (from Monday), calendar month. */
export function bucketStart(ms: number, interval: Interval): number {
  const d = new Date(ms)
  switch (interval) {
    case 'HOUR':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours())
    case 'DAY':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
    case 'WEEK': {
      const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
      const sinceMonday = (d.getUTCDay() + 6) % 7
      return day - sinceMonday * 86_400_000
    }
    case 'MONTH':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
  }
}

export function nextBucket(start: number, interval: Interval): number {
  const d = new Date(start)
  switch (interval) {
    case 'HOUR':
      return start + 3_600_000
    case 'DAY':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1)
    case 'WEEK':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 7)
    case 'MONTH':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
  }
}

export interface Bucket {
  start: number
  end: number
}

/** Every bucket that overlaps [from, to], in order; throws past `max` buckets. */
export function buckets(from: number, to: number, interval: Interval, max: number): Bucket[] {
  const out: Bucket[] = []
  for (let s = bucketStart(from, interval); s <= to; s = nextBucket(s, interval)) {
    if (out.length === max) throw new RangeError(`more than ${max} ${interval.toLowerCase()} buckets`)
    out.push({ start: s, end: nextBucket(s, interval) })
  }
  return out
}

export interface UnlockBucket extends Bucket {
  total: bigint
  byCategory: Map<string, bigint>
}

/** What vests in each bucket (end exclusive), by category: a token-unlock calendar. */
export function unlockCalendar(schedules: Schedule[], list: Bucket[]): UnlockBucket[] {
  return list.map((b) => {
    const byCategory = new Map<string, bigint>()
    let total = 0n
    // Vested strictly before the bucket's end, minus vested strictly before its start.
    const s0 = Math.floor(b.start / 1000) - 1
    const s1 = Math.floor(b.end / 1000) - 1
    for (const s of schedules) {
      const v = vestedAt(s, s1) - vestedAt(s, s0)
      if (v === 0n) continue
      byCategory.set(s.category, (byCategory.get(s.category) ?? 0n) + v)
      total += v
    }
    return { ...b, total, byCategory }
  })
}
