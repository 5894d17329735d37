/**
 * The write path seen from Postgres's side, on the real indexer:
 * - final batches reach the insert-only tables by COPY and the current-state
 *   tables by one set-based upsert each per commit (pg_stat_statements);
 * - they never go through the SDK's change log: an audit trigger on
 *   hot_change_log records every change the SDK logs, and each one belongs
 *   to a block within the finality depth of the head;
 * - the secondary indexes exist once the index is at the head.
 * The rollback of hot rows on a reorg is test/torture/reorg.test.ts.
 */
import type { Devnet } from '../../src/devnet'
import { DEVNET_FINALITY } from '../../src/devnet/deploy'
import { blockNumber, IndexerProcess, runIndexer, sql, testDatabase, testDevnet, waitForHeight } from '../helpers'

let devnet: Devnet
let dbUrl: string
let indexer: IndexerProcess
let head: number

const INSERT_ONLY = ['block', 'transfer', 'sla_attestation', 'delegation_event', 'node_status_change', 'supply_checkpoint', 'tokens_release', 'booking_event', 'reward_claim']
const CURRENT = ['account', 'node', 'delegation', 'node_era', 'vesting_schedule']

beforeAll(async () => {
  devnet = await testDevnet({ eras: 150, seed: 5 })
  head = await blockNumber(devnet.anvil.rpc)
  dbUrl = await testDatabase()
  await sql(dbUrl, `CREATE EXTENSION IF NOT EXISTS pg_stat_statements`)
  // The SDK's change log, made before the indexer starts (its own CREATE ... IF NOT EXISTS then keeps
  // it), so that an audit trigger sees every change it ever logs, including the ones deleted at finality.
  await sql(dbUrl, `CREATE SCHEMA squid_processor`)
  await sql(dbUrl, `CREATE TABLE squid_processor.hot_block (height int4 primary key, hash text not null)`)
  await sql(dbUrl, `CREATE TABLE squid_processor.hot_change_log (block_height int4 not null references squid_processor.hot_block on delete cascade, index int4 not null, change jsonb not null, PRIMARY KEY (block_height, index))`)
  await sql(dbUrl, `CREATE TABLE change_audit (block_height int4 not null, change jsonb not null)`)
  await sql(dbUrl, `CREATE FUNCTION audit_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO change_audit VALUES (NEW.block_height, NEW.change); RETURN NEW; END $$`)
  await sql(dbUrl, `CREATE TRIGGER audit AFTER INSERT ON squid_processor.hot_change_log FOR EACH ROW EXECUTE FUNCTION audit_change()`)
  indexer = runIndexer({ RPC_URL: devnet.anvil.url, DATABASE_URL: dbUrl })
  await waitForHeight(dbUrl, head, indexer)
})

afterAll(async () => {
  await indexer?.stop()
  await devnet?.stop()
})

interface Stat {
  query: string
  calls: string
  rows: string
}

async function statements(): Promise<Stat[]> {
  return sql<Stat>(dbUrl, `SELECT query, calls::text, rows::text FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`)
}

const count = async (table: string, where = 'true', params: unknown[] = []) => Number((await sql<{ n: string }>(dbUrl, `SELECT count(*)::text AS n FROM "${table}" WHERE ${where}`, params))[0].n)

describe('the final write path, from Postgres', () => {
  test('insert-only tables are written by COPY: every row of a final block came that way', async () => {
    const stats = await statements()
    // Blocks the SDK's finalized head had reached when the hot path took over: the rows above it went through the Store.
    const [{ first_hot }] = await sql<{ first_hot: number | null }>(dbUrl, `SELECT min(block_height) AS first_hot FROM change_audit`)
    expect(first_hot).not.toBeNull()
    for (const table of INSERT_ONLY) {
      const copy = stats.filter((s) => s.query.startsWith(`COPY "${table}" (`) && s.query.endsWith('FROM STDIN'))
      const copied = copy.reduce((n, s) => n + Number(s.rows), 0)
      const final = await count(table, `"${table === 'block' ? 'height' : 'block_number'}" < $1`, [first_hot])
      expect({ table, copied, some: final > 0 }).toEqual({ table, copied: final, some: true })
    }
  })

  test('current-state tables: one set-based upsert per table and commit', async () => {
    const stats = await statements()
    const commits = stats.filter((s) => s.query.startsWith('UPDATE squid_processor.status SET height = $1'))
    expect(commits).toHaveLength(1)
    const n = Number(commits[0].calls)
    expect(n).toBeGreaterThan(0)
    for (const table of CURRENT) {
      const upserts = stats.filter((s) => s.query.startsWith(`INSERT INTO "${table}" (`) && s.query.includes('FROM unnest('))
      expect({ table, statements: upserts.length }).toEqual({ table, statements: 1 })
      const calls = Number(upserts[0].calls)
      expect({ table, atMostOnePerCommit: calls <= n, some: calls > 0 }).toEqual({ table, atMostOnePerCommit: true, some: true })
    }
  })

  test('the SDK change log holds hot blocks only: no change of a final batch was ever logged', async () => {
    const audit = await sql<{ block_height: number; n: string }>(dbUrl, `SELECT block_height, count(*)::text AS n FROM change_audit GROUP BY 1 ORDER BY 1`)
    expect(audit.length).toBeGreaterThan(0)
    // The chain did not move during the sync: only its last `finality` blocks were ever hot.
    for (const a of audit) expect({ block: a.block_height, hot: a.block_height > head - DEVNET_FINALITY }).toEqual({ block: a.block_height, hot: true })
    // And a transfer the change log names was inserted in that very block.
    const logged = await sql<{ block_height: number; id: string }>(dbUrl, `SELECT block_height, change->>'id' AS id FROM change_audit WHERE change->>'table' = 'transfer' AND change->>'kind' = 'insert'`)
    for (const l of logged) expect(Number(l.id.slice(0, 10))).toBe(l.block_height)
  })

  test('the secondary indexes dropped for the sync exist again at the head, and nothing is left deferred', async () => {
    const [{ n }] = await sql<{ n: string }>(dbUrl, `SELECT count(*)::text AS n FROM icn_indexer.deferred_index`)
    expect(n).toBe('0')
    const idx = await sql<{ indexname: string }>(dbUrl, `SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'transfer' ORDER BY 1`)
    // The primary key and the four declared in schema.graphql (block number, timestamp, from+id, to+id).
    expect(idx).toHaveLength(5)
    const plan = await sql<{ 'QUERY PLAN': string }>(dbUrl, `EXPLAIN SELECT id FROM transfer WHERE from_id = 'x' ORDER BY id LIMIT 5`)
    expect(plan.map((p) => p['QUERY PLAN']).join('\n')).toMatch(/Index/)
  })
})
