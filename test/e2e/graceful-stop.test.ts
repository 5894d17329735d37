/**
 * SIGTERM: the indexer commits every batch handed over, says to which block,
 * and exits 0; the API stops
 * accepting, finishes what it is serving, and exits 0. (The time-outs only
 * prove that each stops.)
 */
import { ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import * as icnt from '../../src/abi/ICNT'
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

test('the indexer commits the batches handed over on SIGTERM, exits 0, names the height, and resumes from it', async () => {
  const db = await testDatabase()
  const head = await blockNumber(devnet.anvil.rpc)
  // Commits only every 10 minutes (or 5,000 rows while Postgres idles), progress every 100 ms: batches wait uncommitted.
  const indexer = runIndexer({ RPC_URL: devnet.anvil.url, DATABASE_URL: db, INDEXER_COMMIT_INTERVAL_MS: '600000', INDEXER_COMMIT_ROWS: '10000000', PROGRESS_INTERVAL_MS: '100' })
  const status = async () => (await sql<{ height: number }>(db, `SELECT height FROM indexer_status`).catch(() => []))[0]?.height ?? 0
  const progressed = () => Math.max(0, ...[...indexer.output().matchAll(/progress: block (\d+) of/g)].map((m) => Number(m[1])))
  // The signal lands when batches up to a height the database does not hold yet have been applied.
  const handed = await waitFor('a batch applied beyond the committed height', async () => {
    const p = progressed()
    return p > 0 && p < head && p > (await status()) ? p : undefined
  })
  indexer.child.kill('SIGTERM')
  const r = await Promise.race([exited(indexer.child), new Promise<'hung'>((res) => setTimeout(() => res('hung'), 20_000))])
  expect(r).toEqual({ code: 0, signal: null })
  const said = /SIGTERM: every batch handed over is committed, the index holds blocks up to (\d+); exiting with code 0/.exec(indexer.output())
  expect(said).not.toBeNull()
  const committed = Number(said![1])
  // Committed, not rolled back: the status row names the height the indexer said, at least the last one it had applied.
  expect(await status()).toBe(committed)
  expect(committed).toBeGreaterThanOrEqual(handed)
  // ...and the data is whole up to it: every Transfer the chain holds up to that block, none beyond.
  const logs = await devnet.anvil.rpc.call<unknown[]>('eth_getLogs', [{ address: devnet.deployment.token, topics: [icnt.events.Transfer.topic], fromBlock: '0x0', toBlock: '0x' + committed.toString(16) }])
  const [t] = await sql<{ n: number; max: number | null }>(db, `SELECT count(*)::int AS n, max(block_number) AS max FROM transfer`)
  expect(t.n).toBe(logs.length)
  expect(t.max ?? 0).toBeLessThanOrEqual(committed)
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
