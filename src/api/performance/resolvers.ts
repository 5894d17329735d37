/** Resolvers of the performance schema (./schema.ts): windows and figures from PerformanceService. */
import { compliance, eraStart } from '../../domain/performance'
import { parseUintId } from '../args'
import type { ApiContext } from '../context'
import { connection, PageArgs, pageRequest } from '../pagination'
import { keysetCount, keysetPage } from '../sql/list'
import type { HyperNodeRow, NodeRow } from '../sql/lists'
import { EraAggregate, EraPoint, eraSeries, LeaderboardOrder, leaderboardList } from '../sql/performance'
import type { NodePerformance, ResolvedWindow, WindowArgs } from './service'

const windowOut = (w: ResolvedWindow) => ({ eraFrom: w.eraFrom, eraTo: w.eraTo, from: new Date(w.from * 1000), to: new Date(w.to * 1000) })

function points(rows: EraPoint[], w: ResolvedWindow, bucketEras: number, origin: number) {
  return rows.map((r) => {
    const eraFrom = w.eraFrom + r.bucket * bucketEras
    return {
      start: new Date(eraStart(eraFrom, origin) * 1000),
      eraFrom,
      eraTo: Math.min(w.eraTo, eraFrom + bucketEras - 1),
      erasWithQuorum: r.quorumEras,
      erasMet: r.metEras,
      slaCompliance: compliance(r.metEras, r.quorumEras),
      averageUptimeBps: r.avgUptimeBps,
      latencyP50Ms: r.latencyP50,
      challengePassRate: r.avgChallengePassRate,
    }
  })
}

/** Per-day points start at the window's first era: a day here is 24 eras from it. */
const bucketOf = (interval: string) => (interval === 'DAY' ? 24 : 1)

const utilisation = (booked: string, total: string) => (BigInt(total) === 0n ? null : Number((BigInt(booked) * 1_000_000n) / BigInt(total)) / 1e6)

const count = (agg: EraAggregate | undefined, k: keyof EraAggregate) => (agg ? (agg[k] as number) : 0)

