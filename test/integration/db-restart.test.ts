/**
 * The API while its database restarts: coded 503s while the server is away
 * (GraphQL and REST), /readyz not ready, /healthz up; and it recovers on its
 * own when the server is back, with no restart of the API.
 */
import { ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ApiServer, startApiServer } from '../../src/api/server'
import { exportDatabaseUrlForSdk, loadPreset } from '../../src/config'
import { createDatabase } from '../../src/db/embedded'
import { applyMigrations } from '../../src/db/migrate'
import { freePort } from '../../src/runtime/ports'
import { ROOT, waitFor } from '../helpers'

let dir: string
let port: number
let pg: ChildProcess | undefined
let api: ApiServer

function startPg(): Promise<string> {
  const child = spawn(process.execPath, [path.join(ROOT, 'lib/db/pg-cli.js'), path.join(dir, 'data'), String(port), 'fast'], { stdio: ['pipe', 'pipe', 'pipe'] })
  pg = child
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n').find((l) => l.startsWith('{'))
      if (line) resolve((JSON.parse(line) as { url: string }).url)
    })
    child.on('exit', (code) => reject(new Error(`postgres exited ${code}`)))
  })
}

function stopPg(): Promise<void> {
  return new Promise((resolve) => {
    if (!pg || pg.exitCode !== null) return resolve()
    pg.once('exit', () => resolve())
    pg.kill('SIGINT')
  })
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icn-db-restart-'))
  fs.chmodSync(dir, 0o755)
  port = await freePort()
  const admin = await startPg()
  const url = await createDatabase(admin, 'restart_test', true)
  exportDatabaseUrlForSdk(url)
  await applyMigrations()
  api = await startApiServer({ databaseUrl: url, preset: loadPreset('devnet'), host: '127.0.0.1', port: 0 })
})

afterAll(async () => {
  await api?.close()
  await stopPg()
  fs.rmSync(dir, { recursive: true, force: true })
})

async function query(): Promise<{ status: number; body: { data?: unknown; errors?: { extensions?: { code?: string } }[] } }> {
  const r = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ _meta { undecodedLogs } accounts(first: 1) { nodes { id } } }' }) })
  return { status: r.status, body: (await r.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } }
}

test('503 with a code while the database is away, and back on its own', async () => {
  expect((await query()).status).toBe(200)
  await stopPg()

  const away = await query()
  expect(away.status).toBe(503)
  expect(away.body.errors?.[0].extensions?.code).toBe('DATABASE_UNAVAILABLE')
  const total = await fetch(`${api.url}/supply/total`)
  expect(total.status).toBe(503)
  expect((await fetch(`${api.url}/readyz`)).status).toBe(503)
  expect((await fetch(`${api.url}/healthz`)).status).toBe(200)

  await startPg()
  const back = await waitFor('the API to answer again', async () => {
    const q = await query()
    return q.status === 200 && !q.body.errors ? q : undefined
  }, 60_000)
  expect(back.body.data).toEqual({ _meta: { undecodedLogs: 0 }, accounts: { nodes: [] } })
})
