/**
 * Node performance from the rollups, never the raw reports: per node per era
 * consensus rows (node_era) and their sums per node and day of eras
 * (node_era_day, kept by triggers on node_era: db/migrations/*-NodeEraDay.js).
 * A window reads the day rows of its whole days and the era rows of the eras
 * at either end. Every statement takes many nodes at once so a page of nodes
 * costs what one node does.
 */
import type { EraWindow } from '../../domain/performance'
import type { Db } from './db'
import { type ListSpec, Params } from './list'

/** Eras per row of node_era_day. */
export const ERAS_PER_DAY = 24

/** A window as the whole days (node_era_day) and the eras before and after them (node_era); an empty range is [1, 0]. */
export interface WindowParts {
  days: [number, number]
  head: [number, number]
  tail: [number, number]
}

export function windowParts(w: Pick<EraWindow, 'eraFrom' | 'eraTo'>): WindowParts {
  const none: [number, number] = [1, 0]
  const dayFrom = Math.ceil(w.eraFrom / ERAS_PER_DAY)
  const dayTo = Math.floor((w.eraTo + 1) / ERAS_PER_DAY) - 1
  if (dayFrom > dayTo) return { days: none, head: [w.eraFrom, w.eraTo], tail: none }
  const first = dayFrom * ERAS_PER_DAY
  const after = (dayTo + 1) * ERAS_PER_DAY
  return { days: [dayFrom, dayTo], head: w.eraFrom < first ? [w.eraFrom, first - 1] : none, tail: after <= w.eraTo ? [after, w.eraTo] : none }
}

/**
 * The window's summable rows, one shape from both tables: node_id, eras,
 * quorum_eras, met_eras, uptime_sum, challenge_sum (over the quorum eras),
 * failed_uptime, failed_latency, failed_challenges and latencies (the quorum
 * eras' consensus latencies). `nodes`, when given, is the SQL of a text[] of node ids.
 */
export function windowRows(p: Params, w: Pick<EraWindow, 'eraFrom' | 'eraTo'>, nodes?: string): string {
  const parts = windowParts(w)
  const only = nodes ? ` AND node_id = ANY(${nodes})` : ''
  return `SELECT node_id, eras, quorum_eras, met_eras, uptime_sum, challenge_sum, failed_uptime, failed_latency, failed_challenges, latencies
      FROM node_era_day WHERE day BETWEEN ${p.add(parts.days[0], 'int')} AND ${p.add(parts.days[1], 'int')}${only}
    UNION ALL
    SELECT node_id, 1, quorum::int, meets_sla::int, CASE WHEN quorum THEN uptime_bps ELSE 0 END, CASE WHEN quorum THEN challenge_pass_rate ELSE 0 END,
        ('UPTIME' = ANY(failed_metrics))::int, ('LATENCY' = ANY(failed_metrics))::int, ('CHALLENGES' = ANY(failed_metrics))::int,
        CASE WHEN quorum THEN ARRAY[latency_ms] ELSE '{}'::numeric[] END
      FROM node_era WHERE (era BETWEEN ${p.add(parts.head[0], 'int')} AND ${p.add(parts.head[1], 'int')} OR era BETWEEN ${p.add(parts.tail[0], 'int')} AND ${p.add(parts.tail[1], 'int')})${only}`
}

export interface EraAggregate {
  nodeId: string
  eras: number
  quorumEras: number
  metEras: number
  noQuorumEras: number
  avgUptimeBps: number | null
  latencyP50: number | null
  latencyP95: number | null
  avgChallengePassRate: number | null
  failedUptime: number
  failedLatency: number
  failedChallenges: number
}

