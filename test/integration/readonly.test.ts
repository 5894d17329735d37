/**
 * The API cannot write: the read-only role refuses every write whatever the
 * session allows, the API's sessions refuse writes whatever the role allows,
 * `npm start` connects the API as the role, and a slow statement is cancelled
 * by the statement timeout. Real Postgres throughout.
 */
import { ChildProcess, spawn } from 'node:child_process'
import crypto from 'node:crypto'
import path from 'node:path'
import { startApiServer } from '../../src/api/server'
import { Db } from '../../src/api/sql/db'
import { exportDatabaseUrlForSdk, loadPreset } from '../../src/config'
import { applyMigrations } from '../../src/db/migrate'
import { API_ROLE, ensureReadOnlyRole, readOnlySessionUrl } from '../../src/db/readonly'
import { freePort } from '../../src/runtime/ports'
import { ROOT, sql, testDatabase, waitFor, withDb } from '../helpers'

async function migratedDatabase(): Promise<string> {
  const url = await testDatabase()
  exportDatabaseUrlForSdk(url)
  await applyMigrations()
  return url
}

async function roUrlFor(adminUrl: string): Promise<string> {
  const ro = await ensureReadOnlyRole(adminUrl)
  if ('reason' in ro) throw new Error(ro.reason)
  return ro.url
}

/** The Postgres error code a statement fails with (undefined when it succeeds). */
async function failsWith(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run()
    return undefined
  } catch (e) {
    return (e as { code?: string }).code ?? String(e)
  }
}

const WRITES = [
  `INSERT INTO indexer_status (id, height, hash, timestamp, finalized_height, chain_head, undecoded_logs) VALUES ('x', 1, '0x', now(), 0, 1, 0)`,
  `UPDATE indexer_status SET height = 0`,
  `DELETE FROM account`,
  `TRUNCATE transfer`,
  `CREATE TABLE sneaky (id int)`,
  `DROP TABLE transfer`,
  `CREATE ROLE sneaky`,
]

let admin: string
let ro: string

beforeAll(async () => {
  admin = await migratedDatabase()
  ro = await roUrlFor(admin)
})

test(`the role is ${API_ROLE}, without special powers`, async () => {
  expect(decodeURIComponent(new URL(ro).username)).toBe(API_ROLE)
  const [r] = await sql<Record<string, boolean>>(admin, 'SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = $1', [API_ROLE])
  expect(r).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolreplication: false, rolbypassrls: false, rolcanlogin: true })
})

test('through the role, reads work and every write is refused, even with read-only sessions turned off', async () => {
  await withDb(ro, async (c) => {
    expect((await c.query('SELECT count(*)::int AS n FROM indexer_status')).rows).toEqual([{ n: 0 }])
    expect((await c.query('SHOW default_transaction_read_only')).rows[0].default_transaction_read_only).toBe('on')
    await c.query('SET default_transaction_read_only = off')
    for (const w of WRITES) expect({ w, code: await failsWith(() => c.query(w)) }).toEqual({ w, code: '42501' })
  })
})

test("through the API's own connection (the role, read-only sessions), every write is refused", async () => {
  const api = await startApiServer({ databaseUrl: ro, preset: loadPreset('devnet'), host: '127.0.0.1', port: 0 })
  try {
    for (const w of WRITES) expect(['25006', '42501']).toContain(await failsWith(() => api.db.query(w)))
    // Even a session that asks for a writable transaction stays powerless.
    const c = await api.db.pool.connect()
    try {
      await c.query('BEGIN READ WRITE')
      expect(await failsWith(() => c.query(WRITES[0]))).toBe('42501')
      await c.query('ROLLBACK')
    } finally {
      c.release(true)
    }
    expect(await api.db.query('SELECT 1 AS one')).toEqual([{ one: 1 }])
  } finally {
    await api.close()
  }
})

