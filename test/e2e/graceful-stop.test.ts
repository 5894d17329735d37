/**
 * SIGTERM: the indexer ends its batch and exits cleanly; the API stops
 * accepting, finishes what it is serving, and exits 0. (The time-outs only
 * prove that each stops.)
 */
import { ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import type { Devnet } from '../../src/devnet'
import { freePort } from '../../src/runtime/ports'
import { blockNumber, ROOT, runIndexer, sql, testDatabase, testDevnet, waitFor, waitForHeight } from '../helpers'

let devnet: Devnet

beforeAll(async () => {
  devnet = await testDevnet({ eras: 40 })
})

afterAll(async () => {
  await devnet?.stop()
})

const exited = (c: ChildProcess) => new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
  if (c.exitCode !== null || c.signalCode !== null) return resolve({ code: c.exitCode, signal: c.signalCode })
  c.once('exit', (code, signal) => resolve({ code, signal }))
})

test('the indexer stops on SIGTERM with its last batch whole, and resumes from it', async () => {
  const db = await testDatabase()
  const head = await blockNumber(devnet.anvil.rpc)
  const indexer = runIndexer({ RPC_URL: devnet.anvil.url, DATABASE_URL: db })
  await waitFor('a first batch', async () => (await sql<{ height: number }>(db, `SELECT height FROM indexer_status`).catch(() => []))[0]?.height > 0)
  indexer.child.kill('SIGTERM')
  const r = await Promise.race([exited(indexer.child), new Promise<'hung'>((res) => setTimeout(() => res('hung'), 20_000))])
  expect(r).not.toBe('hung')
  // The status row and the data agree: nothing half-written (the transfers stop at the status height).
  const [s] = await sql<{ height: number }>(db, `SELECT height FROM indexer_status`)
  const [t] = await sql<{ max: number | null }>(db, `SELECT max(block_number) AS max FROM transfer`)
  expect(t.max ?? 0).toBeLessThanOrEqual(s.height)
  const again = runIndexer({ RPC_URL: devnet.anvil.url, DATABASE_URL: db })
  await waitForHeight(db, head, again)
  await again.stop()
})

test('the API drains and exits 0 on SIGTERM', async () => {
  const db = await testDatabase()
  const indexer = runIndexer({ RPC_URL: devnet.anvil.url, DATABASE_URL: db })
  await waitForHeight(db, await blockNumber(devnet.anvil.rpc), indexer)
  await indexer.stop()
  const port = await freePort()
  const api = spawn(process.execPath, [path.join(ROOT, 'lib/api/main.js')], { env: { ...process.env, ICN_NETWORK: 'devnet', DATABASE_URL: db, API_PORT: String(port), API_HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  api.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  api.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  await waitFor('the API to listen', async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok)
  // Requests in flight when the signal lands still get their answers.
  const inflight = Array.from({ length: 20 }, () =>
    fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ transfers(first: 1000) { nodes { id value fromAccount { balance } } } }' }) }).then((r) => r.status),
  )
  // Let the connections be accepted; twenty such queries on a pool of ten take longer than this.
  await new Promise((r) => setTimeout(r, 200))
  api.kill('SIGTERM')
  const statuses = await Promise.all(inflight.map((p) => p.catch(() => 'refused')))
  // Each request either got its full answer or was refused before it was accepted: none was cut off half-way.
  expect(statuses.every((s) => s === 200 || s === 'refused')).toBe(true)
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0)
  const r = await Promise.race([exited(api), new Promise<'hung'>((res) => setTimeout(() => res('hung'), 20_000))])
  expect({ r, out }).toEqual({ r: { code: 0, signal: null }, out })
})
