import { ALLOCATIONS, genesisSchedules, ICNT, TOTAL_SUPPLY } from '../../src/devnet/allocations'
import { decayingCurve, ERA_SECONDS, ONE_MONTH, vestedAt } from '../../src/domain/vesting'

const M = 1_000_000n * ICNT

describe('vesting maths', () => {
  const base = { total: 1000n, immediate: 100n, start: 1000, cliff: 1500, duration: 1000 }

  test('linear with cliff: hand-worked vectors', () => {
    expect(vestedAt(base, 0)).toBe(100n) // before start
    expect(vestedAt(base, 1499)).toBe(100n) // just before the cliff
    expect(vestedAt(base, 1500)).toBe(100n + 450n) // at the cliff: everything since start vests at once
    expect(vestedAt(base, 1750)).toBe(100n + 675n) // mid-way
    expect(vestedAt(base, 1999)).toBe(100n + 899n) // floor((900·999)/1000) = 899
    expect(vestedAt(base, 2000)).toBe(1000n) // end
    expect(vestedAt(base, 10_000)).toBe(1000n) // after the end
  })

  test('duration 0 vests everything at the cliff', () => {
    const s = { total: 500n, immediate: 0n, start: 100, cliff: 200, duration: 0 }
    expect(vestedAt(s, 199)).toBe(0n)
    expect(vestedAt(s, 200)).toBe(500n)
  })

  test('a revoked schedule is frozen at its revocation time', () => {
    expect(vestedAt({ ...base, revokedAt: 1750 }, 5000)).toBe(775n)
    expect(vestedAt({ ...base, revokedAt: 1750 }, 1600)).toBe(vestedAt(base, 1600))
  })

  test('curve tranches land exactly on month boundaries', () => {
    const s = { total: 160n, immediate: 10n, start: 0, cliff: 0, duration: 3 * ONE_MONTH, curve: [100n, 40n, 10n] }
    expect(vestedAt(s, ONE_MONTH - 1)).toBe(10n)
    expect(vestedAt(s, ONE_MONTH)).toBe(110n)
    expect(vestedAt(s, 2 * ONE_MONTH)).toBe(150n)
    expect(vestedAt(s, 3 * ONE_MONTH)).toBe(160n)
  })

  test('the decaying curve: 48 tranches summing to T, each 19/20 of the last', () => {
    const T = 119_000_000n * ICNT
    const c = decayingCurve(T)
    expect(c).toHaveLength(48)
    expect(c.reduce((a, b) => a + b, 0n)).toBe(T)
    for (let k = 1; k < 47; k++) {
      // floor(T·19^k·20^(47−k)/S) vs 19/20 of the previous one: equal up to rounding of one wei
      const ratio = (c[k] * 20n) / 19n
      expect(ratio - c[k - 1] <= 1n && c[k - 1] - ratio <= 1n).toBe(true)
    }
  })
})

