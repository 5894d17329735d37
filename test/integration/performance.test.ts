/**
 * Node performance on a simulated history with known degrading nodes and a
 * known dishonest HyperNode: the API finds exactly those, with the
 * compliance the simulator put in.
 */
import { ApiServer } from '../../src/api/server'
import type { Devnet } from '../../src/devnet'
import type { SimulatorTruth } from '../../src/devnet/simulator'
import * as staking from '../../src/abi/ICNStaking'
import { actor } from '../../src/devnet/actors'
import { encodeAttest } from '../../src/devnet/simulator'
import { blockNumber, IndexerProcess, rollupDrift, sql, waitForHeight } from '../helpers'
import { IndexedApi, indexedApi } from '../helpers/api'

let t: IndexedApi
let devnet: Devnet
let dbUrl: string
let indexer: IndexerProcess
let api: ApiServer
let truth: SimulatorTruth

beforeAll(async () => {
  t = await indexedApi({ eras: 220, seed: 11 })
  ;({ devnet, dbUrl, indexer, api } = t)
  truth = devnet.simulator.truth()
})

afterAll(async () => {
  await t?.stop()
})

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })
  const body = (await res.json()) as { data?: T; errors?: unknown[] }
  if (body.errors) throw new Error(JSON.stringify(body.errors))
  return body.data!
}

interface Perf {
  node: { id: string }
  slaCompliance: number | null
  erasWithQuorum: number
  erasMet: number
  violations: { uptime: number; latency: number; challenges: number }
  slashed: string
}

const ALL = { eraFrom: 0 }