export async function eraAggregates(db: Db, nodeIds: readonly string[], w: EraWindow): Promise<Map<string, EraAggregate>> {
  const p = new Params()
  const ids = p.add(nodeIds, 'text[]')
  const rows = await db.query<EraAggregate>(
    `WITH r AS (${windowRows(p, w, ids)}),
     s AS (SELECT node_id, sum(eras)::int AS eras, sum(quorum_eras)::int AS quorum_eras, sum(met_eras)::int AS met_eras,
             sum(uptime_sum) AS uptime_sum, sum(challenge_sum) AS challenge_sum,
             sum(failed_uptime)::int AS failed_uptime, sum(failed_latency)::int AS failed_latency, sum(failed_challenges)::int AS failed_challenges
             FROM r GROUP BY node_id),
     l AS (SELECT node_id, percentile_disc(0.5) WITHIN GROUP (ORDER BY x)::float8 AS p50, percentile_disc(0.95) WITHIN GROUP (ORDER BY x)::float8 AS p95
             FROM r, unnest(r.latencies) AS x GROUP BY node_id)
     SELECT s.node_id AS "nodeId", eras, quorum_eras AS "quorumEras", met_eras AS "metEras", eras - quorum_eras AS "noQuorumEras",
        (uptime_sum / nullif(quorum_eras, 0))::float8 AS "avgUptimeBps", l.p50 AS "latencyP50", l.p95 AS "latencyP95",
        (challenge_sum / nullif(quorum_eras, 0))::float8 AS "avgChallengePassRate",
        failed_uptime AS "failedUptime", failed_latency AS "failedLatency", failed_challenges AS "failedChallenges"
       FROM s LEFT JOIN l ON l.node_id = s.node_id`,
    p.values,
  )
  return new Map(rows.map((r) => [r.nodeId, r]))
}

export interface NodeExtras {
  nodeId: string
  violationsUptime: number
  violationsLatency: number
  violationsChallenges: number
  slashed: string
  revenue: string
  delegators: number
}

/** Violations, slashes and booking revenue in the window, and current delegators, per node. */
export async function nodeExtras(db: Db, nodeIds: readonly string[], w: EraWindow): Promise<Map<string, NodeExtras>> {
  const rows = await db.query<NodeExtras>(
    `SELECT k.id AS "nodeId",
        coalesce(v.u, 0)::int AS "violationsUptime", coalesce(v.l, 0)::int AS "violationsLatency", coalesce(v.c, 0)::int AS "violationsChallenges",
        coalesce(s.slashed, 0)::text AS slashed, coalesce(r.revenue, 0)::text AS revenue, coalesce(d.n, 0)::int AS delegators
       FROM unnest($1::text[]) AS k(id)
       LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE metric = 0) AS u, count(*) FILTER (WHERE metric = 1) AS l, count(*) FILTER (WHERE metric = 2) AS c
                            FROM sla_violation WHERE node_id = k.id AND era BETWEEN $2 AND $3) v ON true
       LEFT JOIN LATERAL (SELECT sum(provider_amount + delegator_amount) AS slashed FROM slash WHERE node_id = k.id AND era BETWEEN $2 AND $3) s ON true
       LEFT JOIN LATERAL (SELECT sum(amount) AS revenue FROM booking_event
                            WHERE node_id = k.id AND kind IN ('BOOKED', 'EXTENDED') AND timestamp >= to_timestamp($4) AND timestamp < to_timestamp($5)) r ON true
       LEFT JOIN LATERAL (SELECT count(DISTINCT delegator) AS n FROM delegation WHERE node_id = k.id AND status IN ('ACTIVE', 'UNDELEGATED')) d ON true`,
    [nodeIds, w.eraFrom, w.eraTo, w.from, w.to],
  )
  return new Map(rows.map((r) => [r.nodeId, r]))
}

export interface EraPoint {
  nodeId: string
  bucket: number
  eras: number
  quorumEras: number
  metEras: number
  avgUptimeBps: number | null
  latencyP50: number | null
  avgChallengePassRate: number | null
}

