/**
 * API_WORKERS: the real API (lib/api/main.js) as two worker processes on one
 * port. The workers answer queries and subscriptions, /metrics sums both
 * (on the public port, and aggregated by the primary on API_METRICS_PORT),
 * the per-client rate limit is one count across them, SIGTERM stops all of
 * them with exit 0, and a worker that dies stops the API with exit 1.
 */
import { ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { createClient } from 'graphql-ws'
import WebSocket from 'ws'
import { freePort } from '../../src/runtime/ports'
import { blockNumber, ROOT, waitFor, waitForHeight } from '../helpers'
import { IndexedApi, indexedApi } from '../helpers/api'

let t: IndexedApi

beforeAll(async () => {
  t = await indexedApi({ eras: 6 })
}, 240_000)

afterAll(async () => {
  await t?.stop()
})

interface Cluster {
  child: ChildProcess
  base: string
  output: () => string
  exited: Promise<number | null>
}

async function startCluster(env: Record<string, string>): Promise<Cluster> {
  const port = await freePort()
  const child = spawn(process.execPath, [path.join(ROOT, 'lib/api/main.js')], {
    env: { PATH: process.env.PATH, ICN_NETWORK: 'devnet', DATABASE_URL: t.roUrl, API_HOST: '127.0.0.1', API_PORT: String(port), API_WORKERS: '2', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  await waitFor('the API workers', async () => {
    if (child.exitCode !== null) throw new Error(`the API exited: ${out}`)
    return /listening on \S+ \(2 workers/.test(out)
  }, 60_000)
  return { child, base: `http://127.0.0.1:${port}`, output: () => out, exited }
}

/** The processes the primary forked. */
const workersOf = (pid: number) =>
  fs
    .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)

/** One request on a connection of its own (so the primary hands it to the next worker). */
function once(url: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: body ? 'POST' : 'GET', agent: false, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      let text = ''
      res.on('data', (d: Buffer) => (text += d.toString()))
      res.on('end', () => resolve({ status: res.statusCode!, text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

const query = JSON.stringify({ query: '{ _meta { height } accounts(first: 3) { nodes { id balance } } }' })
const metric = (text: string, name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1])

test('two workers answer on one port, /metrics sums them, SIGTERM stops all with exit 0', async () => {
  const c = await startCluster({})
  try {
    const workers = workersOf(c.child.pid!)
    expect(workers.length).toBe(2)
    const answers = await Promise.all(Array.from({ length: 40 }, () => once(`${c.base}/graphql`, query)))
    expect(new Set(answers.map((a) => `${a.status} ${a.text}`)).size).toBe(1)
    expect(JSON.parse(answers[0].text).data._meta.height).toBe(t.head)
    // Both workers' series in one answer: the requests of both, and each worker's own gauges once.
    const m = (await once(`${c.base}/metrics`)).text
    expect(metric(m, 'icn_api_request_duration_seconds_count')).toBeGreaterThanOrEqual(40)
    expect(metric(m, 'icn_api_workers')).toBe(2)
    expect(metric(m, 'icn_indexed_height')).toBe(t.head)

    // A subscription on one worker hears the head the indexer commits next.
    const ws = createClient({ url: `${c.base.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 })
    const heights: number[] = []
    const unsubscribe = ws.subscribe<{ blocks: { height: number } }>({ query: 'subscription { blocks { height } }' }, { next: (v) => heights.push(v.data!.blocks.height), error: () => undefined, complete: () => undefined })
    await new Promise((r) => setTimeout(r, 500))
    await t.devnet.simulator.step()
    const head = await blockNumber(t.devnet.anvil.rpc)
    await waitForHeight(t.dbUrl, head, t.indexer)
    await waitFor('the new head pushed', async () => heights.includes(head), 30_000)
    unsubscribe()
    await ws.dispose()

    c.child.kill('SIGTERM')
    expect(await c.exited).toBe(0)
    for (const w of workers) expect(fs.existsSync(`/proc/${w}`)).toBe(false)
  } finally {
    c.child.kill('SIGKILL')
  }
}, 120_000)

test('the rate limit is one count per client across the workers', async () => {
  const c = await startCluster({ API_RATE_LIMIT: '5' })
  try {
    // Each request on a new connection, so the primary alternates the workers:
    // per-worker counts would let 10 through before the first 429.
    const statuses: number[] = []
    for (let i = 0; i < 8; i++) statuses.push((await once(`${c.base}/graphql`, query)).status)
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429])
  } finally {
    c.child.kill('SIGKILL')
  }
}, 120_000)

test('API_METRICS_PORT: the primary serves both workers\' metrics there, the public port answers 404', async () => {
  const metricsPort = await freePort()
  const c = await startCluster({ API_METRICS_PORT: String(metricsPort) })
  try {
    for (let i = 0; i < 6; i++) await once(`${c.base}/graphql`, query)
    expect((await once(`${c.base}/metrics`)).status).toBe(404)
    const m = await once(`http://127.0.0.1:${metricsPort}/metrics`)
    expect(m.status).toBe(200)
    expect(metric(m.text, 'icn_api_workers')).toBe(2)
    expect(metric(m.text, 'icn_api_request_duration_seconds_count')).toBeGreaterThanOrEqual(6)
  } finally {
    c.child.kill('SIGKILL')
  }
}, 120_000)

// Node's cluster exits a worker whose primary is gone (an unexpected disconnect); this holds the API to it.
test('workers whose primary is killed stop too: nothing is left serving', async () => {
  const c = await startCluster({})
  const workers = workersOf(c.child.pid!)
  c.child.kill('SIGKILL')
  await c.exited
  await waitFor('the workers gone', async () => workers.every((w) => !fs.existsSync(`/proc/${w}`) || fs.readFileSync(`/proc/${w}/stat`, 'utf8').split(' ')[2] === 'Z'), 30_000)
})

test('a worker that dies stops the API, exit 1, saying which', async () => {
  const c = await startCluster({})
  const [first] = workersOf(c.child.pid!)
  process.kill(first, 'SIGKILL')
  expect(await c.exited).toBe(1)
  expect(c.output()).toMatch(/API worker \d+ exited \(SIGKILL\); stopping the API/)
}, 120_000)
