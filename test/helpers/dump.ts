/**
 * A canonical dump of everything the indexer stores, so that two databases
 * indexed differently (in one run or across crashes, on a straight chain or
 * through reorgs) can be held equal row by row.
 *
 * Generic on purpose: every base table of the `public` schema (or a chain's) is dumped, so an
 * entity added to schema.graphql is covered without touching this file. The
 * SDK's own bookkeeping (`squid_processor` schema: cursor, hot blocks, change
 * log) and the `migrations` table are not part of the index and are left out.
 */
import { Client, types } from 'pg'

/** Columns whose value depends on the run, not on the chain indexed: `table.column` → why. */
const RUN_DEPENDENT: Record<string, string> = {
  // The chain head as last seen by the processor: it records when the
  // processor happened to poll, not what the chain holds, so two correct runs
  // over the same chain may differ here.
  'indexer_status.chain_head': 'head as last seen by the processor',
}

/** Tables that are not index data. */
const EXCLUDED_TABLES = new Set(['migrations'])

// Leave every value as Postgres' own text form except the types whose text
// form depends on the session (time zone, date style): those are parsed below.
const AS_TEXT = { getTypeParser: () => (v: string) => v }
const TIMESTAMPTZ = 1184
const TIMESTAMP = 1114

/** One value in a form that does not depend on the session or the driver. */
function canonicalValue(v: string | null, typeId: number): string | null {
  if (v === null) return null
  if (typeId === TIMESTAMPTZ) return (types.getTypeParser(TIMESTAMPTZ)(v) as Date).toISOString()
  // A timestamp without zone is read as UTC so its ISO form is what was stored.
  if (typeId === TIMESTAMP) return new Date(v.replace(' ', 'T') + 'Z').toISOString()
  return v
}

interface TableInfo {
  name: string
  columns: string[]
  /** ORDER BY terms: the primary key. */
  order: string[]
}

async function tables(c: Client, schema: string): Promise<TableInfo[]> {
  const names = await c.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name COLLATE "C"`,
    [schema],
  )
  const out: TableInfo[] = []
  for (const { table_name: name } of names.rows) {
    if (EXCLUDED_TABLES.has(name)) continue
    const cols = await c.query<{ column_name: string; collatable: boolean }>(
      `SELECT column_name, collation_name IS NOT NULL AS collatable FROM information_schema.columns
        WHERE table_schema = $2 AND table_name = $1 ORDER BY column_name COLLATE "C"`,
      [name, schema],
    )
    const key = await c.query<{ column_name: string }>(
      `SELECT a.attname AS column_name
         FROM pg_index i
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = format('%I.%I', $2::text, $1::text)::regclass AND i.indisprimary
        ORDER BY array_position(i.indkey, a.attnum)`,
      [name, schema],
    )
    const all = cols.rows.filter((r) => !(`${name}.${r.column_name}` in RUN_DEPENDENT))
    // Text keys sort in byte order, so the database's collation cannot change the order.
    const orderBy = (r: { column_name: string; collatable: boolean }) => c.escapeIdentifier(r.column_name) + (r.collatable ? ' COLLATE "C"' : '')
    const keyCols = key.rows.map((k) => cols.rows.find((r) => r.column_name === k.column_name)!)
    // A table without a primary key is ordered by all its columns, so its dump is still stable.
    out.push({ name, columns: all.map((r) => r.column_name), order: (keyCols.length > 0 ? keyCols : all).map(orderBy) })
  }
  return out
}

/**
 * Every row of every index table: `{ table: [row, ...] }`, rows ordered by
 * primary key (byte order, so the collation cannot matter), each row a JSON
 * object with its columns in name order. Numbers and amounts are Postgres'
 * exact text (no float ever), timestamps ISO 8601 in UTC.
 */
export async function canonicalDump(databaseUrl: string, schema = 'public'): Promise<Record<string, string[]>> {
  const c = new Client({ connectionString: databaseUrl })
  await c.connect()
  try {
    const dump: Record<string, string[]> = {}
    for (const t of await tables(c, schema)) {
      const id = (col: string) => c.escapeIdentifier(col)
      const res = await c.query({
        text: `SELECT ${t.columns.map(id).join(', ')} FROM ${id(schema)}.${id(t.name)} ORDER BY ${t.order.join(', ')}`,
        types: AS_TEXT,
      })
      dump[t.name] = res.rows.map((row: Record<string, string | null>) => {
        const o: Record<string, string | null> = {}
        for (const f of res.fields) o[f.name] = canonicalValue(row[f.name], f.dataTypeID)
        return JSON.stringify(o)
      })
    }
    return dump
  } finally {
    await c.end()
  }
}

const MAX_LINES = 50

function rowKey(row: string): string {
  const o = JSON.parse(row) as Record<string, unknown>
  return 'id' in o ? String(o.id) : row
}

/**
 * What differs between two dumps, one line per difference (table, id, column,
 * both values), at most ~50 lines; empty when they are equal.
 */
export function diffDumps(a: Record<string, string[]>, b: Record<string, string[]>): string[] {
  const lines: string[] = []
  let more = 0
  const add = (l: string) => (lines.length < MAX_LINES ? lines.push(l) : (more += 1))
  for (const table of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (!(table in a)) {
      add(`${table}: table only in B (${b[table].length} rows)`)
      continue
    }
    if (!(table in b)) {
      add(`${table}: table only in A (${a[table].length} rows)`)
      continue
    }
    const before = lines.length + more
    const ra = new Map(a[table].map((r) => [rowKey(r), r]))
    const rb = new Map(b[table].map((r) => [rowKey(r), r]))
    if (ra.size !== a[table].length || rb.size !== b[table].length) add(`${table}: duplicate ids in a dump`)
    for (const [key, rowA] of ra) {
      const rowB = rb.get(key)
      if (rowB === undefined) {
        add(`${table} ${key}: only in A: ${rowA}`)
        continue
      }
      if (rowA === rowB) continue
      const oa = JSON.parse(rowA) as Record<string, unknown>
      const ob = JSON.parse(rowB) as Record<string, unknown>
      for (const col of [...new Set([...Object.keys(oa), ...Object.keys(ob)])].sort()) {
        const va = JSON.stringify(oa[col])
        const vb = JSON.stringify(ob[col])
        if (va !== vb) add(`${table} ${key} .${col}: A ${va} B ${vb}`)
      }
    }
    for (const [key, rowB] of rb) if (!ra.has(key)) add(`${table} ${key}: only in B: ${rowB}`)
    // Same rows in a different order: cannot happen with one ordering, but it would be a difference.
    if (lines.length + more === before && a[table].join('\n') !== b[table].join('\n')) add(`${table}: same rows, different order`)
  }
  if (more > 0) lines.push(`... and ${more} more differences`)
  return lines
}
