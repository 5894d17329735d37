/**
 * Keyset pages over one table (or a UNION ALL of index scans), for every
 * list of the API. SQL text is assembled only from constant fragments
 * declared in the repository modules; every value a client sends is a bound
 * parameter (`Params.add`), never text.
 */
import type { Db } from './db'

/** Bound parameters of one statement: `add` returns the placeholder. */
export class Params {
  readonly values: unknown[] = []
  add(v: unknown, cast?: string): string {
    this.values.push(v)
    return `$${this.values.length}${cast ? `::${cast}` : ''}`
  }
}

/**
 * A sort: constant column expressions with their casts, all in one direction;
 * the last is unique. Qualify a column the select list also outputs under its
 * own name but converted (e.g. account.balance beside "balance::text AS balance"):
 * ORDER BY would otherwise sort the text.
 */
export interface Order {
  cols: readonly string[]
  casts: readonly string[]
  desc: boolean
}

/**
 * The key of a nested list's parent (an account, a node) in its SQL: a value,
 * bound as a parameter, or, when one statement pages many parents at once,
 * PARENT_KEY, the key column of the parents' unnest.
 */
export type Key = string | { readonly sql: string }
export const PARENT_KEY: Key = { sql: 'k.parent_key' }
export const keyExpr = (p: Params, k: Key): string => (typeof k === 'string' ? p.add(k, 'text') : k.sql)

/** One branch of a merged list: a constant FROM and its own conditions. */
export interface Branch {
  from: string
  where: string[]
}

export interface ListSpec<R> {
  /** The list and its order (e.g. `nodes:DELEGATED_STAKE_DESC`): its cursors carry it, and are refused by any other list. */
  name: string
  /** Constant select list (must produce every column `keyOf` reads). */
  select: string
  /**
   * Constant FROM source (a table, or a subquery built of constants and
   * placeholders). With `branches`, the name the merged branches go by.
   */
  from: (p: Params) => string
  /**
   * Sources with the same columns, merged in list order (e.g. an account's
   * transfers as sender and as receiver). The filters, the keyset bound, the
   * sort and the limit are applied inside each branch, so each is an ordered
   * index scan that stops after one page, whatever the depth of the page or
   * the size of the parent; the planner does not push a LIMIT into a UNION
   * ALL by itself and would otherwise read and sort every row of the parent.
   */
  branches?: (p: Params) => Branch[]
  /** Filter fragments (constants and placeholders). */
  where: (p: Params) => string[]
  order: Order
  /** The row's sort key, as strings, in `order.cols` order. */
  keyOf: (row: R) => string[]
}

export interface KeysetPage {
  after?: string[]
  before?: string[]
  /** Rows to fetch (page size + 1). */
  limit: number
  backward: boolean
}

function keysetWhere(p: Params, order: Order, after: string[] | undefined, before: string[] | undefined): string[] {
  const out: string[] = []
  const tuple = `(${order.cols.join(', ')})`
  const vals = (k: string[]) => `(${k.map((v, i) => p.add(v, order.casts[i])).join(', ')})`
  // "after" in list order: smaller keys when descending.
  if (after) out.push(`${tuple} ${order.desc ? '<' : '>'} ${vals(after)}`)
  if (before) out.push(`${tuple} ${order.desc ? '>' : '<'} ${vals(before)}`)
  return out
}

function orderBy(order: Order, reverse: boolean): string {
  const desc = order.desc !== reverse
  return order.cols.map((c) => `${c} ${desc ? 'DESC' : 'ASC'}`).join(', ')
}

const whereClause = (conds: string[]) => (conds.length ? ` WHERE ${conds.join(' AND ')}` : '')

/**
 * The source of a page: the spec's FROM with the conditions, or its branches
 * each with the conditions (and, given `tail`, its own sort and limit) as one
 * UNION ALL under the spec's name.
 */