describe('vesting maths: hand-worked vectors in exact wei', () => {
  const E = 10n ** 18n
  const TGE = 1_767_225_600 // 2026-01-01T00:00:00Z

  test('ONE_MONTH is 30 days and an era one hour (ICN protocol constants)', () => {
    expect(ONE_MONTH).toBe(2_592_000)
    expect(ERA_SECONDS).toBe(3600)
  })

  test('decaying curve over 4 months of 1000 wei: S = 20⁴ − 19⁴ = 29,679; the remainder goes to the last month', () => {
    // month 1: floor(1000·20³/29679) = floor(8,000,000/29679) = 269 (29679·269 = 7,983,651)
    // month 2: floor(1000·19·20²/29679) = floor(7,600,000/29679) = 256 (29679·256 = 7,597,824)
    // month 3: floor(1000·19²·20/29679) = floor(7,220,000/29679) = 243 (29679·243 = 7,211,997)
    // month 4: the rest, 1000 − 768 = 232 (its own floor would be floor(6,859,000/29679) = 231)
    expect(decayingCurve(1000n, 4)).toEqual([269n, 256n, 243n, 232n])
  })

  test('decaying curve of 1000 wei over 48 months: each month floored, the last one takes all 47 remainders', () => {
    // month 1 ≈ 1000·0.05/(1 − 0.95⁴⁸) = 54.66; the exact 48th share would be ≈ 4.9, the rest is 27
    expect(decayingCurve(1000n)).toEqual([
      54n, 51n, 49n, 46n, 44n, 42n, 40n, 38n, 36n, 34n, 32n, 31n, 29n, 28n, 26n, 25n,
      24n, 22n, 21n, 20n, 19n, 18n, 17n, 16n, 15n, 15n, 14n, 13n, 12n, 12n, 11n, 11n,
      10n, 10n, 9n, 9n, 8n, 8n, 7n, 7n, 7n, 6n, 6n, 6n, 5n, 5n, 5n, 27n,
    ])
  })

  test('decaying curve of 1 ICNT: the first four months and the last, to the wei', () => {
    const c = decayingCurve(E)
    expect(c.slice(0, 4)).toEqual([54_660_196_653_911_960n, 51_927_186_821_216_362n, 49_330_827_480_155_544n, 46_864_286_106_147_767n])
    // floor(10¹⁸·19⁴⁷/S) would be 4,905,470,162,012,590: the last month also takes the 26 wei of rounding
    expect(c[47]).toBe(4_905_470_162_012_616n)
  })

  test('the devnet curve, T = 119,000,000 ICNT: months 1–4, 47 and 48 to the wei', () => {
    const c = decayingCurve(119_000_000n * E)
    expect(c.slice(0, 4)).toEqual([
      6_504_563_401_815_523_313_412_214n, // ≈ 6.5046M ICNT
      6_179_335_231_724_747_147_741_603n,
      5_870_368_470_138_509_790_354_523n,
      5_576_850_046_631_584_300_836_797n,
    ])
    expect(c[46]).toBe(614_474_683_452_103_394_362_564n)
    // floor(T·19⁴⁷/S) = 583,750,949,279,498,224,644,435; the rest of T is 26 wei more
    expect(c[47]).toBe(583_750_949_279_498_224_644_461n)
  })

  test('the devnet curve against the closed form S = 20⁴⁸ − 19⁴⁸ (Σ 19ʲ·20⁴⁷⁻ʲ, a geometric sum)', () => {
    const T = 119_000_000n * E
    const S = 20n ** 48n - 19n ** 48n
    expect(S).toBe(257_477_098_456_899_893_555_002_664_264_057_583_897_781_874_619_914_077_369_917_759n)
    const c = decayingCurve(T)
    for (let k = 1n; k <= 47n; k++) expect(c[Number(k) - 1]).toBe((T * 19n ** (k - 1n) * 20n ** (48n - k)) / S)
  })

  test('a zero curve is 48 zero months', () => {
    expect(decayingCurve(0n)).toEqual(new Array(48).fill(0n))
  })

  // NETWORK_REWARDS on the devnet: 140M, 15% (21M) at TGE, 119M on the curve; tranche k at TGE + k·30 days.
  const rewards = { total: 140_000_000n * E, immediate: 21_000_000n * E, start: TGE, cliff: TGE, duration: 48 * ONE_MONTH, curve: decayingCurve(119_000_000n * E) }

  test('curve schedule: the immediate part at TGE, then one tranche on each 30-day boundary', () => {
    expect(vestedAt(rewards, TGE - 1)).toBe(21_000_000n * E)
    expect(vestedAt(rewards, TGE)).toBe(21_000_000n * E)
    expect(vestedAt(rewards, TGE + ONE_MONTH - 1)).toBe(21_000_000n * E)
    expect(vestedAt(rewards, TGE + ONE_MONTH)).toBe(27_504_563_401_815_523_313_412_214n) // 21M + month 1
    expect(vestedAt(rewards, TGE + 2 * ONE_MONTH - 1)).toBe(27_504_563_401_815_523_313_412_214n)
    expect(vestedAt(rewards, TGE + 2 * ONE_MONTH)).toBe(33_683_898_633_540_270_461_153_817n)
    expect(vestedAt(rewards, TGE + 3 * ONE_MONTH)).toBe(39_554_267_103_678_780_251_508_340n)
    expect(vestedAt(rewards, TGE + 4 * ONE_MONTH)).toBe(45_131_117_150_310_364_552_345_137n)
    expect(vestedAt(rewards, TGE + 48 * ONE_MONTH - 1)).toBe(139_416_249_050_720_501_775_355_539n) // all but month 48
    expect(vestedAt(rewards, TGE + 48 * ONE_MONTH)).toBe(140_000_000n * E)
    expect(vestedAt(rewards, TGE + 100 * ONE_MONTH)).toBe(140_000_000n * E)
  })

  test('revoked curve schedule: frozen at its value at the revocation time', () => {
    // revoked 5 days into month 3: months 1 and 2 stay vested, nothing more ever
    const r = { ...rewards, revokedAt: TGE + 2 * ONE_MONTH + 5 * 86_400 }
    expect(vestedAt(r, TGE + ONE_MONTH)).toBe(27_504_563_401_815_523_313_412_214n) // before the revocation: as usual
    expect(vestedAt(r, TGE + 3 * ONE_MONTH)).toBe(33_683_898_633_540_270_461_153_817n)
    expect(vestedAt(r, TGE + 48 * ONE_MONTH)).toBe(33_683_898_633_540_270_461_153_817n)
    // one second after the revocation is already frozen (1 wei a second, revoked at 900 s: 900)
    expect(vestedAt({ total: 3600n, immediate: 0n, start: 0, cliff: 0, duration: 3600, revokedAt: 900 }, 901)).toBe(900n)
    // revoked on a tranche's own instant: that tranche had vested
    expect(vestedAt({ ...rewards, revokedAt: TGE + 3 * ONE_MONTH }, TGE + 10 * ONE_MONTH)).toBe(39_554_267_103_678_780_251_508_340n)
  })

  // TEAM on the devnet: locked 12 months, then linear over 24 (start = cliff = TGE + 12·30 days).
  const lockStart = TGE + 12 * ONE_MONTH // 1,798,329,600
  const team = { total: 154_700_000n * E, immediate: 0n, start: lockStart, cliff: lockStart, duration: 24 * ONE_MONTH }

  test('locked 12 months then linear over 24: no jump at the end of the lock', () => {
    expect(lockStart).toBe(1_798_329_600)
    expect(vestedAt(team, TGE)).toBe(0n)
    expect(vestedAt(team, lockStart - 1)).toBe(0n)
    expect(vestedAt(team, lockStart)).toBe(0n)
    expect(vestedAt(team, lockStart + 1)).toBe(2_486_818_415_637_860_082n) // floor(154.7M·10¹⁸ / 62,208,000 s)
    expect(vestedAt(team, lockStart + ONE_MONTH - 1)).toBe(6_445_830_846_514_917_695_473_251n)
    expect(vestedAt(team, lockStart + ONE_MONTH)).toBe(6_445_833_333_333_333_333_333_333n) // floor(154.7M / 24)
    expect(vestedAt(team, lockStart + 12 * ONE_MONTH)).toBe(77_350_000n * E) // half
    expect(vestedAt(team, lockStart + 24 * ONE_MONTH - 1)).toBe(154_699_997_513_181_584_362_139_917n)
    expect(vestedAt(team, lockStart + 24 * ONE_MONTH)).toBe(154_700_000n * E)
  })

  // A 12-month cliff inside a 36-month linear schedule that starts at TGE.
  const cliffed = { total: 1_200_000n * E, immediate: 0n, start: TGE, cliff: TGE + 12 * ONE_MONTH, duration: 36 * ONE_MONTH }

  test('a cliff after the start: nothing before it, 12/36 at it, then linear', () => {
    expect(vestedAt(cliffed, TGE)).toBe(0n)
    expect(vestedAt(cliffed, TGE + 12 * ONE_MONTH - 1)).toBe(0n)
    expect(vestedAt(cliffed, TGE + 12 * ONE_MONTH)).toBe(400_000n * E) // 1.2M · 12/36
    expect(vestedAt(cliffed, TGE + 12 * ONE_MONTH + 1)).toBe(400_000_012_860_082_304_526_748n) // + floor(1.2M·10¹⁸ / 93,312,000)
    expect(vestedAt(cliffed, TGE + 13 * ONE_MONTH)).toBe(433_333_333_333_333_333_333_333n) // floor(1.2M · 13/36)
    expect(vestedAt(cliffed, TGE + 36 * ONE_MONTH - 1)).toBe(1_199_999_987_139_917_695_473_251n)
    expect(vestedAt(cliffed, TGE + 36 * ONE_MONTH)).toBe(1_200_000n * E)
  })

  test('revoked before its cliff: only the immediate part ever vests', () => {
    const s = { ...cliffed, immediate: 1000n, total: 1_200_000n * E + 1000n, revokedAt: TGE + 6 * ONE_MONTH }
    expect(vestedAt(s, TGE + 12 * ONE_MONTH)).toBe(1000n)
    expect(vestedAt(s, TGE + 40 * ONE_MONTH)).toBe(1000n)
  })
})

