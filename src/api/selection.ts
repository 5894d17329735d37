/**
 * A page reads only the columns its query asks for. A list's select list is
 * the whole row; parsing and holding every column of every row (seventeen for
 * a delegation, a timestamp among them) was most of a nested query's time.
 * `narrow` keeps the columns the connection's `nodes { … }` and
 * `edges { node { … } }` need: each field's own column, the columns its
 * resolver reads (READS), the row's id and its sort key (whatever the list's
 * keyOf reads). Anything it cannot account for (a field that is neither a
 * column nor in READS, a resolver that reads the whole row) keeps the whole
 * select list, so a missing entry costs speed, never a wrong answer.
 */
import { FieldNode, getNamedType, GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql'
import type { ListSpec } from './sql/list'

/** The whole row. */
const ALL = 'all'

/**
 * GraphQL fields whose resolver reads other columns than the one of its own
 * name (any other field is read by graphql's default resolver from the
 * column of its name).
 */
const READS: Record<string, Record<string, readonly string[] | typeof ALL>> = {
  Account: {
    balance: ['balance', 'id'],
    balanceFormatted: ['balance', 'id'],
    transfers: ['id'],
    delegations: ['id'],
    vestingSchedules: ['id'],
    bookings: ['id'],
    nodes: ['id'],
    stakingHistory: ['id'],
  },
  Transfer: { valueFormatted: ['value'], fromAccount: ['from'], toAccount: ['to'] },
  Node: { id: ['nodeId'], hardwareProvider: ['hardwareProvider'], bookedCapacity: ['id'], delegations: ['id'], bookings: ['id'], eras: ['id'], performance: ALL },
  Delegation: { delegator: ['delegator'], node: ['nodeId'], amountFormatted: ['amount'], events: ['id'] },
  StakingEvent: { nodeId: ['nodeId'], amountFormatted: ['amount'] },
  VestingSchedule: { id: ['scheduleId'], beneficiary: ['beneficiary'] },
  Booking: { id: ['bookingId'], node: ['nodeId'], serviceProvider: ['serviceProvider'], priceFormatted: ['price'] },
  HyperNode: { id: ['hyperNodeId'], deviation: ['id'] },
  SlaAttestation: { nodeId: ['nodeId'], hyperNodeId: ['hyperNodeId'], node: ['nodeId'], hyperNode: ['hyperNodeId'] },
}

interface Column {
  alias: string
  sql: string
}

/** A select list's items split at top-level commas, each with the name it is output under. */
function columnsOf(select: string): Column[] {
  const items: string[] = []
  let depth = 0
  let start = 0
  let quoted = false
  for (let i = 0; i < select.length; i++) {
    const c = select[i]
    if (c === '"') quoted = !quoted
    else if (quoted) continue
    else if (c === '(') depth += 1
    else if (c === ')') depth -= 1
    else if (c === ',' && depth === 0) {
      items.push(select.slice(start, i))
      start = i + 1
    }
  }
  items.push(select.slice(start))
  return items.map((raw) => {
    const sql = raw.trim()
    const as = /\s+AS\s+"?([A-Za-z_][A-Za-z0-9_]*)"?$/i.exec(sql)
    // Without AS: a plain (possibly qualified) column, output under its name.
    const alias = as ? as[1] : sql.slice(sql.lastIndexOf('.') + 1).replace(/"/g, '')
    return { alias, sql }
  })
}

const parsed = new Map<string, Column[]>()
function columns(select: string): Column[] {
  let c = parsed.get(select)
  if (!c) {
    c = columnsOf(select)
    // The select lists are constants: a handful of texts.
    if (parsed.size < 1000) parsed.set(select, c)
  }
  return c
}

/** The row fields a list's keyOf reads (it is a pure function of the row: a recording stand-in finds them). */
function keyColumns<R>(spec: ListSpec<R>): string[] {
  const read: string[] = []
  const probe = new Proxy({}, { get: (_t, k) => (typeof k === 'string' && read.push(k), '0') })
  spec.keyOf(probe as R)
  return read
}

/** Calls `onField` on each field of a selection set, fragments spread in; false as soon as it does, or a fragment is missing. */
function everyField(set: SelectionSetNode | undefined, info: GraphQLResolveInfo, onField: (f: FieldNode) => boolean): boolean {
  for (const s of set?.selections ?? []) {
    if (s.kind === Kind.FIELD) {
      if (!onField(s)) return false
    } else {
      const inner = s.kind === Kind.INLINE_FRAGMENT ? s.selectionSet : info.fragments[s.name.value]?.selectionSet
      if (!inner || !everyField(inner, info, onField)) return false
    }
  }
  return true
}

/** Field names asked for on the list's rows (under `nodes` and `edges { node }`), or undefined when they cannot be told. */
function rowFields(info: GraphQLResolveInfo): Set<string> | undefined {
  const out = new Set<string>()
  const onRows = (set: SelectionSetNode | undefined) =>
    everyField(set, info, (f) => {
      if (f.name.value !== '__typename') out.add(f.name.value)
      return true
    })
  const onConnection = (set: SelectionSetNode | undefined) =>
    everyField(set, info, (f) => {
      if (f.name.value === 'nodes') return onRows(f.selectionSet)
      if (f.name.value === 'edges') return everyField(f.selectionSet, info, (e) => e.name.value !== 'node' || onRows(e.selectionSet))
      return true
    })
  return info.fieldNodes.every((f) => onConnection(f.selectionSet)) ? out : undefined
}

/** The select list of `spec` narrowed to what `info`'s connection field asks of its rows, or undefined to keep it whole. */
function narrowed<R>(spec: ListSpec<R>, info: GraphQLResolveInfo): string | undefined {
  const fields = rowFields(info)
  if (!fields) return undefined
  const reads = READS[getNamedType(info.returnType).name.replace(/Connection$/, '')] ?? {}
  const want = new Set<string>(['id', ...keyColumns(spec)])
  for (const f of fields) {
    const r = reads[f] ?? [f]
    if (r === ALL) return undefined
    for (const c of r) want.add(c)
  }
  const all = columns(spec.select)
  const kept = all.filter((c) => want.has(c.alias))
  // A wanted name that is no column (a computed field READS does not know): read the whole row.
  if (kept.length < want.size || kept.length === all.length) return undefined
  return kept.map((c) => c.sql).join(', ')
}

/**
 * Narrowed select lists per field selection: graphql-js hands every parent
 * of a list the same fieldNodes array, so a nested connection under a page of
 * a hundred nodes is worked out once. Keyed by the list and order (which fix
 * the sort key) and the whole select list.
 */
const memo = new WeakMap<GraphQLResolveInfo['fieldNodes'], Map<string, string | undefined>>()

/** Off: every page reads whole rows (what the tests hold narrowed answers against). */
export const narrowing = { on: true }

/** The list reading only what the connection field being resolved asks for of its rows (or the list unchanged). */
export function narrow<R>(spec: ListSpec<R>, info: GraphQLResolveInfo): ListSpec<R> {
  if (!narrowing.on) return spec
  let bySpec = memo.get(info.fieldNodes)
  if (!bySpec) memo.set(info.fieldNodes, (bySpec = new Map()))
  const key = `${spec.name}\n${spec.select}`
  let select = bySpec.get(key)
  if (select === undefined && !bySpec.has(key)) bySpec.set(key, (select = narrowed(spec, info)))
  return select === undefined ? spec : { ...spec, select }
}