/** A node's (or, with no node, the network's) series: one point per era, or per `bucketEras` eras. */
export async function eraSeries(db: Db, nodeId: string | null, w: EraWindow, bucketEras: number): Promise<EraPoint[]> {
  return db.query<EraPoint>(
    `SELECT coalesce($1, 'network') AS "nodeId", (era - $2) / $4 AS bucket, count(*)::int AS eras,
        count(*) FILTER (WHERE quorum)::int AS "quorumEras", count(*) FILTER (WHERE meets_sla)::int AS "metEras",
        avg(uptime_bps) FILTER (WHERE quorum)::float8 AS "avgUptimeBps",
        percentile_disc(0.5) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE quorum)::float8 AS "latencyP50",
        avg(challenge_pass_rate) FILTER (WHERE quorum)::float8 AS "avgChallengePassRate"
       FROM node_era WHERE ($1::text IS NULL OR node_id = $1) AND era BETWEEN $2 AND $3
       GROUP BY 2 ORDER BY 2`,
    [nodeId, w.eraFrom, w.eraTo, bucketEras],
  )
}

// ------------------------------------------------------------------ leaderboard

export type LeaderboardOrder = 'COMPLIANCE_DESC' | 'UPTIME_DESC' | 'LATENCY_ASC' | 'DELEGATED_STAKE_DESC' | 'UTILISATION_DESC' | 'REVENUE_DESC'

export interface LeaderboardRow {
  id: string
  rankKey: string
}

export interface LeaderboardFilter {
  status?: number
  region?: string
  hwClass?: string
}

/**
 * Nodes ranked over a window by one figure. The key of a node without the
 * figure (no era with a quorum) sorts last; ties break on the node id.
 */
export function leaderboardList(w: EraWindow, order: LeaderboardOrder, f: LeaderboardFilter, headTime: number): ListSpec<LeaderboardRow> {
  const desc = order !== 'LATENCY_ASC'
  const KEYS: Record<LeaderboardOrder, string> = {
    // Exact (numeric) keys: wei amounts past 2^53 would tie as float8, and rank by node id instead.
    COMPLIANCE_DESC: `coalesce(e.met::numeric / nullif(e.quorum, 0), -1)`,
    UPTIME_DESC: `coalesce(e.uptime, -1)`,
    LATENCY_ASC: `coalesce(lat.p50, 1e12)`,
    DELEGATED_STAKE_DESC: `n.delegated_stake`,
    UTILISATION_DESC: `coalesce(b.booked, 0)::numeric / nullif(n.total_capacity, 0)`,
    REVENUE_DESC: `coalesce(r.revenue, 0)`,
  }
  return {
    name: `leaderboard:${order}`,
    select: `lb.id, lb.rank_key::text AS "rankKey"`,
    from: (p: Params) => {
      const where: string[] = []
      if (f.status !== undefined) where.push(`n.status = ${p.add(f.status, 'int')}`)
      if (f.region !== undefined) where.push(`n.region = ${p.add(f.region, 'text')}`)
      if (f.hwClass !== undefined) where.push(`n.hw_class = ${p.add(f.hwClass, 'text')}`)
      // Only what the ranked figure needs: the day sums for compliance and uptime, the latencies (unnested) for latency.
      const eras =
        order === 'COMPLIANCE_DESC' || order === 'UPTIME_DESC'
          ? `LEFT JOIN (SELECT node_id, sum(quorum_eras) AS quorum, sum(met_eras) AS met, sum(uptime_sum) / nullif(sum(quorum_eras), 0) AS uptime
                     FROM (${windowRows(p, w)}) r GROUP BY node_id) e ON e.node_id = n.id`
          : order === 'LATENCY_ASC'
            ? `LEFT JOIN (SELECT node_id, percentile_disc(0.5) WITHIN GROUP (ORDER BY x)::float8 AS p50
                     FROM (${windowRows(p, w)}) r, unnest(r.latencies) AS x GROUP BY node_id) lat ON lat.node_id = n.id`
            : ''
      return `(SELECT n.id, coalesce(${KEYS[order]}, -1)::numeric AS rank_key FROM node n
        ${eras}
        ${
          order === 'UTILISATION_DESC'
            ? `LEFT JOIN (SELECT node_id, sum(capacity) AS booked FROM booking WHERE NOT ended AND end_time > ${p.add(headTime, 'numeric')} GROUP BY node_id) b ON b.node_id = n.id`
            : ''
        }
        ${
          order === 'REVENUE_DESC'
            ? `LEFT JOIN (SELECT node_id, sum(amount) AS revenue FROM booking_event WHERE kind IN ('BOOKED', 'EXTENDED')
                     AND timestamp >= to_timestamp(${p.add(w.from, 'float8')}) AND timestamp < to_timestamp(${p.add(w.to, 'float8')}) GROUP BY node_id) r ON r.node_id = n.id`
            : ''
        }
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}) lb`
    },
    where: () => [],
    order: { cols: ['lb.rank_key', 'lb.id'], casts: ['numeric', 'text'], desc },
    keyOf: (r) => [r.rankKey, r.id],
  }
}

