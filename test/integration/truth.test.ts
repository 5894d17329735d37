/**
 * Truth test: every figure the index holds, at the head and at earlier
 * blocks, equals what the chain answers through eth_call at that block, to
 * the wei (src/verify, which is also `npm run verify`).
 */
import { loadPreset } from '../../src/config'
import type { Devnet } from '../../src/devnet'
import { verify } from '../../src/verify'
import { blockNumber, IndexerProcess, runIndexer, runNode, sql, testDatabase, testDevnet, waitForHeight, withDb } from '../helpers'

const preset = loadPreset('devnet')

let devnet: Devnet
let dbUrl: string
let indexer: IndexerProcess
let head: number

beforeAll(async () => {
  devnet = await testDevnet({ eras: 1000, seed: 3 })
  dbUrl = await testDatabase()
  head = await blockNumber(devnet.anvil.rpc)
  indexer = runIndexer({ RPC_URL: devnet.anvil.url, DATABASE_URL: dbUrl })
  await waitForHeight(dbUrl, head, indexer)
  // Simulating 1000 eras takes about a minute alone; beside the other suites on two cores, more.
}, 300_000)

afterAll(async () => {
  await indexer?.stop()
  await devnet?.stop()
})

describe('truth: the index equals the chain', () => {
  test('a history of thousands of blocks, tens of thousands of events: every one decoded and applied, every family present', async () => {
    expect(head).toBeGreaterThan(2000)
    const [{ n }] = await sql<{ n: string }>(dbUrl, `SELECT (SELECT count(*) FROM transfer) + (SELECT count(*) FROM sla_attestation) AS n`)
    expect(Number(n)).toBeGreaterThan(50_000)
    const [s] = await sql<{ undecoded_logs: number; inconsistencies: number }>(dbUrl, `SELECT undecoded_logs, inconsistencies FROM indexer_status`)
    expect(s.undecoded_logs).toBe(0)
    expect(s.inconsistencies).toBe(0)
    const via = await sql<{ created_via: string }>(dbUrl, `SELECT DISTINCT created_via FROM delegation ORDER BY 1`)
    expect(via.map((r) => r.created_via)).toEqual(['CREATED', 'V1', 'V2'])
    for (const table of ['tokens_release', 'vesting_revocation', 'node_status_change', 'slash', 'delegation_event', 'reward_claim', 'booking_event', 'sla_attestation', 'sla_violation', 'supply_checkpoint']) {
      const [c] = await sql<{ n: string }>(dbUrl, `SELECT count(*)::text AS n FROM ${table}`)
      expect({ table, some: Number(c.n) > 0 }).toEqual({ table, some: true })
    }
  })

  test('at the head: every balance, the supply, schedules, nodes, bookings and positions, history and current rows', async () => {
    const r = await withDb(dbUrl, (db) => verify(db, devnet.anvil.rpc, preset, head))
    expect(r.differences).toEqual([])
    expect(r.block).toBe(head)
    // balances + supply + schedules + positions + nodes, each checked twice at the head
    expect(r.checked).toBeGreaterThan(1000)
  })

  test('at earlier blocks: the history tables give the chain figures of that block', async () => {
    const blocks = [Math.floor(head * 0.1), Math.floor(head * 0.35), Math.floor(head * 0.5), Math.floor(head * 0.8), head - 1]
    for (const b of blocks) {
      const r = await withDb(dbUrl, (db) => verify(db, devnet.anvil.rpc, preset, b))
      expect({ block: b, differences: r.differences }).toEqual({ block: b, differences: [] })
      expect(r.checked).toBeGreaterThan(100)
    }
  })

  test('each node-era rollup equals the consensus Postgres computes from the raw reports (the spec\'s medians, not the indexer\'s code)', async () => {
    // Each HyperNode's latest report per node and era (a later block, then a later log, replaces an earlier one);
    // medians by percentile_cont (of an even count: the mean of the two middle values); the pass rates in order,
    // as exact fractions, for the threshold test below.
    const expected = await sql<{ node_id: string; era: number; n: number; uptime: number; latency: number; rates: string[][] }>(
      dbUrl,
      `WITH latest AS (
         SELECT DISTINCT ON (node_id, era, hyper_node_id) node_id, era, uptime_bps, latency_ms, challenges_passed AS p, challenges_failed AS f
         FROM sla_attestation ORDER BY node_id, era, hyper_node_id, block_number DESC, id DESC)
       SELECT node_id, era::int, count(*)::int AS n,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY uptime_bps) AS uptime,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS latency,
              array_agg(ARRAY[CASE WHEN p + f = 0 THEN 1 ELSE p END, CASE WHEN p + f = 0 THEN 1 ELSE p + f END]::text[]
                        ORDER BY CASE WHEN p + f = 0 THEN 1 ELSE p::numeric / (p + f) END) AS rates
       FROM latest GROUP BY node_id, era`,
    )
    const rows = await sql<{ node_id: string; era: number; report_count: number; quorum: boolean; uptime_bps: string; latency_ms: string; meets_sla: boolean; failed_metrics: string[] }>(
      dbUrl,
      `SELECT node_id, era::int, report_count, quorum, uptime_bps::text, latency_ms::text, meets_sla, failed_metrics FROM node_era`,
    )
    expect(rows.length).toBe(expected.length)
    const byKey = new Map(expected.map((e) => [`${e.node_id}-${e.era}`, e]))
    const { quorum, minUptimeBps, maxLatencyMs, minChallengePassBps } = preset.sla
    let met = 0
    for (const row of rows) {
      const e = byKey.get(`${row.node_id}-${row.era}`)!
      // The median rate's test against the threshold, in integers: a/b >= t/10000, or (a/b + c/d)/2 >= t/10000.
      const r = e.rates.map(([num, den]) => [BigInt(num), BigInt(den)])
      const mid = r.length >> 1
      const passes = r.length % 2 === 1
        ? r[mid][0] * 10_000n >= BigInt(minChallengePassBps) * r[mid][1]
        : (r[mid - 1][0] * r[mid][1] + r[mid][0] * r[mid - 1][1]) * 10_000n >= 2n * BigInt(minChallengePassBps) * r[mid - 1][1] * r[mid][1]
      const q = e.n >= quorum
      const failed = q ? [...(e.uptime < minUptimeBps ? ['UPTIME'] : []), ...(e.latency > maxLatencyMs ? ['LATENCY'] : []), ...(passes ? [] : ['CHALLENGES'])] : []
      if (q && failed.length === 0) met += 1
      expect({ k: `${row.node_id}-${row.era}`, n: row.report_count, q: row.quorum, u: Number(row.uptime_bps), l: Number(row.latency_ms), m: row.meets_sla, f: row.failed_metrics }).toEqual({
        k: `${row.node_id}-${row.era}`, n: e.n, q, u: e.uptime, l: e.latency, m: q && failed.length === 0, f: failed,
      })
    }
    // the degrading nodes make some eras fail and most pass
    expect(met).toBeGreaterThan(rows.length / 2)
    expect(met).toBeLessThan(rows.length)
  })

  test('`npm run verify` proves the index, and names the entity and both values when the index is wrong', async () => {
    const env = { ...process.env, ICN_NETWORK: 'devnet', RPC_URL: devnet.anvil.url, DATABASE_URL: dbUrl }
    const block = Math.floor(head / 2)
    const ok = await runNode(['lib/verify/main.js', String(block)], env)
    expect(ok.stdout).toMatch(new RegExp(`verify: block ${block}: \\d+ figures compared, 0 difference\\(s\\)`))
    expect(ok.code).toBe(0)

    // Corrupt the balance-after of the last transfer at or before the block (so its receiver's last).
    const [t] = await sql<{ id: string; to_id: string; to_balance_after: string }>(
      dbUrl,
      `SELECT id, to_id, to_balance_after::text FROM transfer WHERE block_number <= $1 AND to_id <> from_id AND to_id <> '0x0000000000000000000000000000000000000000' ORDER BY id DESC LIMIT 1`,
      [block],
    )
    await sql(dbUrl, `UPDATE transfer SET to_balance_after = to_balance_after + 1 WHERE id = $1`, [t.id])
    try {
      const bad = await runNode(['lib/verify/main.js', String(block)], env)
      expect(bad.code).toBe(1)
      const right = BigInt(t.to_balance_after)
      expect(bad.stdout).toContain(`DIFF account ${t.to_id} balance: index ${right + 1n}, chain ${right}`)
      expect(bad.stdout).toMatch(/1 difference\(s\)/)
    } finally {
      await sql(dbUrl, `UPDATE transfer SET to_balance_after = to_balance_after - 1 WHERE id = $1`, [t.id])
    }

    const beyond = await runNode(['lib/verify/main.js', String(head + 1000)], env)
    expect(beyond.code).toBe(2)
    expect(beyond.stderr).toContain(`block ${head + 1000} is beyond the indexed height`)
    const junk = await runNode(['lib/verify/main.js', '-5'], env)
    expect(junk.code).toBe(2)
    expect(junk.stderr).toContain('block must be a non-negative integer or "head" (got "-5")')
  })
})