export const performanceResolvers = {
  Query: {
    async nodePerformance(_: unknown, a: { nodeId: string; window?: WindowArgs }, ctx: ApiContext) {
      const id = parseUintId('nodeId', a.nodeId)!
      const w = await ctx.performance.window(a.window)
      const row = await ctx.node.load(id)
      return row ? ctx.performance.node(w, row) : null
    },
    async nodeLeaderboard(_: unknown, a: PageArgs & { window?: WindowArgs; orderBy: LeaderboardOrder; filter?: { status?: number | null; region?: string | null; hwClass?: string | null } | null }, ctx: ApiContext) {
      const w = await ctx.performance.window(a.window)
      const spec = leaderboardList(w, a.orderBy, { status: a.filter?.status ?? undefined, region: a.filter?.region ?? undefined, hwClass: a.filter?.hwClass ?? undefined }, w.headTime)
      const req = pageRequest(a, spec)
      // The ranking aggregates every node's eras in the window: one computation (with the page's node rows) per head for each page asked.
      const { rows, nodeRows } = await ctx.shared(`leaderboard:${JSON.stringify([w.eraFrom, w.eraTo, w.from, w.to, a.orderBy, a.filter ?? null, req.argsKey])}`, async () => {
        const rows = await keysetPage(ctx.db, spec, req)
        const loaded = await Promise.all(rows.map((r) => ctx.node.load(r.id)))
        return { rows, nodeRows: new Map(loaded.map((n, i) => [rows[i].id, n!])) }
      })
      const c = connection(rows, req, spec.keyOf, () => keysetCount(ctx.db, spec))
      const nodes = await Promise.all(c.nodes.map((r) => ctx.performance.node(w, nodeRows.get(r.id)!)))
      return { ...c, nodes, edges: c.edges.map((e, i) => ({ cursor: e.cursor, node: nodes[i] })) }
    },
    async networkPerformance(_: unknown, a: { window?: WindowArgs }, ctx: ApiContext) {
      const w = await ctx.performance.window(a.window)
      return { w }
    },
  },
  NodePerformance: {
    node: (p: NodePerformance) => p.row,
    window: (p: NodePerformance) => windowOut(p.window),
    slaCompliance: (p: NodePerformance) => compliance(count(p.agg, 'metEras'), count(p.agg, 'quorumEras')),
    erasWithQuorum: (p: NodePerformance) => count(p.agg, 'quorumEras'),
    erasMet: (p: NodePerformance) => count(p.agg, 'metEras'),
    erasWithoutQuorum: (p: NodePerformance) => count(p.agg, 'noQuorumEras'),
    averageUptimeBps: (p: NodePerformance) => p.agg?.avgUptimeBps ?? null,
    latencyP50Ms: (p: NodePerformance) => p.agg?.latencyP50 ?? null,
    latencyP95Ms: (p: NodePerformance) => p.agg?.latencyP95 ?? null,
    challengePassRate: (p: NodePerformance) => p.agg?.avgChallengePassRate ?? null,
    failedEras: (p: NodePerformance) => ({ uptime: count(p.agg, 'failedUptime'), latency: count(p.agg, 'failedLatency'), challenges: count(p.agg, 'failedChallenges') }),
    violations: (p: NodePerformance) => ({ uptime: p.extras.violationsUptime, latency: p.extras.violationsLatency, challenges: p.extras.violationsChallenges }),
    slashed: (p: NodePerformance) => p.extras.slashed,
    collateral: (p: NodePerformance) => p.row.collateral,
    delegatedStake: (p: NodePerformance) => p.row.delegatedStake,
    delegatorCount: (p: NodePerformance) => p.extras.delegators,
    totalCapacity: (p: NodePerformance) => p.row.totalCapacity,
    bookedCapacity: (p: NodePerformance) => p.booked,
    utilisation: (p: NodePerformance) => utilisation(p.booked, p.row.totalCapacity),
    revenue: (p: NodePerformance) => p.extras.revenue,
    async series(p: NodePerformance, a: { interval: string }, ctx: ApiContext) {
      const b = bucketOf(a.interval)
      const rows = await ctx.shared(`series:${p.row.id}:${p.window.eraFrom}:${p.window.eraTo}:${b}`, () => eraSeries(ctx.db, p.row.id, p.window, b))
      return points(rows, p.window, b, ctx.preset.eraOrigin)
    },
  },
  NetworkPerformance: {
    window: (n: { w: ResolvedWindow }) => windowOut(n.w),
    async nodesByStatus(_: unknown, __: unknown, ctx: ApiContext) {
      return group(await ctx.performance.nodeCounts(), (r) => ['', 'REGISTERED', 'VALIDATED', 'REJECTED', 'REMOVED'][r.status] ?? String(r.status))
    },
    async nodesByRegion(_: unknown, __: unknown, ctx: ApiContext) {
      return group(await ctx.performance.nodeCounts(), (r) => r.region)
    },
    async nodesByClass(_: unknown, __: unknown, ctx: ApiContext) {
      return group(await ctx.performance.nodeCounts(), (r) => r.hwClass)
    },
    totalCapacity: async (n: { w: ResolvedWindow }, _: unknown, ctx: ApiContext) => (await ctx.performance.totals(n.w)).totalCapacity,
    bookedCapacity: async (n: { w: ResolvedWindow }, _: unknown, ctx: ApiContext) => (await ctx.performance.totals(n.w)).bookedCapacity,
    utilisation: async (n: { w: ResolvedWindow }, _: unknown, ctx: ApiContext) => {
      const t = await ctx.performance.totals(n.w)
      return utilisation(t.bookedCapacity, t.totalCapacity)
    },
    slaCompliance: async (n: { w: ResolvedWindow }, _: unknown, ctx: ApiContext) => {
      const t = await ctx.performance.totals(n.w)
      return compliance(t.metEras, t.quorumEras)
    },
    delegatedStake: async (n: { w: ResolvedWindow }, _: unknown, ctx: ApiContext) => (await ctx.performance.totals(n.w)).delegated,
    slashed: async (n: { w: ResolvedWindow }, _: unknown, ctx: ApiContext) => (await ctx.performance.totals(n.w)).slashed,
    revenue: async (n: { w: ResolvedWindow }, _: unknown, ctx: ApiContext) => (await ctx.performance.totals(n.w)).revenue,
    async series(n: { w: ResolvedWindow }, a: { interval: string }, ctx: ApiContext) {
      const b = bucketOf(a.interval)
      return points(await eraSeries(ctx.db, null, n.w, b), n.w, b, ctx.preset.eraOrigin)
    },
  },
  Node: {
    performance: async (row: NodeRow, a: { window?: WindowArgs }, ctx: ApiContext) => ctx.performance.node(await ctx.performance.window(a.window), row),
  },
  HyperNode: {
    async deviation(h: HyperNodeRow, a: { window?: WindowArgs }, ctx: ApiContext) {
      const w = await ctx.performance.window(a.window)
      const d = (await ctx.performance.deviations(w)).get(h.id)
      const sla = ctx.preset.sla
      return {
        window: windowOut(w),
        erasCompared: d?.erasCompared ?? 0,
        uptimeBps: d?.uptimeBps ?? null,
        latencyMs: d?.latencyMs ?? null,
        challengePassRate: d?.challengePassRate ?? null,
        suspect: !!d && (d.uptimeBps > sla.suspectUptimeDeviationBps || d.latencyMs > sla.suspectLatencyDeviationMs),
      }
    },
  },
}

function group<R extends { n: number }>(rows: R[], key: (r: R) => string) {
  const m = new Map<string, number>()
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + r.n)
  return [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, count]) => ({ key: k, count }))
}
