/**
 * The API while its database restarts: coded 503s while the server is away
 * (GraphQL and REST), /readyz not ready, /healthz up; and it recovers on its
 * own when the server is back, with no restart of the API.
 */
import { ApiServer, startApiServer } from '../../src/api/server'
import { exportDatabaseUrlForSdk, loadPreset } from '../../src/config'
import { createDatabase } from '../../src/db/embedded'
import { applyMigrations } from '../../src/db/migrate'
import { waitFor } from '../helpers'
import { OwnPostgres } from '../helpers/own-pg'

let pg: OwnPostgres
let api: ApiServer

beforeAll(async () => {
  pg = await OwnPostgres.create()
  const admin = await pg.start()
  const url = await createDatabase(admin, 'restart_test', true)
  exportDatabaseUrlForSdk(url)
  await applyMigrations()
  api = await startApiServer({ databaseUrl: url, preset: loadPreset('devnet'), host: '127.0.0.1', port: 0 })
})

afterAll(async () => {
  await api?.close()
  await pg?.destroy()
})

async function query(): Promise<{ status: number; body: { data?: unknown; errors?: { extensions?: { code?: string } }[] } }> {
  const r = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ _meta { undecodedLogs } accounts(first: 1) { nodes { id } } }' }) })
  return { status: r.status, body: (await r.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } }
}

test('503 with a code while the database is away, and back on its own', async () => {
  expect((await query()).status).toBe(200)
  await pg.stop()

  const away = await query()
  expect(away.status).toBe(503)
  expect(away.body.errors?.[0].extensions?.code).toBe('DATABASE_UNAVAILABLE')
  const total = await fetch(`${api.url}/supply/total`)
  expect(total.status).toBe(503)
  expect((await fetch(`${api.url}/readyz`)).status).toBe(503)
  expect((await fetch(`${api.url}/healthz`)).status).toBe(200)

  await pg.start()
  const back = await waitFor('the API to answer again', async () => {
    const q = await query()
    return q.status === 200 && !q.body.errors ? q : undefined
  }, 60_000)
  expect(back.body.data).toEqual({ _meta: { undecodedLogs: 0 }, accounts: { nodes: [] } })
})
