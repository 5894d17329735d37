import { eraConsensus, median, packReports, passRate, SlaReport, SlaRules, unpackReports, withReport } from '../../src/domain/sla'

const rules: SlaRules = { quorum: 2, minUptimeBps: 9900, maxLatencyMs: 200, minChallengePassBps: 9900 }

const r = (hyperNodeId: string, uptimeBps: number, latencyMs: number, passed = 100, failed = 0, blockNumber = 1): SlaReport => ({
  hyperNodeId, uptimeBps, latencyMs, challengesPassed: passed, challengesFailed: failed, blockNumber,
})

describe('SLA consensus maths', () => {
  test('median: odd count is the middle value, even count the mean of the two middle ones', () => {
    expect(median([3])).toBe(3)
    expect(median([9950, 9800, 9990])).toBe(9950)
    expect(median([9950, 9800, 9991, 9990])).toBe(9970)
    expect(median([150, 151])).toBe(150.5)
    expect(() => median([])).toThrow('median of no values')
  })

  test('three reports: per-metric medians, met', () => {
    const c = eraConsensus([r('a', 9950, 120), r('b', 9990, 80), r('c', 9000, 400, 90, 10)], rules)
    expect(c).toEqual({ reportCount: 3, quorum: true, uptimeBps: 9950, latencyMs: 120, challengePassRate: 1, meetsSla: true, failedMetrics: [] })
  })

  test('two reports: the mean of both; failing uptime and latency named', () => {
    const c = eraConsensus([r('a', 9850, 190), r('b', 9940, 230)], rules)
    expect(c.uptimeBps).toBe(9895)
    expect(c.latencyMs).toBe(210)
    expect(c.meetsSla).toBe(false)
    expect(c.failedMetrics).toEqual(['UPTIME', 'LATENCY'])
  })

  test('one report is below quorum: medians kept, never met, nothing failed', () => {
    const c = eraConsensus([r('a', 5000, 900)], rules)
    expect(c).toMatchObject({ reportCount: 1, quorum: false, uptimeBps: 5000, latencyMs: 900, meetsSla: false, failedMetrics: [] })
    expect(eraConsensus([r('a', 5000, 900)], { ...rules, quorum: 1 }).failedMetrics).toEqual(['UPTIME', 'LATENCY'])
  })

  test('threshold edges are inclusive: uptime 9900, latency 200, pass rate exactly 99%', () => {
    const c = eraConsensus([r('a', 9900, 200, 99, 1), r('b', 9900, 200, 198, 2)], rules)
    expect(c.meetsSla).toBe(true)
    const below = eraConsensus([r('a', 9899, 201, 98, 2), r('b', 9899, 201, 98, 2)], rules)
    expect(below.failedMetrics).toEqual(['UPTIME', 'LATENCY', 'CHALLENGES'])
  })

  test('pass rate: no challenge run counts as 1; even count takes the exact mean of two rationals', () => {
    expect(passRate(0, 0)).toEqual({ num: 1n, den: 1n })
    // 1/1 and 97/100 → 197/200 = 98.5% < 99%
    const c = eraConsensus([r('a', 9999, 10, 0, 0), r('b', 9999, 10, 97, 3)], rules)
    expect(c.challengePassRate).toBeCloseTo(0.985, 12)
    expect(c.failedMetrics).toEqual(['CHALLENGES'])
    // 1/1 and 98/100 → 99% exactly: met, although 0.99 is not exact in binary
    expect(eraConsensus([r('a', 9999, 10, 0, 0), r('b', 9999, 10, 98, 2)], rules).meetsSla).toBe(true)
  })

  test("a HyperNode's later report replaces its earlier one; the stored order is by HyperNode", () => {
    let reports: SlaReport[] = []
    reports = withReport(reports, r('b', 9000, 500, 100, 0, 10))
    reports = withReport(reports, r('a', 9990, 50, 100, 0, 11))
    reports = withReport(reports, r('b', 9995, 60, 100, 0, 12)) // b corrects itself
    expect(reports.map((x) => [x.hyperNodeId, x.uptimeBps])).toEqual([['a', 9990], ['b', 9995]])
    expect(eraConsensus(reports, rules)).toMatchObject({ reportCount: 2, uptimeBps: 9992.5, latencyMs: 55, meetsSla: true })
    // an older report arriving late never replaces a newer one
    expect(withReport(reports, r('b', 1, 1, 0, 1, 5)).find((x) => x.hyperNodeId === 'b')?.uptimeBps).toBe(9995)
  })

  test('a late report for an era already rolled up changes its consensus', () => {
    const before = eraConsensus([r('a', 9990, 100), r('b', 9000, 100)], rules)
    expect(before.meetsSla).toBe(false) // median 9495
    const after = eraConsensus(withReport([r('a', 9990, 100), r('b', 9000, 100)], r('c', 9995, 100)), rules)
    expect(after).toMatchObject({ reportCount: 3, uptimeBps: 9990, meetsSla: true })
  })

  test('a rollup row packs its reports as ids and five integers each, and unpacks them unchanged', () => {
    const reports = [r('000000000001', 9950, 120, 98, 2, 40), r('000000000007', 9800, 210, 0, 0, 41)]
    const packed = packReports(reports)
    expect(packed).toEqual({ hyperNodes: ['000000000001', '000000000007'], values: [9950, 120, 98, 2, 40, 9800, 210, 0, 0, 41] })
    expect(unpackReports(packed.hyperNodes, packed.values)).toEqual(reports)
    expect(() => unpackReports(['a'], [1, 2, 3])).toThrow('a rollup row holds 1 reports but 3 values')
  })
})
