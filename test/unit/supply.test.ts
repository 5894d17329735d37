import { bucketStart, buckets, Interval, nextBucket, Schedule, supplyFigures, totalVested, unlockCalendar } from '../../src/domain/supply'

// Every expected figure below is worked by hand from ../shared/icn-protocol.md
// ("What the numbers mean", §2) and written out literally.
const E = 10n ** 18n // 1 ICNT in wei
const M = 1_000_000n * E
const DAY = 86_400
const ONE_MONTH = 2_592_000 // 30 days, ICN's protocol constant (not a calendar month)
const TGE = 1_767_225_600 // 2026-01-01T00:00:00Z, a Thursday

const utc = (iso: string) => Date.parse(iso)
const iso = (ms: number) => new Date(ms).toISOString()
const start = (at: string, interval: Interval) => iso(bucketStart(utc(at), interval))
const next = (at: string, interval: Interval) => iso(nextBucket(utc(at), interval))

describe('supplyFigures', () => {
  test('circulating = total − (locked + labelled); locked split into vestedUnreleased and unvested', () => {
    const f = supplyFigures({
      totalSupply: 700_000_000n * E,
      locked: 500_000_000n * E,
      labelled: [12_000_000n * E, 400_000n * E], // rewards distributor, treasury
      vested: 210_000_000n * E,
      released: 190_000_000n * E,
    })
    expect(f).toEqual({
      totalSupply: 700_000_000n * E,
      nonCirculating: 512_400_000n * E, // 500M + 12M + 0.4M
      circulatingSupply: 187_600_000n * E, // 700M − 512.4M
      locked: 500_000_000n * E,
      vestedUnreleased: 20_000_000n * E, // 210M − 190M
      unvested: 480_000_000n * E, // 500M − 20M
    })
  })

  test('exact to the wei: one labelled wei leaves 699,999,999.999999999999999999 circulating', () => {
    const f = supplyFigures({ totalSupply: 700_000_000_000_000_000_000_000_000n, locked: 0n, labelled: [1n], vested: 0n, released: 0n })
    expect(f.nonCirculating).toBe(1n)
    expect(f.circulatingSupply).toBe(699_999_999_999_999_999_999_999_999n)
  })

  test('no labelled wallets: nonCirculating is the locked amount alone', () => {
    const f = supplyFigures({ totalSupply: 1000n, locked: 300n, labelled: [], vested: 250n, released: 100n })
    expect(f).toEqual({ totalSupply: 1000n, nonCirculating: 300n, circulatingSupply: 700n, locked: 300n, vestedUnreleased: 150n, unvested: 150n })
  })

  test('everything vested and released: nothing locked, nothing unvested', () => {
    const f = supplyFigures({ totalSupply: 700n, locked: 0n, labelled: [50n], vested: 600n, released: 600n })
    expect(f).toEqual({ totalSupply: 700n, nonCirculating: 50n, circulatingSupply: 650n, locked: 0n, vestedUnreleased: 0n, unvested: 0n })
  })

  test('vestedUnreleased is bounded by [0, locked], so unvested is never negative', () => {
    // released ahead of vested (e.g. vesting evaluated before a release's block time): 0, all of locked unvested
    expect(supplyFigures({ totalSupply: 1000n, locked: 400n, labelled: [], vested: 90n, released: 100n })).toMatchObject({ vestedUnreleased: 0n, unvested: 400n })
    // more vested-and-unreleased than the contract holds: capped at what it holds
    expect(supplyFigures({ totalSupply: 1000n, locked: 400n, labelled: [], vested: 900n, released: 100n })).toMatchObject({ vestedUnreleased: 400n, unvested: 0n })
    // exactly at the bound
    expect(supplyFigures({ totalSupply: 1000n, locked: 400n, labelled: [], vested: 500n, released: 100n })).toMatchObject({ vestedUnreleased: 400n, unvested: 0n })
  })
})

