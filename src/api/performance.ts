/**
 * Node performance for delegators, hardware providers and the network:
 * per-node figures over a window of eras, a leaderboard, network totals,
 * and HyperNode deviation from consensus; all from the node-era rollups.
 */
import DataLoader from 'dataloader'
import { compliance, EraWindow, eraStart, resolveWindow, WindowError } from '../domain/performance'
import type { ApiContext } from './context'
import { badInput } from './errors'
import { connection, PageArgs, pageRequest } from './pagination'
import { parseBlock, parseUintId } from './resolvers'
import { bookedCapacityByNodes } from './sql/entities'
import { keysetCount, keysetPage } from './sql/list'
import type { HyperNodeRow, NodeRow } from './sql/lists'
import { deviations, EraAggregate, eraAggregates, EraPoint, eraSeries, LeaderboardOrder, leaderboardList, networkTotals, nodeCounts, NodeExtras, nodeExtras } from './sql/performance'

export interface WindowArgs {
  eraFrom?: number | null
  eraTo?: number | null
  from?: Date | null
  to?: Date | null
  lastEras?: number | null
  lastDays?: number | null
}

export interface ResolvedWindow extends EraWindow {
  /** Head block time (unix seconds) the window was resolved against. */
  headTime: number
}

/** Per-request performance state: windows resolved once, per-node figures batched per window. */
export class PerformanceService {
  private head?: Promise<number>
  private readonly loaders = new Map<string, DataLoader<string, NodePerformance>>()
  private readonly deviationsByWindow = new Map<string, ReturnType<typeof deviations>>()
  private readonly totalsByWindow = new Map<string, ReturnType<typeof networkTotals>>()
  private counts?: ReturnType<typeof nodeCounts>

  constructor(private readonly ctx: ApiContext) {}

  private headTime(): Promise<number> {
    return (this.head ??= this.ctx.supply.head().then((h) => (h ? Math.floor(h.timestamp.getTime() / 1000) : this.ctx.preset.eraOrigin)))
  }

  async window(args: WindowArgs | null | undefined): Promise<ResolvedWindow> {
    const headTime = await this.headTime()
    const sec = (d: Date | null | undefined) => (d == null ? undefined : Math.floor(d.getTime() / 1000))
    try {
      const w = resolveWindow(
        {
          eraFrom: parseBlock('window.eraFrom', args?.eraFrom),
          eraTo: parseBlock('window.eraTo', args?.eraTo),
          from: sec(args?.from),
          to: sec(args?.to),
          lastEras: args?.lastEras ?? undefined,
          lastDays: args?.lastDays ?? undefined,
        },
        headTime,
        this.ctx.preset.eraOrigin,
      )
      return { ...w, headTime }
    } catch (e) {
      if (e instanceof WindowError) throw badInput(e.argument, e.message)
      throw e
    }
  }

  node(w: ResolvedWindow, row: NodeRow): Promise<NodePerformance> {
    const key = `${w.eraFrom}:${w.eraTo}`
    let l = this.loaders.get(key)
    if (!l) {
      l = new DataLoader<string, NodePerformance>((ids) =>
        // The same nodes over the same window (a leaderboard page, a node's page) at the same head: computed once.
        this.ctx.shared(`performance:${key}:${ids.join(',')}`, async () => {
          const [agg, extras, booked] = await Promise.all([eraAggregates(this.ctx.db, ids, w), nodeExtras(this.ctx.db, ids, w), bookedCapacityByNodes(this.ctx.db, ids)])
          return ids.map((id) => ({ window: w, agg: agg.get(id), extras: extras.get(id)!, booked: booked.get(id) ?? '0', nodeId: id }) as NodePerformance)
        }),
      )
      this.loaders.set(key, l)
    }
    return l.load(row.id).then((p) => ({ ...p, row }))
  }

  /** Node counts by status, region and class: one statement however many groupings are asked. */
  nodeCounts() {
    return (this.counts ??= nodeCounts(this.ctx.db))
  }

  totals(w: ResolvedWindow) {
    const key = `${w.eraFrom}:${w.eraTo}`
    let t = this.totalsByWindow.get(key)
    if (!t) this.totalsByWindow.set(key, (t = networkTotals(this.ctx.db, w, w.headTime)))
    return t
  }

  deviations(w: ResolvedWindow) {
    const key = `${w.eraFrom}:${w.eraTo}`
    let d = this.deviationsByWindow.get(key)
    if (!d) this.deviationsByWindow.set(key, (d = deviations(this.ctx.db, w, 3)))
    return d
  }
}

interface NodePerformance {
  nodeId: string
  row: NodeRow
  window: ResolvedWindow
  agg?: EraAggregate
  extras: NodeExtras
  booked: string
}

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