test('where the role cannot be had, read-only sessions alone refuse writes through the API (even as a superuser)', async () => {
  const api = await startApiServer({ databaseUrl: admin, preset: loadPreset('devnet'), host: '127.0.0.1', port: 0 })
  try {
    for (const w of WRITES) expect({ w, code: await failsWith(() => api.db.query(w)) }).toEqual({ w, code: '25006' })
  } finally {
    await api.close()
  }
  const db = new Db(readOnlySessionUrl(`${admin}?application_name=x`))
  try {
    expect(await failsWith(() => db.query(WRITES[1]))).toBe('25006')
  } finally {
    await db.close()
  }
})

test('tables the admin creates later are readable through the role', async () => {
  await sql(admin, 'CREATE TABLE later_table (id int)')
  await sql(admin, 'INSERT INTO later_table VALUES (7)')
  expect(await sql(ro, 'SELECT id FROM later_table')).toEqual([{ id: 7 }])
})

test('creating the role again, and from two databases at once, gives the same working URL', async () => {
  const [a, b] = await Promise.all([migratedDatabase().then(roUrlFor), testDatabase().then(roUrlFor)])
  const again = await roUrlFor(admin)
  expect(again).toBe(ro)
  for (const u of [a, b]) expect(new URL(u).password).toBe(new URL(ro).password)
  expect(await sql(a, 'SELECT count(*)::int AS n FROM account')).toEqual([{ n: 0 }])
  expect(await sql(ro, 'SELECT 1 AS one')).toEqual([{ one: 1 }])
})

test('an admin that may not create roles gets the reason, not an error', async () => {
  const name = `t_plain_${crypto.randomBytes(4).toString('hex')}`
  const password = crypto.randomBytes(12).toString('hex')
  // DDL cannot bind identifiers or passwords; both are generated just above.
  await sql(admin, `CREATE ROLE ${name} LOGIN PASSWORD '${password}'`)
  const u = new URL(admin)
  u.username = name
  u.password = password
  const r = await ensureReadOnlyRole(u.toString())
  expect(r).toEqual({ reason: `${name} may not create roles (needs CREATEROLE)` })
})

test('a statement running past the statement timeout is cancelled (57014), and the pool goes on', async () => {
  const db = new Db(readOnlySessionUrl(ro), { statementTimeoutMs: 100 })
  try {
    expect(await failsWith(() => db.query('SELECT pg_sleep(30)'))).toBe('57014')
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }])
  } finally {
    await db.close()
  }
})

describe('npm start', () => {
  let child: ChildProcess | undefined
  let out = ''

  afterAll(async () => {
    if (!child || child.exitCode !== null) return
    await new Promise<void>((resolve) => {
      child!.once('exit', () => resolve())
      child!.kill('SIGINT')
      setTimeout(() => child!.kill('SIGKILL'), 20_000).unref()
    })
  })

  test(`connects the API as ${API_ROLE}`, async () => {
    const db = await testDatabase()
    const apiPort = await freePort()
    child = spawn(process.execPath, [path.join(ROOT, 'lib/start.js')], {
      env: { PATH: process.env.PATH, DATABASE_URL: db, API_PORT: String(apiPort), API_HOST: '127.0.0.1', DEVNET_PORT: String(await freePort()), SIM_HISTORY_ERAS: '2', SIM_LIVE_INTERVAL_MS: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
    await waitFor(
      'the API to answer',
      async () => {
        if (child!.exitCode !== null) throw new Error(`npm start exited: ${out}`)
        const r = await fetch(`http://127.0.0.1:${apiPort}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ _meta { undecodedLogs } }' }) })
        return r.status === 200
      },
      120_000,
    )
    expect(out).toContain(`start: API reads as the read-only role ${API_ROLE}`)
    const sessions = await sql<{ usename: string }>(db, `SELECT DISTINCT usename FROM pg_stat_activity WHERE application_name = 'icn-indexer-api' AND datname = current_database()`)
    expect(sessions).toEqual([{ usename: API_ROLE }])
  })
})