describe('devnet allocation table', () => {
  test('seven allocations totalling 700,000,000 ICNT, splits adding up', () => {
    expect(ALLOCATIONS).toHaveLength(7)
    expect(ALLOCATIONS.reduce((s, a) => s + a.total, 0n) * ICNT).toBe(TOTAL_SUPPLY)
    for (const a of ALLOCATIONS) expect(a.split.reduce((s, x) => s + x, 0n)).toBe(a.total)
  })

  test('vested supply at TGE and months 1–4 matches the spec (155.40M, 165.51M, 175.30M, 184.78M, 193.96M)', () => {
    const tge = 1_767_225_600
    const schedules = genesisSchedules(tge)
    const vested = (t: number) => schedules.reduce((s, g) => s + vestedAt({ ...g, curve: g.curve ?? null }, t), 0n)
    const inMillions = (v: bigint) => Number((v * 100n) / M) / 100 // two decimals, truncated
    const expected = [155.4, 165.51, 175.3, 184.78, 193.96]
    expected.forEach((m, k) => {
      const got = vested(tge + k * ONE_MONTH)
      // the spec rounds to 10,000 ICNT: hold the figure to within half of that
      const diff = got - BigInt(Math.round(m * 100)) * (M / 100n)
      expect({ month: k, millions: inMillions(got), ok: diff < 5000n * ICNT && diff > -5000n * ICNT }).toEqual({ month: k, millions: expect.any(Number), ok: true })
    })
  })
})
