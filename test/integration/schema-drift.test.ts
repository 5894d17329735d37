/**
 * The migrations and the model agree: on a database with every migration
 * applied, `npm run migration:generate` (squid-typeorm-migration generate,
 * comparing lib/model with the database) proposes nothing. A generated file,
 * if any, is removed again and the test fails naming it.
 */
import fs from 'node:fs'
import path from 'node:path'
import { ROOT, runNode, testDatabase } from '../helpers'

test('a generated migration proposes nothing', async () => {
  const url = await testDatabase()
  const env = { ...process.env, DB_URL: url, DATABASE_URL: url }
  const applied = await runNode([path.join(ROOT, 'node_modules/@subsquid/typeorm-migration/bin/squid-typeorm-migration-apply')], env)
  expect(applied.code).toBe(0)
  const dir = path.join(ROOT, 'db/migrations')
  const before = new Set(fs.readdirSync(dir))
  const r = await runNode([path.join(ROOT, 'node_modules/@subsquid/typeorm-migration/bin/squid-typeorm-migration-generate')], env)
  const added = fs.readdirSync(dir).filter((f) => !before.has(f))
  const proposed = added.map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
  for (const f of added) fs.rmSync(path.join(dir, f))
  expect(proposed).toEqual([])
  expect(r.stdout + r.stderr).toContain('No changes in database schema were found')
})