describe('totalVested', () => {
  // The devnet allocation table (§2), one schedule per allocation.
  const curve = [
    6_504_563_401_815_523_313_412_214n, // tranches 1–4 of the 119M decaying curve (see vesting.test.ts)
    6_179_335_231_724_747_147_741_603n,
    5_870_368_470_138_509_790_354_523n,
    5_576_850_046_631_584_300_836_797n,
  ]
  const lock = TGE + 12 * ONE_MONTH
  const table: Schedule[] = [
    { category: 'NETWORK_REWARDS', total: 140n * M, immediate: 21n * M, start: TGE, cliff: TGE, duration: 48 * ONE_MONTH, curve },
    { category: 'INVESTORS', total: 150_500_000n * E, immediate: 0n, start: lock, cliff: lock, duration: 24 * ONE_MONTH },
    { category: 'TEAM', total: 154_700_000n * E, immediate: 0n, start: lock, cliff: lock, duration: 24 * ONE_MONTH },
    { category: 'ECOSYSTEM_PARTNERS', total: 77n * M, immediate: 38_500_000n * E, start: TGE, cliff: TGE, duration: 36 * ONE_MONTH },
    { category: 'ECOSYSTEM_DEVELOPMENT', total: 70n * M, immediate: 7n * M, start: TGE, cliff: TGE, duration: 36 * ONE_MONTH },
    { category: 'NETWORK_EXPANSION', total: 70n * M, immediate: 70n * M, start: TGE, cliff: TGE, duration: 0 },
    { category: 'CLOUD_SERVICE_DEVELOPMENT', total: 37_800_000n * E, immediate: 18_900_000n * E, start: TGE, cliff: TGE, duration: 24 * ONE_MONTH },
  ]

  test('no schedules vest nothing', () => {
    expect(totalVested([], TGE)).toBe(0n)
  })

  test('at TGE: 21M + 38.5M + 7M + 70M + 18.9M = 155.40M ICNT', () => {
    expect(totalVested(table, TGE)).toBe(155_400_000n * E)
    expect(totalVested(table, TGE + ONE_MONTH - 1)).toBeLessThan(165_511_507_846_259_967_757_856_658n)
  })

  test('months 1–4 to the wei (the spec rounds them to 165.51M, 175.30M, 184.78M, 193.96M)', () => {
    // month k: 155.4M + curve[1..k] + k·(38.5M/36, floored to the wei) + k·1.75M + k·0.7875M
    expect(totalVested(table, TGE + ONE_MONTH)).toBe(165_511_507_846_259_967_757_856_658n)
    expect(totalVested(table, TGE + 2 * ONE_MONTH)).toBe(175_297_787_522_429_159_350_042_705n)
    expect(totalVested(table, TGE + 3 * ONE_MONTH)).toBe(184_775_100_437_012_113_584_841_673n)
    expect(totalVested(table, TGE + 4 * ONE_MONTH)).toBe(193_958_894_928_088_142_330_122_914n)
  })

  test('vested supply passes 187.6M late in the fourth month: below at month 3.75 (112.5 days), above at 3.8 (114 days)', () => {
    expect(totalVested(table, TGE + 9_720_000)).toBe(187_480_308_770_345_446_918_175_006n)
    expect(totalVested(table, TGE + 9_849_600)).toBe(187_660_655_992_567_669_140_397_228n)
  })

  test('a revoked schedule counts only what had vested at its revocation', () => {
    const s: Schedule = { category: 'TEAM', total: 3600n, immediate: 0n, start: 0, cliff: 0, duration: 3600 }
    expect(totalVested([s, { ...s, revokedAt: 900 }], 1800)).toBe(1800n + 900n)
    expect(totalVested([s, { ...s, revokedAt: 900 }], 100_000)).toBe(3600n + 900n)
  })
})