describe('node performance', () => {
  test('the leaderboard ranks the degrading nodes at the bottom, with the compliance the simulator put in', async () => {
    const { nodeLeaderboard: lb } = await gql<{ nodeLeaderboard: { nodes: Perf[] } }>(
      `query($w: PerformanceWindow) { nodeLeaderboard(window: $w, first: 1000) { nodes { node { id } slaCompliance erasWithQuorum erasMet } } }`,
      { w: ALL },
    )
    const ranked = lb.nodes.filter((n) => n.erasWithQuorum > 0)
    const outcomes = truth.eraOutcomes.filter((o) => o.quorumEras > 0)
    expect(ranked.length).toBe(outcomes.length)
    for (const o of outcomes) {
      const p = ranked.find((n) => n.node.id === String(o.nodeId))!
      expect({ node: o.nodeId, quorum: p.erasWithQuorum, met: p.erasMet, compliance: p.slaCompliance }).toEqual({ node: o.nodeId, quorum: o.quorumEras, met: o.metEras, compliance: o.metEras / o.quorumEras })
    }
    const degraded = outcomes.filter((o) => truth.degradingNodes.includes(o.nodeId) && o.metEras < o.quorumEras).map((o) => String(o.nodeId))
    expect(degraded.length).toBeGreaterThan(0)
    expect(ranked.slice(ranked.length - degraded.length).map((n) => n.node.id).sort()).toEqual(degraded.sort())
    const compliances = ranked.map((n) => n.slaCompliance!)
    expect([...compliances].sort((a, b) => b - a)).toEqual(compliances)
    // Every healthy node met the SLA in every era with a quorum.
    expect(ranked.slice(0, ranked.length - degraded.length).every((n) => n.slaCompliance === 1)).toBe(true)
  })

  test('the dishonest HyperNode is flagged and the honest ones are not', async () => {
    const { hyperNodes } = await gql<{ hyperNodes: { nodes: { id: string; deviation: { suspect: boolean; erasCompared: number; uptimeBps: number; latencyMs: number } }[] } }>(
      `query($w: PerformanceWindow) { hyperNodes { nodes { id deviation(window: $w) { suspect erasCompared uptimeBps latencyMs } } } }`,
      { w: ALL },
    )
    expect(hyperNodes.nodes.length).toBeGreaterThan(2)
    const flagged = hyperNodes.nodes.filter((h) => h.deviation.suspect).map((h) => Number(h.id))
    expect(flagged).toEqual(truth.dishonestHyperNodes)
    for (const h of hyperNodes.nodes) expect(h.deviation.erasCompared).toBeGreaterThan(0)
  })

  test("a degrading node's figures: violations and slashes as on chain, a per-era and per-day series", async () => {
    const id = String(truth.degradingNodes.find((n) => truth.eraOutcomes.find((o) => o.nodeId === n && o.metEras < o.quorumEras))!)
    const { nodePerformance: p } = await gql<{ nodePerformance: Perf & { latencyP50Ms: number; latencyP95Ms: number; averageUptimeBps: number; failedEras: { uptime: number }; series: { eraFrom: number; erasWithQuorum: number }[]; days: { eraFrom: number }[] } }>(
      `query($id: ID!, $w: PerformanceWindow) { nodePerformance(nodeId: $id, window: $w) {
        node { id } slaCompliance erasWithQuorum erasMet latencyP50Ms latencyP95Ms averageUptimeBps failedEras { uptime }
        violations { uptime latency challenges } slashed series { eraFrom erasWithQuorum } days: series(interval: DAY) { eraFrom } } }`,
      { id, w: ALL },
    )
    const pad = id.padStart(12, '0')
    const v = await sql<{ metric: number; n: string }>(dbUrl, `SELECT metric, count(*)::text AS n FROM sla_violation WHERE node_id = $1 GROUP BY 1`, [pad])
    const byMetric = (m: number) => Number(v.find((x) => x.metric === m)?.n ?? 0)
    expect(p.violations).toEqual({ uptime: byMetric(0), latency: byMetric(1), challenges: byMetric(2) })
    const [s] = await sql<{ slashed: string }>(dbUrl, `SELECT coalesce(sum(provider_amount + delegator_amount), 0)::text AS slashed FROM slash WHERE node_id = $1`, [pad])
    expect(p.slashed).toBe(s.slashed)
    // p50 and p95 by nearest rank over the eras with a quorum: the value at 1-based rank ceil(p·n/100).
    const lat = (await sql<{ l: string }>(dbUrl, `SELECT latency_ms::text AS l FROM node_era WHERE node_id = $1 AND quorum`, [pad])).map((r) => Number(r.l)).sort((a, b) => a - b)
    expect({ p50: p.latencyP50Ms, p95: p.latencyP95Ms }).toEqual({ p50: lat[Math.ceil((50 * lat.length) / 100) - 1], p95: lat[Math.ceil((95 * lat.length) / 100) - 1] })
    expect(p.failedEras.uptime).toBeGreaterThan(0)
    const [e] = await sql<{ n: string }>(dbUrl, `SELECT count(*)::text AS n FROM node_era WHERE node_id = $1`, [pad])
    expect(p.series.length).toBe(Number(e.n))
    expect(p.series.reduce((a, x) => a + x.erasWithQuorum, 0)).toBe(p.erasWithQuorum)
    expect(p.days.length).toBeLessThan(p.series.length)
  })

  test('network performance adds up over the nodes', async () => {
    const { networkPerformance: n } = await gql<{ networkPerformance: { slaCompliance: number; nodesByStatus: { key: string; count: number }[]; totalCapacity: string; bookedCapacity: string; utilisation: number; series: { erasWithQuorum: number }[] } }>(
      `query($w: PerformanceWindow) { networkPerformance(window: $w) { slaCompliance nodesByStatus { key count } totalCapacity bookedCapacity utilisation series { erasWithQuorum } } }`,
      { w: ALL },
    )
    const q = truth.eraOutcomes.reduce((a, o) => a + o.quorumEras, 0)
    const m = truth.eraOutcomes.reduce((a, o) => a + o.metEras, 0)
    expect(n.slaCompliance).toBeCloseTo(m / q, 12)
    const [c] = await sql<{ n: string }>(dbUrl, `SELECT count(*)::text AS n FROM node`)
    expect(n.nodesByStatus.reduce((a, x) => a + x.count, 0)).toBe(Number(c.n))
    expect(n.series.reduce((a, x) => a + x.erasWithQuorum, 0)).toBe(q)
    expect(BigInt(n.bookedCapacity)).toBeLessThanOrEqual(BigInt(n.totalCapacity))
  })

  test("a wallet's delegations show their nodes' performance, in a bounded number of statements", async () => {
    const [w] = await sql<{ delegator: string }>(dbUrl, `SELECT delegator FROM delegation GROUP BY 1 ORDER BY count(DISTINCT node_id) DESC LIMIT 1`)
    const before = api.db.statements
    const d = await gql<{ account: { delegations: { nodes: { node: { id: string; performance: { slaCompliance: number | null; window: { eraTo: number } } } }[] } } }>(
      `query($a: String!) { account(id: $a) { delegations(first: 100) { nodes { node { id performance(window: { lastDays: 7 }) { slaCompliance window { eraTo } } } } } } }`,
      { a: w.delegator },
    )
    const used = api.db.statements - before
    expect(d.account.delegations.nodes.length).toBeGreaterThan(1)
    expect(used).toBeLessThanOrEqual(8)
  })

  test('the leaderboard over all nodes answers in a fixed number of statements, filters and pages', async () => {
    const q = `query($w: PerformanceWindow, $f: Int) { nodeLeaderboard(window: $w, first: $f, orderBy: LATENCY_ASC, filter: { status: VALIDATED }) { nodes { node { id status } latencyP50Ms utilisation revenue delegatorCount } } }`
    const s0 = api.db.statements
    const all = await gql<{ nodeLeaderboard: { nodes: { node: { status: string }; latencyP50Ms: number | null }[] } }>(q, { w: { lastDays: 30 }, f: 1000 })
    const s1 = api.db.statements
    await gql(q, { w: { lastDays: 30 }, f: 2 })
    const s2 = api.db.statements
    expect(s1 - s0).toBe(s2 - s1)
    // pages: exactly `first` rows, and walking with cursors gives the full ranking once
    const q2 = `query($after: String) { nodeLeaderboard(window: { lastDays: 30 }, first: 2, after: $after, orderBy: LATENCY_ASC, filter: { status: VALIDATED }) { nodes { node { id } } pageInfo { hasNextPage endCursor } } }`
    const walked: string[] = []
    let after: string | null = null
    for (;;) {
      const page: { nodeLeaderboard: { nodes: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } = await gql(q2, { after })
      expect(page.nodeLeaderboard.nodes.length).toBeLessThanOrEqual(2)
      walked.push(...page.nodeLeaderboard.nodes.map((n) => n.node.id))
      if (!page.nodeLeaderboard.pageInfo.hasNextPage) break
      after = page.nodeLeaderboard.pageInfo.endCursor
    }
    expect(walked).toEqual((all.nodeLeaderboard.nodes as unknown as { node: { id: string } }[]).map((n) => n.node.id))
    expect(all.nodeLeaderboard.nodes.every((n) => n.node.status === 'VALIDATED')).toBe(true)
    const lat = all.nodeLeaderboard.nodes.filter((n) => n.latencyP50Ms !== null).map((n) => n.latencyP50Ms!)
    expect([...lat].sort((a, b) => a - b)).toEqual(lat)
    const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ nodeLeaderboard(window: { lastEras: 0 }) { nodes { slaCompliance } } }` }) })
    const body = (await res.json()) as { errors: { extensions: { code: string; argument: string } }[] }
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'window.lastEras' })
  })

  test('windows that cut days of eras give the figures of their eras exactly, ranked by them (node_era_day and node_era together)', async () => {
    const q = `query($w: PerformanceWindow, $o: LeaderboardOrder) { nodeLeaderboard(window: $w, orderBy: $o, first: 1000) { nodes {
      node { id } erasWithQuorum erasMet erasWithoutQuorum averageUptimeBps latencyP50Ms latencyP95Ms challengePassRate failedEras { uptime latency challenges } } } }`
    type Row = { node: { id: string }; erasWithQuorum: number; erasMet: number; erasWithoutQuorum: number; averageUptimeBps: number | null; latencyP50Ms: number | null; latencyP95Ms: number | null; challengePassRate: number | null; failedEras: { uptime: number; latency: number; challenges: number } }
    for (const [eraFrom, eraTo] of [[0, 219], [3, 50], [24, 71], [30, 40], [23, 24], [47, 168], [100, 219]]) {
      // The definition, straight from the era rows.
      const want = await sql<Row & { id: string }>(
        dbUrl,
        `SELECT node_id AS id, count(*) FILTER (WHERE quorum)::int AS "erasWithQuorum", count(*) FILTER (WHERE meets_sla)::int AS "erasMet",
            count(*) FILTER (WHERE NOT quorum)::int AS "erasWithoutQuorum", avg(uptime_bps) FILTER (WHERE quorum)::float8 AS "averageUptimeBps",
            percentile_disc(0.5) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE quorum)::float8 AS "latencyP50Ms",
            percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE quorum)::float8 AS "latencyP95Ms",
            avg(challenge_pass_rate) FILTER (WHERE quorum)::float8 AS "challengePassRate",
            json_build_object('uptime', count(*) FILTER (WHERE 'UPTIME' = ANY(failed_metrics)), 'latency', count(*) FILTER (WHERE 'LATENCY' = ANY(failed_metrics)),
              'challenges', count(*) FILTER (WHERE 'CHALLENGES' = ANY(failed_metrics))) AS "failedEras"
           FROM node_era WHERE era BETWEEN $1 AND $2 GROUP BY node_id ORDER BY node_id`,
        [eraFrom, eraTo],
      )
      expect(want.length).toBeGreaterThan(0)
      for (const o of ['COMPLIANCE_DESC', 'UPTIME_DESC', 'LATENCY_ASC']) {
        const { nodeLeaderboard } = await gql<{ nodeLeaderboard: { nodes: Row[] } }>(q, { w: { eraFrom, eraTo }, o })
        const got = new Map(nodeLeaderboard.nodes.map((n) => [n.node.id, n]))
        for (const w of want) {
          const { id, ...figures } = w
          const g = got.get(String(Number(id)))!
          expect({ eraFrom, eraTo, id, ...g, node: undefined }).toEqual({ eraFrom, eraTo, id, ...figures, node: undefined })
        }
        // Ranked by the figure: compliance and uptime descending, latency ascending, those without one last.
        const key = (n: Row) => (o === 'COMPLIANCE_DESC' ? (n.erasWithQuorum ? n.erasMet / n.erasWithQuorum : -1) : o === 'UPTIME_DESC' ? (n.averageUptimeBps ?? -1) : -(n.latencyP50Ms ?? 1e12))
        const keys = nodeLeaderboard.nodes.map(key)
        expect(keys).toEqual([...keys].sort((a, b) => b - a))
      }
    }
  })

  test("a late report updates its era's rollup, and a HyperNode's second report replaces its first", async () => {
    const [row] = await sql<{ node_id: string; era: number; reports: { hyperNodeId: string; uptimeBps: number }[]; report_count: number }>(
      dbUrl,
      `SELECT node_id, era, (SELECT jsonb_agg(jsonb_build_object('hyperNodeId', h, 'uptimeBps', report_values[5 * i - 4]) ORDER BY i) FROM unnest(report_hyper_nodes) WITH ORDINALITY AS x(h, i)) AS reports, report_count FROM node_era WHERE report_count = 3 AND meets_sla ORDER BY era LIMIT 1`,
    )
    expect(row).toBeDefined()
    const missing = [1, 2, 3, 4, 5, 6].map((i) => String(i).padStart(12, '0')).find((h) => !row.reports.some((r) => r.hyperNodeId === h) && !truth.dishonestHyperNodes.includes(Number(h)))
    // Three of the six HyperNodes reported this era, so at least one honest one did not.
    expect(missing).toBeDefined()
    const present = row.reports.find((r) => !truth.dishonestHyperNodes.includes(Number(r.hyperNodeId)))!
    const report = (hn: string, uptimeBps: number) => ({
      from: actor(`hypernode:${Number(hn)}`),
      to: devnet.deployment.slaOracle,
      data: encodeAttest(BigInt(hn), [{ nodeId: BigInt(row.node_id), era: BigInt(row.era), uptimeBps, latencyMs: 900, challengesPassed: 0, challengesFailed: 20 }]),
      gas: 200_000,
      label: 'late report',
    })
    // The present HyperNode corrects itself twice (the last wins), and a HyperNode that missed the era reports late.
    devnet.chain.send(report(present.hyperNodeId, 5000))
    devnet.chain.send(report(present.hyperNodeId, 6000))
    devnet.chain.send(report(missing!, 7000))
    const last = await devnet.anvil.rpc.call<{ timestamp: string }>('eth_getBlockByNumber', ['latest', false])
    await devnet.chain.mine(Number(last.timestamp) + 1)
    await waitForHeight(dbUrl, await blockNumber(devnet.anvil.rpc), indexer)
    const [after] = await sql<{ reports: { hyperNodeId: string; uptimeBps: number }[]; report_count: number; meets_sla: boolean; failed_metrics: string[] }>(
      dbUrl,
      `SELECT (SELECT jsonb_agg(jsonb_build_object('hyperNodeId', h, 'uptimeBps', report_values[5 * i - 4]) ORDER BY i) FROM unnest(report_hyper_nodes) WITH ORDINALITY AS x(h, i)) AS reports, report_count, meets_sla, failed_metrics FROM node_era WHERE node_id = $1 AND era = $2`,
      [row.node_id, row.era],
    )
    expect(after.report_count).toBe(4)
    expect(after.reports.find((r) => r.hyperNodeId === present.hyperNodeId)!.uptimeBps).toBe(6000)
    expect(after.reports.find((r) => r.hyperNodeId === missing)!.uptimeBps).toBe(7000)
    // two of four now report a bad era: the median uptime and latency fail
    expect(after.meets_sla).toBe(false)
    expect(after.failed_metrics).toEqual(expect.arrayContaining(['UPTIME', 'LATENCY']))
    // The era's day in node_era_day followed the updated row.
    expect(await rollupDrift(dbUrl)).toEqual([])
  })

  test('the leaderboard ranks by the exact stake: one wei apart, the larger ranks first', async () => {
    // The two open nodes closest in stake; the one with the smaller id is put exactly one wei ahead
    // (a float8 key ties them, past 2^53 wei, and the tie goes to the larger id).
    const open = await sql<{ id: string; stake: string }>(dbUrl, `SELECT node_id::text AS id, delegated_stake::text AS stake FROM node WHERE status IN (1, 2) ORDER BY node_id`)
    const pairs = open.flatMap((a, i) => open.slice(i + 1).map((b) => ({ a, b, gap: BigInt(b.stake) - BigInt(a.stake) })))
    const { a, b, gap } = pairs.sort((x, y) => (x.gap * x.gap < y.gap * y.gap ? -1 : 1))[0]
    // Raise a to b + 1 wei, or b to a - 1 wei.
    const [to, amount] = gap >= 0n ? [a, gap + 1n] : [b, -gap - 1n]
    expect(amount).toBeGreaterThan(0n)
    const last = await devnet.anvil.rpc.call<{ timestamp: string }>('eth_getBlockByNumber', ['latest', false])
    devnet.chain.send({
      from: actor('delegator:0'),
      to: devnet.deployment.staking,
      data: staking.functions.delegate.encode({ nodeId: BigInt(to.id), amount, apyScalingFactor: 10n ** 18n, unlockTimestamp: BigInt(Number(last.timestamp) + 3 * 86400) }),
      gas: 300_000,
      label: 'test delegation',
    })
    await devnet.chain.mine(Number(last.timestamp) + 1)
    await waitForHeight(dbUrl, await blockNumber(devnet.anvil.rpc), indexer)
    const [sa, sb] = (await sql<{ stake: string }>(dbUrl, `SELECT delegated_stake::text AS stake FROM node WHERE node_id IN ($1, $2) ORDER BY node_id`, [a.id, b.id])).map((r) => BigInt(r.stake))
    expect(sa - sb).toBe(1n)
    expect(sa).toBeGreaterThan(2n ** 53n)
    const { nodeLeaderboard } = await gql<{ nodeLeaderboard: { nodes: { node: { id: string }; delegatedStake: string }[] } }>(
      `{ nodeLeaderboard(window: { lastDays: 30 }, first: 1000, orderBy: DELEGATED_STAKE_DESC) { nodes { node { id } delegatedStake } } }`,
    )
    const ids = nodeLeaderboard.nodes.map((n) => n.node.id)
    expect(ids.indexOf(a.id)).toBe(ids.indexOf(b.id) - 1)
    const stakes = nodeLeaderboard.nodes.map((n) => BigInt(n.delegatedStake))
    expect(stakes.every((v, i) => i === 0 || stakes[i - 1] >= v)).toBe(true)
  })
})
