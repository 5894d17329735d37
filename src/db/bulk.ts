/**
 * Bulk writes of a batch's rows: one statement per table and chunk instead of
 * the SDK Store's way through TypeORM's query builder.
 *
 * Why: `Store.insert`/`upsert` build each statement with TypeORM's
 * InsertQueryBuilder, which names, checks and regex-substitutes one parameter
 * per column per row. Indexing a million events, that was most of the
 * indexer's CPU (bench:ingest profile: query building ~30%, plus the garbage
 * it leaves ~17%). Here a chunk of rows goes to Postgres as ONE json
 * parameter, expanded server-side by `json_populate_recordset` into the
 * table's row type: one short statement per chunk, no per-value parameters.
 *
 * What is written is what the Store would write: every column of the entity's
 * TypeORM metadata, each value through the column's own transformer (bigint
 * and float columns to decimal strings), Dates as ISO instants, JSON columns
 * nested, arrays as arrays; an upsert updates every column on an id conflict,
 * as the Store's upsert does.
 *
 * The rows must go through the transaction the processor opened for the
 * batch, and the Store keeps that EntityManager private, so it is read here
 * (pinned @subsquid/typeorm-store 1.5.1). In a hot (unfinalized) block the
 * Store also logs every change for rollback on a reorg; there, and wherever
 * the Store does not look as expected, these functions hand the rows to the
 * Store itself, so reorg safety never depends on this fast path.
 */
import type { Store } from '@subsquid/typeorm-store'
import type { EntityManager } from 'typeorm'

/** Rows per statement: a chunk is one json parameter of a few MB at most. */
const CHUNK = 5000

interface Entity {
  id: string
}

interface Column {
  /** Property of the entity, and the column it is written to. */
  prop: string
  name: string
  to: (v: unknown) => unknown
}

interface TableSql {
  columns: Column[]
  insert: string
  upsert: string
}

/** The SQL of each entity class, derived once from its TypeORM metadata (immutable, so not batch state). */
const tables = new WeakMap<object, TableSql>()

function tableSql(em: EntityManager, cls: object): TableSql {
  let t = tables.get(cls)
  if (t) return t
  const meta = em.connection.getMetadata(cls as never)
  const q = (name: string) => em.connection.driver.escape(name)
  const columns: Column[] = meta.columns.map((c) => {
    const tr = c.transformer
    if (Array.isArray(tr)) throw new Error(`${meta.name}.${c.propertyName}: several transformers are not supported`)
    return { prop: c.propertyName, name: c.databaseName, to: tr ? (v: unknown) => tr.to(v) as unknown : (v: unknown) => v }
  })
  const names = columns.map((c) => q(c.name)).join(', ')
  const table = meta.schema ? `${q(meta.schema)}.${q(meta.tableName)}` : q(meta.tableName)
  const insert = `INSERT INTO ${table} (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${table}, $1::json)`
  const sets = columns.filter((c) => c.name !== 'id').map((c) => `${q(c.name)} = EXCLUDED.${q(c.name)}`)
  const upsert = `${insert} ON CONFLICT (${q('id')}) DO ${sets.length ? `UPDATE SET ${sets.join(', ')}` : 'NOTHING'}`
  t = { columns, insert, upsert }
  tables.set(cls, t)
  return t
}

/** The rows as the json array `json_populate_recordset` reads: keys are column names. */
function toJson(t: TableSql, rows: readonly Entity[]): string {
  const out = new Array<Record<string, unknown>>(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const e = rows[i] as unknown as Record<string, unknown>
    const o: Record<string, unknown> = {}
    for (const c of t.columns) o[c.name] = c.to(e[c.prop])
    out[i] = o
  }
  return JSON.stringify(out)
}

/** The transaction's EntityManager when the Store writes untracked (a finalized batch); otherwise undefined. */
function untrackedManager(store: Store): EntityManager | undefined {
  const s = store as unknown as { em?: unknown; changes?: unknown }
  if (typeof s.em !== 'function' || s.changes != null) return undefined
  return (s.em as () => EntityManager)()
}

async function write(store: Store, rows: readonly Entity[], mode: 'insert' | 'upsert'): Promise<void> {
  if (rows.length === 0) return
  const em = untrackedManager(store)
  if (!em) {
    await (mode === 'insert' ? store.insert([...rows]) : store.upsert([...rows]))
    return
  }
  const t = tableSql(em, rows[0].constructor)
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK)
    for (const r of chunk) if (r.constructor !== rows[0].constructor) throw new Error('bulk writes take rows of one entity class')
    await em.query(mode === 'insert' ? t.insert : t.upsert, [toJson(t, chunk)])
  }
}

/** Inserts new rows of one entity class (facts: they must not exist yet). */
export function insertRows(store: Store, rows: readonly Entity[]): Promise<void> {
  return write(store, rows, 'insert')
}

/** Inserts or fully updates rows of one entity class, by id (each id at most once). */
export function upsertRows(store: Store, rows: readonly Entity[]): Promise<void> {
  return write(store, rows, 'upsert')
}