describe('UTC buckets', () => {
  test('HOUR: the start of the hour; a bucket start is its own start', () => {
    expect(start('2026-01-01T13:45:12.345Z', 'HOUR')).toBe('2026-01-01T13:00:00.000Z')
    expect(start('2026-01-01T13:00:00.000Z', 'HOUR')).toBe('2026-01-01T13:00:00.000Z')
    expect(start('2026-01-01T12:59:59.999Z', 'HOUR')).toBe('2026-01-01T12:00:00.000Z')
    expect(next('2026-01-01T23:00:00.000Z', 'HOUR')).toBe('2026-01-02T00:00:00.000Z')
    expect(bucketStart(1_767_225_600_000 + 3_599_999, 'HOUR')).toBe(1_767_225_600_000)
    expect(nextBucket(1_767_225_600_000, 'HOUR')).toBe(1_767_229_200_000)
  })

  test('DAY: UTC midnight; the next day across month, year and 29 February', () => {
    expect(start('2026-01-01T23:59:59.999Z', 'DAY')).toBe('2026-01-01T00:00:00.000Z')
    expect(start('2026-01-02T00:00:00.000Z', 'DAY')).toBe('2026-01-02T00:00:00.000Z')
    expect(bucketStart(1_767_225_600_000 - 1, 'DAY')).toBe(1_767_139_200_000) // 2025-12-31
    expect(next('2025-12-31T00:00:00.000Z', 'DAY')).toBe('2026-01-01T00:00:00.000Z')
    expect(next('2026-02-28T00:00:00.000Z', 'DAY')).toBe('2026-03-01T00:00:00.000Z')
    expect(next('2028-02-28T00:00:00.000Z', 'DAY')).toBe('2028-02-29T00:00:00.000Z')
  })

  test('WEEK: ISO weeks start on Monday, also across a year boundary', () => {
    // 2026-01-01 is a Thursday: its week began on Monday 2025-12-29
    expect(start('2026-01-01T00:00:00.000Z', 'WEEK')).toBe('2025-12-29T00:00:00.000Z')
    expect(start('2025-12-29T00:00:00.000Z', 'WEEK')).toBe('2025-12-29T00:00:00.000Z') // Monday
    expect(start('2025-12-28T23:59:59.999Z', 'WEEK')).toBe('2025-12-22T00:00:00.000Z') // Sunday ends the week before
    expect(start('2026-01-04T23:59:59.999Z', 'WEEK')).toBe('2025-12-29T00:00:00.000Z') // Sunday: still the same week
    expect(start('2026-01-05T00:00:00.000Z', 'WEEK')).toBe('2026-01-05T00:00:00.000Z') // Monday: a new one
    expect(start('2026-01-10T12:00:00.000Z', 'WEEK')).toBe('2026-01-05T00:00:00.000Z') // Saturday
    expect(next('2025-12-29T00:00:00.000Z', 'WEEK')).toBe('2026-01-05T00:00:00.000Z')
    expect(next('2028-02-28T00:00:00.000Z', 'WEEK')).toBe('2028-03-06T00:00:00.000Z') // 7 days, through 29 February
  })

  test('MONTH: calendar months (31, 28, 29 days…), not 30-day ONE_MONTHs', () => {
    expect(start('2026-01-31T23:59:59.999Z', 'MONTH')).toBe('2026-01-01T00:00:00.000Z')
    expect(start('2026-02-01T00:00:00.000Z', 'MONTH')).toBe('2026-02-01T00:00:00.000Z')
    expect(start('2026-02-28T23:59:59.999Z', 'MONTH')).toBe('2026-02-01T00:00:00.000Z')
    expect(next('2026-01-01T00:00:00.000Z', 'MONTH')).toBe('2026-02-01T00:00:00.000Z') // 31 days later
    expect(next('2026-02-01T00:00:00.000Z', 'MONTH')).toBe('2026-03-01T00:00:00.000Z') // 28
    expect(next('2028-02-01T00:00:00.000Z', 'MONTH')).toBe('2028-03-01T00:00:00.000Z') // 29
    expect(next('2026-12-01T00:00:00.000Z', 'MONTH')).toBe('2027-01-01T00:00:00.000Z')
    expect(nextBucket(1_767_225_600_000, 'MONTH') - 1_767_225_600_000).toBe(31 * DAY * 1000)
  })

  const isoList = (list: { start: number; end: number }[]) => list.map((b) => [iso(b.start), iso(b.end)])

  test('buckets: every bucket overlapping [from, to], the first one starting before `from`', () => {
    expect(isoList(buckets(utc('2026-01-01T23:30:00Z'), utc('2026-01-02T01:00:00Z'), 'HOUR', 10))).toEqual([
      ['2026-01-01T23:00:00.000Z', '2026-01-02T00:00:00.000Z'],
      ['2026-01-02T00:00:00.000Z', '2026-01-02T01:00:00.000Z'],
      ['2026-01-02T01:00:00.000Z', '2026-01-02T02:00:00.000Z'], // `to` is a bucket's first instant: that bucket overlaps
    ])
    expect(buckets(utc('2026-01-01T23:30:00Z'), utc('2026-01-02T00:59:59.999Z'), 'HOUR', 10)).toHaveLength(2)
    expect(buckets(utc('2026-01-01T10:00:00Z'), utc('2026-01-01T10:00:00Z'), 'DAY', 10)).toEqual([{ start: 1_767_225_600_000, end: 1_767_312_000_000 }])
    expect(isoList(buckets(utc('2026-01-01T00:00:00Z'), utc('2026-01-12T00:00:00Z'), 'WEEK', 10))).toEqual([
      ['2025-12-29T00:00:00.000Z', '2026-01-05T00:00:00.000Z'],
      ['2026-01-05T00:00:00.000Z', '2026-01-12T00:00:00.000Z'],
      ['2026-01-12T00:00:00.000Z', '2026-01-19T00:00:00.000Z'],
    ])
    expect(isoList(buckets(utc('2026-01-15T00:00:00Z'), utc('2026-03-15T00:00:00Z'), 'MONTH', 10))).toEqual([
      ['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
      ['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
      ['2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
    ])
  })

  test('buckets: exactly `max` is allowed, one more throws a RangeError naming the limit', () => {
    const from = utc('2026-01-01T00:30:00Z')
    expect(buckets(from, utc('2026-01-01T03:00:00Z'), 'HOUR', 4)).toHaveLength(4) // 00, 01, 02, 03
    expect(() => buckets(from, utc('2026-01-01T03:00:00Z'), 'HOUR', 3)).toThrow(RangeError)
    expect(() => buckets(from, utc('2026-01-01T03:00:00Z'), 'HOUR', 3)).toThrow('more than 3 hour buckets')
    expect(() => buckets(utc('2026-01-01T00:00:00Z'), utc('2026-12-31T00:00:00Z'), 'DAY', 364)).toThrow('more than 364 day buckets')
    expect(buckets(utc('2026-01-01T00:00:00Z'), utc('2026-12-31T00:00:00Z'), 'DAY', 365)).toHaveLength(365)
    expect(buckets(utc('2026-01-01T00:00:00Z'), utc('2026-12-31T00:00:00Z'), 'MONTH', 12)).toHaveLength(12)
    expect(() => buckets(utc('2026-01-01T00:00:00Z'), utc('2027-01-01T00:00:00Z'), 'MONTH', 12)).toThrow('more than 12 month buckets')
  })
})

describe('unlockCalendar', () => {
  const days = buckets(utc('2026-01-01T00:00:00Z'), utc('2026-01-06T00:00:00Z'), 'DAY', 10) // 1–6 January
  const byCat = (u: { byCategory: Map<string, bigint> }) => Object.fromEntries(u.byCategory)

  // 1 wei a second over 4 days after a 2-day cliff: 345,600 linear wei; the 100 immediate never appears.
  const cliffed: Schedule = { category: 'TEAM', total: 345_700n, immediate: 100n, start: TGE, cliff: TGE + 2 * DAY, duration: 4 * DAY }
  // Everything at once at 03 January 01:00 (duration 0).
  const lump: Schedule = { category: 'TEAM', total: 5000n, immediate: 0n, start: TGE, cliff: TGE + 2 * DAY + 3600, duration: 0 }
  // 1 wei a second over 2 days, revoked at 02 January 12:00: frozen at 129,600.
  const revoked: Schedule = { category: 'INVESTORS', total: 172_800n, immediate: 0n, start: TGE, cliff: TGE, duration: 2 * DAY, revokedAt: TGE + DAY + 43_200 }

  test('a cliff: everything linear since start lands in the cliff\'s bucket', () => {
    const u = unlockCalendar([cliffed], days)
    // 3 Jan: at the cliff 172,800 vest at once, then 1 a second to 23:59:59 → 172,800 + 86,399
    // 4 Jan: 86,400; 5 Jan: the last wei, vested at the end instant 00:00:00 (a bucket's end is exclusive)
    expect(u.map((b) => b.total)).toEqual([0n, 0n, 259_199n, 86_400n, 1n, 0n])
    expect(u.reduce((a, b) => a + b.total, 0n)).toBe(345_600n) // total − immediate
    expect(u.map((b) => [iso(b.start), iso(b.end)])[2]).toEqual(['2026-01-03T00:00:00.000Z', '2026-01-04T00:00:00.000Z'])
  })

  test('by category: schedules of one category add up; a revoked schedule stops at its revocation', () => {
    const u = unlockCalendar([cliffed, lump, revoked], days)
    expect(u.map(byCat)).toEqual([
      { INVESTORS: 86_399n }, // vested by 23:59:59; the 86,400th wei vests at 2 Jan 00:00, in the next bucket
      { INVESTORS: 43_201n }, // up to the revocation: 129,600 − 86,399
      { TEAM: 264_199n }, // 259,199 + the 5,000 lump
      { TEAM: 86_400n },
      { TEAM: 1n },
      {}, // nothing vests: no category listed, not a zero
    ])
    expect(u.map((b) => b.total)).toEqual([86_399n, 43_201n, 264_199n, 86_400n, 1n, 0n])
  })

  test('curve tranches every 30 days fall into calendar months unevenly: none in February 2026', () => {
    const s: Schedule = { category: 'NETWORK_REWARDS', total: 162n, immediate: 7n, start: TGE, cliff: TGE, duration: 4 * ONE_MONTH, curve: [100n, 40n, 10n, 5n] }
    // tranches at 31 Jan, 2 Mar (31 Jan + 30 days), 1 Apr 00:00 and 1 May 00:00 (each a bucket's first instant)
    const months = buckets(utc('2026-01-01T00:00:00Z'), utc('2026-05-31T00:00:00Z'), 'MONTH', 12)
    const u = unlockCalendar([s], months)
    expect(u.map((b) => [iso(b.start).slice(0, 7), b.total])).toEqual([
      ['2026-01', 100n],
      ['2026-02', 0n],
      ['2026-03', 40n],
      ['2026-04', 10n],
      ['2026-05', 5n],
    ])
  })

  test('buckets before a schedule starts and after it ends are empty', () => {
    const u = unlockCalendar([cliffed], buckets(utc('2025-12-30T00:00:00Z'), utc('2025-12-31T00:00:00Z'), 'DAY', 10))
    expect(u.map((b) => b.total)).toEqual([0n, 0n])
    const later = unlockCalendar([cliffed], buckets(utc('2026-02-01T00:00:00Z'), utc('2026-02-01T00:00:00Z'), 'MONTH', 10))
    expect(later.map((b) => [b.total, byCat(b)])).toEqual([[0n, {}]])
  })

  test('no buckets, no answer', () => {
    expect(unlockCalendar([cliffed], [])).toEqual([])
  })
})
