/**
 * Operations endpoints of the API: /metrics (Prometheus text), /healthz and
 * /readyz against a real index, and /readyz refusing an empty one.
 */
import { ApiServer, startApiServer } from '../../src/api/server'
import { exportDatabaseUrlForSdk, loadPreset } from '../../src/config'
import { applyMigrations } from '../../src/db/migrate'
import type { Devnet } from '../../src/devnet'
import { freePort } from '../../src/runtime/ports'
import { IndexerProcess, runNode, testDatabase } from '../helpers'
import { IndexedApi, indexedApi } from '../helpers/api'

const preset = loadPreset('devnet')
let t: IndexedApi
let devnet: Devnet
let indexer: IndexerProcess
let api: ApiServer
let head: number
let indexerMetricsPort: number
let dbUrl: string

beforeAll(async () => {
  indexerMetricsPort = await freePort()
  t = await indexedApi({ eras: 30, indexerEnv: { INDEXER_METRICS_PORT: String(indexerMetricsPort), LOG_FORMAT: 'json' } })
  ;({ devnet, indexer, api, head, dbUrl } = t)
})

afterAll(async () => {
  await t?.stop()
})

function metric(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)))
  return line === undefined ? undefined : Number(line.split(' ').pop())
}

describe('operations', () => {
  test('/metrics: where the index stands, the pool, and request latency by operation', async () => {
    const q = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'query HeadCheck { _meta { height } }' }) })
    expect(q.status).toBe(200)
    const res = await fetch(`${api.url}/metrics`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    const text = await res.text()
    expect(metric(text, 'icn_indexed_height')).toBe(head)
    // Nothing is mined meanwhile: the head the indexer saw is the devnet's, and it is there.
    expect(metric(text, 'icn_chain_head')).toBe(head)
    expect(metric(text, 'icn_lag_blocks')).toBe(0)
    expect(metric(text, 'icn_undecoded_logs')).toBe(0)
    // The devnet's Ownable contracts announce their owner at deployment: unknown events, counted per address and topic, not errors.
    const ownership = '0x8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0'
    const ownable = [preset.contracts.vesting, preset.contracts.staking, preset.contracts.market, preset.contracts.slaOracle].map((a) => a!.toLowerCase())
    for (const a of ownable) expect(metric(text, 'icn_unknown_events', `{address="${a}",topic="${ownership}"}`)).toBe(1)
    const meta = (await (await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ _meta { hasErrors undecodedLogs unknownEvents { address topic count } } }' }) })).json()) as { data: { _meta: { hasErrors: boolean; undecodedLogs: number; unknownEvents: unknown[] } } }
    expect(meta.data._meta).toEqual({ hasErrors: false, undecodedLogs: 0, unknownEvents: [...ownable].sort().map((address) => ({ address, topic: ownership, count: 1 })) })
    expect(metric(text, 'icn_api_request_duration_seconds_count', '{operation="HeadCheck",type="query",outcome="ok"}')).toBe(1)
    expect(metric(text, 'icn_api_db_pool_connections', '{state="total"}')).toBeGreaterThan(0)
    expect(metric(text, 'icn_api_db_statements_total')).toBeGreaterThan(0)
    expect(text).toContain('icn_api_process_resident_memory_bytes')
    // Which Node.js serves it is not shown.
    expect(text).not.toContain('nodejs_version_info')
    expect(text).not.toContain(process.version)
  })

  test('API_METRICS_PORT: /metrics only on its own port, not on the public one', async () => {
    const other = await startApiServer({ databaseUrl: t.roUrl, preset, host: '127.0.0.1', port: 0, metricsPort: await freePort() })
    try {
      expect(other.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/)
      const own = await fetch(other.metricsUrl!)
      expect(own.status).toBe(200)
      expect(metric(await own.text(), 'icn_indexed_height')).toBe(head)
      expect((await fetch(other.metricsUrl!, { method: 'HEAD' })).status).toBe(200)
      expect((await fetch(other.metricsUrl!.replace('/metrics', '/graphql'))).status).toBe(404)
      const pub = await fetch(`${other.url}/metrics`)
      expect(pub.status).toBe(404)
      expect(pub.headers.get('x-content-type-options')).toBe('nosniff')
    } finally {
      await other.close()
    }
  })

  test("the indexer's metrics: batch sizes and durations, and the SDK's chain height, last block and RPC failures", async () => {
    const text = await (await fetch(`http://127.0.0.1:${indexerMetricsPort}/metrics`)).text()
    expect(metric(text, 'sqd_processor_last_block')).toBe(head)
    expect(metric(text, 'sqd_processor_chain_height')).toBe(head)
    // The processor's RPC is the indexer's relay (a loopback URL) in front of anvil.
    const failures = text.split('\n').filter((l) => /^sqd_rpc_request_count\{url="http:\/\/127\.0\.0\.1:\d+\/?",kind="failure"\} /.test(l))
    expect(failures.map((l) => Number(l.split(' ').pop()))).toEqual([0])
    expect(metric(text, 'icn_indexer_height')).toBe(head)
    expect(metric(text, 'icn_indexer_batch_events_count')).toBeGreaterThan(0)
    expect(metric(text, 'icn_indexer_batch_duration_seconds_count')).toBe(metric(text, 'icn_indexer_batch_events_count'))
    expect(metric(text, 'icn_indexer_batch_blocks_sum')).toBeGreaterThanOrEqual(head - 1)
  })

  test('the indexer logs its progress as JSON in production mode, and refuses an unknown log format', async () => {
    const lines = indexer.output().split('\n').filter((l) => l.includes('"component":"progress"')).map((l) => JSON.parse(l) as { height: number; atHead: boolean; eventsPerSecond: number })
    expect(lines.length).toBeGreaterThan(0)
    expect(lines.some((l) => l.atHead && l.height === head)).toBe(true)
    // The head a line names is never beyond the chain's (a lower bound while syncing, exact at the head).
    expect(lines.filter((l) => (l as unknown as { head: number }).head > head)).toEqual([])
    // every line, ours and the SDK's, is a JSON object in this mode
    const all = indexer.output().split('\n').filter((l) => l !== '')
    expect(all.filter((l) => !l.startsWith('{'))).toEqual([])
    expect(all.some((l) => (JSON.parse(l) as { component?: string }).component?.startsWith('sqd:'))).toBe(true)
    const started = indexer.output().split('\n').find((l) => l.includes('metrics on port'))!
    expect(JSON.parse(started)).toMatchObject({ level: 'info', component: 'indexer', metricsPort: indexerMetricsPort })
    const bad = await runNode(['lib/main.js'], { ...process.env, ICN_NETWORK: 'devnet', RPC_URL: devnet.anvil.url, DATABASE_URL: 'postgres://x@127.0.0.1:1/x', LOG_FORMAT: 'xml' })
    expect(bad.code).toBe(1)
    // secrets never reach the logs
    expect(indexer.output()).not.toContain(decodeURIComponent(new URL(dbUrl).password))
    expect(bad.stderr).toContain('LOG_FORMAT="xml" must be "text" or "json"')
  })

  test('/healthz is up and /readyz is ready with the lag it saw', async () => {
    expect(await (await fetch(`${api.url}/healthz`)).json()).toEqual({ status: 'ok' })
    const r = await fetch(`${api.url}/readyz`)
    expect(r.status).toBe(200)
    expect(await r.json()).toMatchObject({ status: 'ready', ready: true, height: head })
    expect((await fetch(`${api.url}/metrics`, { method: 'POST' })).status).toBe(405)
  })

  test('/readyz is 503, naming why, on an empty index', async () => {
    const empty = await testDatabase()
    exportDatabaseUrlForSdk(empty)
    await applyMigrations()
    const other = await startApiServer({ databaseUrl: empty, preset, host: '127.0.0.1', port: 0 })
    try {
      const r = await fetch(`${other.url}/readyz`)
      expect(r.status).toBe(503)
      expect(await r.json()).toMatchObject({ status: 'not ready', ready: false, reason: 'nothing indexed yet' })
    } finally {
      await other.close()
    }
  })
})
