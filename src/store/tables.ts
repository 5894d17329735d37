/**
 * How each entity's rows travel to and from Postgres on the final path,
 * derived once from the TypeORM metadata of this project's own DataSource
 * (public API: `DataSource.getMetadata`, `driver.normalizeType`), so the
 * columns, their names and their transformers are exactly what the SDK's
 * Store would use:
 *
 * - insert-only tables: `COPY … FROM STDIN` in Postgres's text format;
 * - current-state tables: one `INSERT … SELECT … FROM unnest(…) ON CONFLICT
 *   (id) DO UPDATE` per table, each column one text[] parameter cast to
 *   its type server-side;
 * - reads by id: `SELECT … WHERE id = ANY($1)`, each value through the
 *   column's transformer back into the entity's own class.
 */
import type { DataSource } from 'typeorm'
import type { Entity, EntityClass } from './store'

interface ColumnCodec {
  /** The entity's property, and the column's name in Postgres. */
  prop: string
  name: string
  /** The column's type as a cast (`numeric`, `text[]`, `timestamp with time zone`, ...). */
  cast: string
  /** The value as Postgres's text input form, or null for NULL. */
  text(v: unknown): string | null
  /** Whether its text form may hold a character COPY must escape (numbers, times and booleans never do). */
  escape: boolean
  /** A value as pg returns it, as the entity holds it. */
  read(v: unknown): unknown
}

export class Table {
  readonly name: string
  readonly columns: ColumnCodec[]
  readonly copySql: string
  readonly upsertSql: string
  readonly byIdsSql: string

  constructor(
    readonly entity: string,
    table: string,
    columns: ColumnCodec[],
  ) {
    this.name = table
    this.columns = columns
    const q = (n: string) => `"${n.replace(/"/g, '""')}"`
    const names = columns.map((c) => q(c.name)).join(', ')
    this.copySql = `COPY ${q(table)} (${names}) FROM STDIN`
    const params = columns.map((_, i) => `$${i + 1}::text[]`).join(', ')
    const casts = columns.map((c) => `u.${q(c.name)}::${c.cast}`).join(', ')
    const sets = columns.filter((c) => c.name !== 'id').map((c) => `${q(c.name)} = EXCLUDED.${q(c.name)}`)
    this.upsertSql =
      `INSERT INTO ${q(table)} (${names}) SELECT ${casts} FROM unnest(${params}) AS u(${names}) ` +
      `ON CONFLICT ("id") DO ${sets.length ? `UPDATE SET ${sets.join(', ')}` : 'NOTHING'}`
    this.byIdsSql = `SELECT ${names} FROM ${q(table)} WHERE "id" = ANY($1::text[])`
  }

  /** Rows in COPY's text format: tab-separated, one line each, `\N` for NULL. */
  copyText(rows: readonly Entity[]): string {
    const lines = new Array<string>(rows.length)
    const n = this.columns.length
    for (let r = 0; r < rows.length; r++) {
      const e = rows[r] as unknown as Record<string, unknown>
      let line = ''
      for (let i = 0; i < n; i++) {
        const c = this.columns[i]
        const t = c.text(e[c.prop])
        line += (i ? '\t' : '') + (t === null ? '\\N' : c.escape ? copyEscape(t) : t)
      }
      lines[r] = line
    }
    return lines.join('\n') + '\n'
  }

  /** One text[] parameter per column, for the upsert. */
  upsertParams(rows: readonly Entity[]): (string | null)[][] {
    return this.columns.map((c) => rows.map((e) => c.text((e as unknown as Record<string, unknown>)[c.prop])))
  }

  /** A row as pg returns it, as an instance of the entity's class. */
  hydrate<E extends Entity>(cls: EntityClass<E>, row: Record<string, unknown>): E {
    const e = new cls() as unknown as Record<string, unknown>
    for (const c of this.columns) e[c.prop] = c.read(row[c.name])
    return e as unknown as E
  }
}

/** COPY text format: backslash, newline, carriage return and tab escaped. */
function copyEscape(s: string): string {
  return /[\\\n\r\t]/.test(s) ? s.replace(/[\\\n\r\t]/g, (ch) => COPY_ESCAPES[ch]) : s
}
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/** An element of an array literal, double-quoted. */
const arrayElement = (s: string | null) => (s === null ? 'NULL' : `"${s.replace(/[\\"]/g, '\\$&')}"`)

function scalarText(type: string): (v: unknown) => string {
  switch (type) {
    case 'boolean':
      return (v) => (v ? 't' : 'f')
    case 'timestamp with time zone':
      return (v) => (v as Date).toISOString()
    case 'jsonb':
      return (v) => JSON.stringify(v)
    case 'character varying':
    case 'text':
    case 'integer':
    case 'numeric':
      return (v) => String(v)
    default:
      throw new Error(`column type ${type} is not supported by the final writer`)
  }
}

/** Every entity's Table, from the DataSource's metadata. */
export class Tables {
  private readonly byEntity = new Map<string, Table>()

  constructor(ds: DataSource) {
    for (const meta of ds.entityMetadatas) {
      const columns = meta.columns.map((c): ColumnCodec => {
        const tr = c.transformer
        if (Array.isArray(tr)) throw new Error(`${meta.name}.${c.propertyName}: several transformers are not supported`)
        const type = ds.driver.normalizeType(c)
        const scalar = scalarText(type)
        const value = c.isArray
          ? (v: unknown) => `{${(v as unknown[]).map((x) => arrayElement(x == null ? null : scalar(x))).join(',')}}`
          : scalar
        // bigints are most values written: their transformer only calls toString, so it is skipped for them.
        const text = tr
          ? (v: unknown) => {
              if (typeof v === 'bigint') return v.toString()
              const x = tr.to(v) as unknown
              return x == null ? null : value(x)
            }
          : (v: unknown) => (v == null ? null : value(v))
        return {
          prop: c.propertyName,
          name: c.databaseName,
          cast: c.isArray ? `${type}[]` : type,
          escape: c.isArray || type === 'text' || type === 'character varying' || type === 'jsonb',
          text,
          read: (v) => (v == null ? null : tr ? (tr.from(v) as unknown) : v),
        }
      })
      this.byEntity.set(meta.name, new Table(meta.name, meta.tableName, columns))
    }
  }

  /** The table of an entity class, by the class's name (the SDK's DataSource may load another copy of the model). */
  of(cls: { name: string }): Table {
    const t = this.byEntity.get(cls.name)
    if (!t) throw new Error(`no table for entity ${cls.name}`)
    return t
  }

  /**
   * Versions (EntityVersion.state) name each column by the SDK's snake-case
   * rule (src/store/state.ts columnName); refuse to start if this DataSource
   * names any versioned column otherwise.
   */
  checkVersionColumns(tables: readonly string[], columnName: (prop: string) => string): void {
    for (const t of this.byEntity.values()) {
      if (!tables.includes(t.name)) continue
      for (const c of t.columns) if (columnName(c.prop) !== c.name) throw new Error(`${t.entity}.${c.prop} is column "${c.name}", not "${columnName(c.prop)}": entity versions would not read back`)
    }
  }

  names(): string[] {
    return [...this.byEntity.values()].map((t) => t.name)
  }
}
