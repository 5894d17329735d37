/**
 * SLA consensus of one node for one era, from its HyperNodes' reports
 * (../shared/icn-protocol.md, "Node performance"). Pure maths, no I/O.
 *
 * Medians of integers are exact in a double (the mean of two integers is a
 * multiple of 0.5). Challenge pass rates are rationals; the threshold test is
 * done on them exactly, so a rate of exactly 99% meets a 99% threshold.
 */

/** One HyperNode's latest report on the node for the era. */
export interface SlaReport {
  hyperNodeId: string
  uptimeBps: number
  latencyMs: number
  challengesPassed: number
  challengesFailed: number
  /** Block of the report (a later report by the same HyperNode replaces an earlier one). */
  blockNumber: number
}

export interface SlaRules {
  quorum: number
  minUptimeBps: number
  maxLatencyMs: number
  /** Minimum challenge pass rate in basis points (9900 = 99%). */
  minChallengePassBps: number
}

export type SlaMetric = 'UPTIME' | 'LATENCY' | 'CHALLENGES'

export interface EraConsensus {
  reportCount: number
  quorum: boolean
  uptimeBps: number
  latencyMs: number
  /** Median pass rate in [0, 1] (display value; the SLA test uses the exact rational). */
  challengePassRate: number
  /** False without quorum. */
  meetsSla: boolean
  /** The metrics below their threshold (empty without quorum). */
  failedMetrics: SlaMetric[]
}

/** A pass rate as a fraction num/den with den > 0. */
interface Rate {
  num: bigint
  den: bigint
}

export function passRate(passed: number, failed: number): Rate {
  const total = passed + failed
  return total === 0 ? { num: 1n, den: 1n } : { num: BigInt(passed), den: BigInt(total) }
}

const cmpRate = (a: Rate, b: Rate) => {
  const l = a.num * b.den
  const r = b.num * a.den
  return l < r ? -1 : l > r ? 1 : 0
}

/** Median of numbers; of an even count, the mean of the two middle values. */
export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of no values')
  const s = [...values].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/** Median rate as an exact fraction. */
function medianRate(rates: Rate[]): Rate {
  const s = [...rates].sort(cmpRate)
  const mid = s.length >> 1
  if (s.length % 2 === 1) return s[mid]
  const a = s[mid - 1]
  const b = s[mid]
  return { num: a.num * b.den + b.num * a.den, den: 2n * a.den * b.den }
}

/**
 * Adds a report to an era's reports: a HyperNode's later report replaces its
 * earlier one (by block, then by arrival order within a block). Returns a new
 * array sorted by HyperNode id, so the stored form does not depend on arrival order.
 */
export function withReport(reports: SlaReport[], r: SlaReport): SlaReport[] {
  const out = reports.filter((x) => x.hyperNodeId !== r.hyperNodeId)
  const prev = reports.find((x) => x.hyperNodeId === r.hyperNodeId)
  out.push(prev && prev.blockNumber > r.blockNumber ? prev : r)
  return out.sort((a, b) => (a.hyperNodeId < b.hyperNodeId ? -1 : a.hyperNodeId > b.hyperNodeId ? 1 : 0))
}

/** The era's consensus from the latest report of each HyperNode (at least one). */
export function eraConsensus(reports: SlaReport[], rules: SlaRules): EraConsensus {
  const uptimeBps = median(reports.map((r) => r.uptimeBps))
  const latencyMs = median(reports.map((r) => r.latencyMs))
  const rate = medianRate(reports.map((r) => passRate(r.challengesPassed, r.challengesFailed)))
  const quorum = reports.length >= rules.quorum
  const failedMetrics: SlaMetric[] = []
  if (quorum) {
    if (uptimeBps < rules.minUptimeBps) failedMetrics.push('UPTIME')
    if (latencyMs > rules.maxLatencyMs) failedMetrics.push('LATENCY')
    if (cmpRate(rate, { num: BigInt(rules.minChallengePassBps), den: 10_000n }) < 0) failedMetrics.push('CHALLENGES')
  }
  return {
    reportCount: reports.length,
    quorum,
    uptimeBps,
    latencyMs,
    challengePassRate: Number(rate.num) / Number(rate.den),
    meetsSla: quorum && failedMetrics.length === 0,
    failedMetrics,
  }
}

/** Integers stored per report in a rollup row: uptimeBps, latencyMs, challengesPassed, challengesFailed, blockNumber. */
export const REPORT_WIDTH = 5

/** Reports as the rollup row stores them: their HyperNode ids, and REPORT_WIDTH integers each. */
export function packReports(reports: readonly SlaReport[]): { hyperNodes: string[]; values: number[] } {
  const hyperNodes = new Array<string>(reports.length)
  const values = new Array<number>(reports.length * REPORT_WIDTH)
  reports.forEach((r, i) => {
    hyperNodes[i] = r.hyperNodeId
    values.splice(i * REPORT_WIDTH, REPORT_WIDTH, r.uptimeBps, r.latencyMs, r.challengesPassed, r.challengesFailed, r.blockNumber)
  })
  return { hyperNodes, values }
}

export function unpackReports(hyperNodes: readonly string[], values: readonly number[]): SlaReport[] {
  if (values.length !== hyperNodes.length * REPORT_WIDTH) throw new Error(`a rollup row holds ${hyperNodes.length} reports but ${values.length} values`)
  return hyperNodes.map((hyperNodeId, i) => {
    const o = i * REPORT_WIDTH
    return { hyperNodeId, uptimeBps: values[o], latencyMs: values[o + 1], challengesPassed: values[o + 2], challengesFailed: values[o + 3], blockNumber: values[o + 4] }
  })
}