// ------------------------------------------------------------------ network

export interface NetworkTotals {
  totalCapacity: string
  bookedCapacity: string
  delegated: string
  slashed: string
  revenue: string
  quorumEras: number
  metEras: number
}

export async function networkTotals(db: Db, w: EraWindow, headTime: number): Promise<NetworkTotals> {
  const p = new Params()
  const [from, to, head, t0, t1] = [p.add(w.eraFrom, 'int'), p.add(w.eraTo, 'int'), p.add(headTime, 'numeric'), p.add(w.from, 'float8'), p.add(w.to, 'float8')]
  const [r] = await db.query<NetworkTotals>(
    `SELECT (SELECT coalesce(sum(total_capacity), 0) FROM node WHERE status IN (1, 2))::text AS "totalCapacity",
        (SELECT coalesce(sum(capacity), 0) FROM booking WHERE NOT ended AND end_time > ${head})::text AS "bookedCapacity",
        (SELECT coalesce(sum(delegated_stake), 0) FROM node)::text AS delegated,
        (SELECT coalesce(sum(provider_amount + delegator_amount), 0) FROM slash WHERE era BETWEEN ${from} AND ${to})::text AS slashed,
        (SELECT coalesce(sum(amount), 0) FROM booking_event WHERE kind IN ('BOOKED', 'EXTENDED') AND timestamp >= to_timestamp(${t0}) AND timestamp < to_timestamp(${t1}))::text AS revenue,
        e."quorumEras", e."metEras"
       FROM (SELECT coalesce(sum(quorum_eras), 0)::int AS "quorumEras", coalesce(sum(met_eras), 0)::int AS "metEras" FROM (${windowRows(p, w)}) r) e`,
    p.values,
  )
  return r
}

export async function nodeCounts(db: Db): Promise<{ status: number; region: string; hwClass: string; n: number }[]> {
  return db.query(`SELECT status, region, hw_class AS "hwClass", count(*)::int AS n FROM node GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`)
}

// ------------------------------------------------------------------ HyperNodes

export interface DeviationRow {
  hyperNodeId: string
  erasCompared: number
  uptimeBps: number
  latencyMs: number
  challengePassRate: number
}

/** Mean absolute difference of each HyperNode's reports from the consensus, over eras with at least `minReports` reports. */
export async function deviations(db: Db, w: EraWindow, minReports: number): Promise<Map<string, DeviationRow>> {
  const rows = await db.query<DeviationRow>(
    `SELECT h.id AS "hyperNodeId", count(*)::int AS "erasCompared",
        avg(abs(e.report_values[5 * h.i - 4]::float8 - e.uptime_bps::float8)) AS "uptimeBps",
        avg(abs(e.report_values[5 * h.i - 3]::float8 - e.latency_ms::float8)) AS "latencyMs",
        avg(abs(CASE WHEN e.report_values[5 * h.i - 2] + e.report_values[5 * h.i - 1] = 0 THEN 1
                     ELSE e.report_values[5 * h.i - 2]::float8 / (e.report_values[5 * h.i - 2] + e.report_values[5 * h.i - 1]) END
                - e.challenge_pass_rate::float8)) AS "challengePassRate"
       FROM node_era e CROSS JOIN LATERAL unnest(e.report_hyper_nodes) WITH ORDINALITY AS h(id, i)
      WHERE e.era BETWEEN $1 AND $2 AND e.report_count >= $3
      GROUP BY 1`,
    [w.eraFrom, w.eraTo, minReports],
  )
  return new Map(rows.map((r) => [r.hyperNodeId, r]))
}