function source<R>(spec: ListSpec<R>, p: Params, conds: (p: Params) => string[], tail = ''): { from: string; where: string[] } {
  const from = spec.from(p)
  if (!spec.branches) return { from, where: conds(p) }
  const branches = spec.branches(p)
  // The conditions' placeholders are bound once and repeated in every branch.
  const where = conds(p)
  return { from: `(${branches.map((b) => `(SELECT * FROM ${b.from}${whereClause([...b.where, ...where])}${tail})`).join(' UNION ALL ')}) ${from}`, where: [] }
}

/** One page in list order (a backward page is read from the end, then reversed). */
export async function keysetPage<R extends object>(db: Db, spec: ListSpec<R>, page: KeysetPage): Promise<R[]> {
  const p = new Params()
  const ob = orderBy(spec.order, page.backward)
  const limit = p.add(page.limit, 'int')
  const { from, where } = source(spec, p, (q) => [...spec.where(q), ...keysetWhere(q, spec.order, page.after, page.before)], ` ORDER BY ${ob} LIMIT ${limit}`)
  const sql = `SELECT ${spec.select} FROM ${from}${whereClause(where)} ORDER BY ${ob} LIMIT ${limit}`
  const rows = await db.query<R & Record<string, unknown>>(sql, p.values)
  return page.backward ? rows.reverse() : rows
}

export async function keysetCount<R>(db: Db, spec: ListSpec<R>): Promise<number> {
  const p = new Params()
  const { from, where } = source(spec, p, (q) => spec.where(q))
  const rows = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${from}${whereClause(where)}`, p.values)
  return Number(rows[0].n)
}

/**
 * The same page for many parents in one statement (a LATERAL join per
 * parent id): what a DataLoader batches nested connections with. `spec` is
 * built for PARENT_KEY, so its FROM, branches and conditions name each
 * parent's key.
 */
export async function keysetPagesByParent<R extends object>(db: Db, spec: ListSpec<R>, parents: readonly string[], page: KeysetPage): Promise<Map<string, R[]>> {
  const p = new Params()
  const ids = p.add([...parents], 'text[]')
  const ob = orderBy(spec.order, page.backward)
  const limit = p.add(page.limit, 'int')
  const { from, where } = source(spec, p, (q) => [...spec.where(q), ...keysetWhere(q, spec.order, page.after, page.before)], ` ORDER BY ${ob} LIMIT ${limit}`)
  const sql = `SELECT x.* FROM unnest(${ids}) WITH ORDINALITY AS k(parent_key, ord) CROSS JOIN LATERAL (
      SELECT ${spec.select}, k.parent_key AS parent_key, row_number() OVER (ORDER BY ${ob}) AS parent_rank
      FROM ${from}${whereClause(where)} ORDER BY ${ob} LIMIT ${limit}) x
    ORDER BY k.ord, x.parent_rank`
  const rows = await db.query<R & { parent_key: string; parent_rank: string }>(sql, p.values)
  const out = new Map<string, R[]>(parents.map((k) => [k, []]))
  for (const r of rows) {
    const { parent_key, parent_rank: _rank, ...row } = r
    out.get(parent_key)!.push(row as unknown as R)
  }
  if (page.backward) for (const v of out.values()) v.reverse()
  return out
}

/** Each parent's row count of a nested list (its totalCount), in one statement; `spec` as for keysetPagesByParent. */
export async function keysetCountsByParent<R>(db: Db, spec: ListSpec<R>, parents: readonly string[]): Promise<Map<string, number>> {
  const p = new Params()
  const ids = p.add([...parents], 'text[]')
  const { from, where } = source(spec, p, (q) => spec.where(q))
  const rows = await db.query<{ parent_key: string; n: string }>(
    `SELECT k.parent_key, (SELECT count(*) FROM ${from}${whereClause(where)})::text AS n FROM unnest(${ids}) AS k(parent_key)`,
    p.values,
  )
  return new Map(rows.map((r) => [r.parent_key, Number(r.n)]))
}
