/**
 * Postgres restarted mid-sync and mid-load, twice: the indexer keeps
 * retrying its batch until the server is back and ends with exactly the index
 * of an undisturbed run (nothing lost, nothing doubled); the API, under
 * steady traffic all the while, answers 503 DATABASE_UNAVAILABLE while the
 * server is away, never a 500, and answers again on its own.
 */
import { ApiServer, startApiServer } from '../../src/api/server'
import { loadPreset } from '../../src/config'
import { createDatabase } from '../../src/db/embedded'
import type { Devnet } from '../../src/devnet'
import { canonicalDump, diffDumps } from '../helpers/dump'
import { OwnPostgres } from '../helpers/own-pg'
import { blockNumber, IndexerProcess, runIndexer, sql, testDatabase, testDevnet, waitFor, waitForHeight } from '../helpers'

const RESTARTS = 2
let devnet: Devnet
let head: number
let pg: OwnPostgres
let api: ApiServer | undefined
const procs: IndexerProcess[] = []

beforeAll(async () => {
  devnet = await testDevnet({ eras: 300, scale: 2, seed: 12 })
  head = await blockNumber(devnet.anvil.rpc)
  pg = await OwnPostgres.create()
}, 240_000)

afterAll(async () => {
  await api?.close()
  await Promise.all(procs.map((p) => p.stop()))
  await pg?.destroy()
  await devnet?.stop()
})

async function height(url: string): Promise<number> {
  const r = await sql<{ height: number }>(url, `SELECT height FROM indexer_status WHERE id = 'status'`).catch(() => [])
  return r[0]?.height ?? -1
}

const QUERY = '{ _meta { height } accounts(first: 5) { nodes { id balance } } transfers(first: 5) { nodes { id value } } }'

test(`Postgres restarted ${RESTARTS} times mid-sync and mid-load: the indexer resumes with nothing lost or doubled, the API answers 503 and recovers`, async () => {
  const url = await createDatabase(await pg.start(), 'faults', true)
  const p = runIndexer({ RPC_URL: devnet.anvil.url, DATABASE_URL: url })
  procs.push(p)
  await waitFor('the first batch', async () => (await height(url)) > 0)
  api = await startApiServer({ databaseUrl: url, preset: loadPreset('devnet'), host: '127.0.0.1', port: 0 })

  // Steady traffic: four clients in a loop for the whole test.
  const statuses = new Map<string, number>()
  let load = true
  const client = async () => {
    while (load) {
      let key: string
      try {
        const r = await fetch(`${api!.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) })
        const body = (await r.json()) as { errors?: { message?: string; extensions?: { code?: string } }[] }
        key = `${r.status} ${body.errors?.[0]?.extensions?.code ?? 'ok'}`
        if (r.status !== 200 && r.status !== 503) key += ` ${body.errors?.[0]?.message}`
      } catch (e) {
        key = `no answer: ${(e as Error).message}`
      }
      statuses.set(key, (statuses.get(key) ?? 0) + 1)
      await new Promise((res) => setTimeout(res, 5))
    }
  }
  const clients = Array.from({ length: 4 }, client)
  const restartedAt: number[] = []
  let finalHead = head
  try {

  for (let i = 1; i <= RESTARTS; i++) {
    const target = Math.floor((head * i) / (RESTARTS + 1))
    await waitFor(`block ${target}`, async () => (await height(url)) >= target)
    restartedAt.push(await height(url))
    await pg.stop()
    // New blocks while the server is away, so the indexer has a batch to commit even if its sync
    // of the history ended while the server was stopping (a slow machine).
    devnet.simulator.chain.forgetNonces()
    await devnet.simulator.step()
    await waitFor(`the indexer to notice (restart ${i}; its output: ${p.output().slice(-3000)})`, async () => p.output().includes('database unavailable'), 30_000)
    const before = statuses.get('503 DATABASE_UNAVAILABLE') ?? 0
    await waitFor(`the API to answer 503 (so far ${JSON.stringify(Object.fromEntries(statuses))})`, async () => (statuses.get('503 DATABASE_UNAVAILABLE') ?? 0) > before, 30_000)
    await new Promise((r) => setTimeout(r, 1500))
    await pg.start()
  }
  finalHead = await blockNumber(devnet.anvil.rpc)
  await waitForHeight(url, finalHead, p)
  const okBefore = statuses.get('200 ok') ?? 0
  await waitFor('the API to answer again', async () => (statuses.get('200 ok') ?? 0) > okBefore + 10)
  } finally {
    load = false
    await Promise.all(clients)
  }
  await p.stop()

  expect(p.child.exitCode === 0 || p.child.signalCode === 'SIGTERM' || p.child.exitCode === null).toBe(true)
  expect(p.output()).toMatch(/database unavailable during .*; retrying in \d+ ms/)
  expect(p.output()).toContain('database is back')
  // Only successes and coded 503s: never a 500, never another error.
  expect([...statuses.keys()].sort()).toEqual(['200 ok', '503 DATABASE_UNAVAILABLE'])
  // The same chain indexed by an undisturbed run.
  const cleanDb = await testDatabase()
  const clean = runIndexer({ RPC_URL: devnet.anvil.url, DATABASE_URL: cleanDb })
  procs.push(clean)
  await waitForHeight(cleanDb, finalHead, clean)
  await clean.stop()
  expect(diffDumps(await canonicalDump(cleanDb), await canonicalDump(url))).toEqual([])
  console.log(`database faults: ${RESTARTS} Postgres restarts with the index at blocks ${restartedAt.join(', ')} of ${head}; API answers ${JSON.stringify(Object.fromEntries(statuses))}; nothing lost or doubled`)
}, 300_000)