export const performanceTypeDefs = /* GraphQL */ `
  """
  A window of eras: one of eraFrom/eraTo, from/to (times), lastEras or
  lastDays. Relative windows end with the era of the indexed head's block
  time, never the wall clock. Default: the last 30 days (720 eras).
  """
  input PerformanceWindow {
    eraFrom: Int
    eraTo: Int
    from: DateTime
    to: DateTime
    lastEras: Int
    lastDays: Int
  }

  type ResolvedWindow {
    eraFrom: Int!
    eraTo: Int!
    from: DateTime!
    "Exclusive."
    to: DateTime!
  }

  enum SeriesInterval {
    ERA
    "24 eras from the window's first era."
    DAY
  }

  type MetricCounts {
    uptime: Int!
    latency: Int!
    challenges: Int!
  }

  type PerformancePoint {
    start: DateTime!
    eraFrom: Int!
    eraTo: Int!
    erasWithQuorum: Int!
    erasMet: Int!
    slaCompliance: Float
    averageUptimeBps: Float
    latencyP50Ms: Float
    challengePassRate: Float
  }

  "A node's performance over a window, from its per-era SLA consensus."
  type NodePerformance {
    node: Node!
    window: ResolvedWindow!
    "Eras met ÷ eras with quorum (null when no era had a quorum)."
    slaCompliance: Float
    erasWithQuorum: Int!
    erasMet: Int!
    "Eras with reports on the node but fewer than the quorum."
    erasWithoutQuorum: Int!
    "Mean of the eras' consensus uptime (eras with quorum)."
    averageUptimeBps: Float
    "Percentiles (linear interpolation) of the eras' consensus latency."
    latencyP50Ms: Float
    latencyP95Ms: Float
    "Mean of the eras' median challenge pass rate, 0..1."
    challengePassRate: Float
    "Eras (with quorum) that failed each metric."
    failedEras: MetricCounts!
    "SlaViolation events raised on chain for eras in the window, by metric."
    violations: MetricCounts!
    "ICNT slashed (provider and delegators) for eras in the window."
    slashed: BigInt!
    collateral: BigInt!
    delegatedStake: BigInt!
    "Distinct delegators with a position on the node now."
    delegatorCount: Int!
    totalCapacity: BigInt!
    bookedCapacity: BigInt!
    "bookedCapacity ÷ totalCapacity."
    utilisation: Float
    "Booking revenue (prices and extensions) paid within the window's time."
    revenue: BigInt!
    series(interval: SeriesInterval = ERA): [PerformancePoint!]!
  }

  enum LeaderboardOrder {
    COMPLIANCE_DESC
    UPTIME_DESC
    LATENCY_ASC
    DELEGATED_STAKE_DESC
    UTILISATION_DESC
    REVENUE_DESC
  }

  input LeaderboardFilter {
    status: NodeStatus
    region: String
    hwClass: String
  }

  type NodePerformanceEdge {
    cursor: String!
    node: NodePerformance!
  }

  type NodePerformanceConnection {
    edges: [NodePerformanceEdge!]!
    nodes: [NodePerformance!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type CountBy {
    key: String!
    count: Int!
  }

  type NetworkPerformance {
    window: ResolvedWindow!
    nodesByStatus: [CountBy!]!
    nodesByRegion: [CountBy!]!
    nodesByClass: [CountBy!]!
    "Capacity of registered and validated nodes."
    totalCapacity: BigInt!
    bookedCapacity: BigInt!
    utilisation: Float
    "All nodes' eras met ÷ eras with quorum."
    slaCompliance: Float
    delegatedStake: BigInt!
    slashed: BigInt!
    revenue: BigInt!
    series(interval: SeriesInterval = DAY): [PerformancePoint!]!
  }

  "How far a HyperNode's reports sit from the consensus: mean absolute difference over eras with at least 3 reports."
  type HyperNodeDeviation {
    window: ResolvedWindow!
    erasCompared: Int!
    uptimeBps: Float
    latencyMs: Float
    challengePassRate: Float
    "Uptime or latency deviation above the preset's thresholds."
    suspect: Boolean!
  }

  extend type Query {
    nodePerformance(nodeId: ID!, window: PerformanceWindow): NodePerformance
    "Nodes ranked over a window; nodes without the figure rank last."
    nodeLeaderboard(window: PerformanceWindow, orderBy: LeaderboardOrder = COMPLIANCE_DESC, filter: LeaderboardFilter, first: Int, after: String, last: Int, before: String): NodePerformanceConnection!
    networkPerformance(window: PerformanceWindow): NetworkPerformance!
  }

  extend type Node {
    performance(window: PerformanceWindow): NodePerformance!
  }

  extend type HyperNode {
    deviation(window: PerformanceWindow): HyperNodeDeviation!
  }
`

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
      const req = pageRequest(a, 2)
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

