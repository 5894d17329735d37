/**
 * docker-compose's read-only role script (db/compose/10-api-readonly-role.sh),
 * run as the postgres image runs it (psql, before the migrations) against a
 * real Postgres: the role reads every table the migrations create (a
 * multi-chain network's chain schemas too), and cannot write.
 */
import { spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import path from 'node:path'
import { Client } from 'pg'
import { exportDatabaseUrlForSdk } from '../../src/config'
import { applyMigrations } from '../../src/db/migrate'
import { prepareChain } from '../../src/runtime/supervisor'
import { ROOT, testDatabase } from '../helpers'

const psql = spawnSync('psql', ['--version']).status === 0

;(psql ? describe : describe.skip)('docker-compose read-only role', () => {
  test('reads what the migrations create, writes nothing', async () => {
    const url = new URL(await testDatabase())
    const role = `t_ro_${crypto.randomBytes(4).toString('hex')}`
    const r = spawnSync('sh', [path.join(ROOT, 'db/compose/10-api-readonly-role.sh')], {
      env: {
        ...process.env,
        PGHOST: url.hostname, PGPORT: url.port, PGPASSWORD: decodeURIComponent(url.password),
        POSTGRES_USER: decodeURIComponent(url.username), POSTGRES_DB: url.pathname.slice(1),
        API_DB_PASSWORD: 'pw-for-test', API_DB_ROLE: role,
      },
      encoding: 'utf8',
    })
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' })
    exportDatabaseUrlForSdk(url.toString())
    await applyMigrations()
    const ro = new URL(url.toString())
    ro.username = role
    ro.password = 'pw-for-test'
    const c = new Client({ connectionString: ro.toString() })
    await c.connect()
    try {
      expect((await c.query('SELECT count(*)::int AS n FROM account')).rows[0].n).toBe(0)
      await expect(c.query(`INSERT INTO block (id, height, hash, timestamp) VALUES ('x', 1, 'h', now())`)).rejects.toThrow(/read-only/)
      await c.query('SET default_transaction_read_only = off')
      await expect(c.query(`INSERT INTO block (id, height, hash, timestamp) VALUES ('x', 1, 'h', now())`)).rejects.toThrow(/permission denied/)
      // A chain of a multi-chain network: its schema and tables, made by the indexer after the script ran, are readable too.
      await prepareChain(url.toString(), 'base')
      expect((await c.query('SELECT count(*)::int AS n FROM chain_base.account')).rows[0].n).toBe(0)
      await expect(c.query(`INSERT INTO chain_base.block (id, height, hash, timestamp) VALUES ('x', 1, 'h', now())`)).rejects.toThrow(/permission denied/)
    } finally {
      await c.end()
    }
  })
})

if (!psql) console.warn('\n*** SKIPPED: docker-compose role script test: no psql on this machine ***\n')
