import { decodeCursor, encodeCursor } from '../domain/cursor'
import { badInput } from './errors'
import type { KeysetPage, Order } from './sql/list'

export const MAX_PAGE = 1000
export const DEFAULT_PAGE = 100

export interface PageArgs {
  first?: number | null
  after?: string | null
  last?: number | null
  before?: string | null
}

export interface PageRequest extends KeysetPage {
  size: number
  /** The arguments as given, so batched nested pages can be grouped by them. */
  argsKey: string
  /** The list and its direction, carried by every cursor of its pages. */
  tag: string
}

/** What a list's cursors carry besides the sort key: the list, its order and its direction. */
export interface CursorList {
  name: string
  order: Order
}

const listTag = (l: CursorList) => `${l.name}${l.order.desc ? '-' : '+'}`
/** A list asked at a block names it (`nodes:ID@120+`); its cursors are refused at any other block. */
const BLOCK_IN_TAG = /@(\d+)(?=[+-]$)/
const withoutBlock = (tag: string) => tag.replace(BLOCK_IN_TAG, '')
const blockOfTag = (tag: string) => {
  const m = BLOCK_IN_TAG.exec(tag)
  return m ? `at block ${m[1]}` : 'at the indexed head'
}

/** The longest text a sort key column may hold in a cursor (ids and addresses are far shorter). */
const MAX_TEXT_KEY = 200

/** Whether a sort key value has the form of its column's type, as Postgres prints it. */
function keyValueFits(v: string, cast: string): boolean {
  switch (cast) {
    case 'int':
      return /^-?\d{1,10}$/.test(v)
    case 'numeric':
      return /^-?\d{1,80}$/.test(v)
    case 'float8':
      return /^(-?\d{1,20}(\.\d{1,20})?(e[-+]\d{1,3})?|NaN|-?Infinity)$/.test(v)
    default:
      return v.length <= MAX_TEXT_KEY && !v.includes('\u0000')
  }
}

function parseKey(name: 'after' | 'before', cursor: string | null | undefined, list: CursorList): string[] | undefined {
  if (cursor == null) return undefined
  const raw = decodeCursor(cursor)
  let key: unknown
  try {
    key = raw == null ? null : JSON.parse(raw)
  } catch {
    key = null
  }
  const { casts } = list.order
  if (!Array.isArray(key) || key.length !== casts.length + 1 || !key.every((k) => typeof k === 'string')) {
    throw badInput(name, 'is not a cursor returned by this list')
  }
  const [tag, ...values] = key as string[]
  const own = listTag(list)
  if (tag !== own && withoutBlock(tag) === withoutBlock(own)) {
    throw badInput(name, `is a cursor of this list ${blockOfTag(tag)}, not ${blockOfTag(own)}: a list asked at a block pages only at that block`)
  }
  if (tag !== own) throw badInput(name, `is a cursor of another list or order (${tag.slice(0, 60)}), not of this one (${listTag(list)})`)
  if (!values.every((v, i) => keyValueFits(v, casts[i]))) throw badInput(name, 'is not a cursor returned by this list')
  return values
}

/**
 * Validates Relay arguments for a list (its cursors name it and its order,
 * and their sort key is checked against the order's column types); every
 * error names the argument.
 */
export function pageRequest(args: PageArgs, list: CursorList): PageRequest {
  if (args.first != null && args.last != null) throw badInput('first', 'give either first or last, not both')
  for (const name of ['first', 'last'] as const) {
    const v = args[name]
    if (v != null && (v < 0 || v > MAX_PAGE)) throw badInput(name, `must be between 0 and ${MAX_PAGE} (got ${v})`)
  }
  const backward = args.last != null || (args.before != null && args.first == null)
  const size = (backward ? args.last : args.first) ?? DEFAULT_PAGE
  return {
    limit: size + 1,
    size,
    after: parseKey('after', args.after, list),
    before: parseKey('before', args.before, list),
    backward,
    argsKey: JSON.stringify([args.first ?? null, args.after ?? null, args.last ?? null, args.before ?? null]),
    tag: listTag(list),
  }
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[]
  nodes: T[]
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }
  /** Runs only when the client asks for totalCount. */
  totalCount?: () => Promise<number>
}

export const cursorOf = (tag: string, key: string[]) => encodeCursor(JSON.stringify([tag, ...key]))

/**
 * Builds a connection from rows fetched in page order with one extra row
 * (for a backward page the extra row is the first one).
 */
export function connection<T>(rows: T[], req: PageRequest, keyOf: (row: T) => string[], totalCount?: () => Promise<number>): Connection<T> {
  const more = rows.length > req.size
  const page = more ? (req.backward ? rows.slice(rows.length - req.size) : rows.slice(0, req.size)) : rows
  const cursor = (node: T | undefined) => (node === undefined ? null : cursorOf(req.tag, keyOf(node)))
  let edges: { cursor: string; node: T }[] | undefined
  return {
    // Built when a client asks for edges: most ask for nodes, and a cursor per
    // row of a large nested page is a good part of its cost.
    get edges() {
      return (edges ??= page.map((node) => ({ cursor: cursor(node)!, node })))
    },
    nodes: page,
    pageInfo: {
      hasNextPage: req.backward ? req.before !== undefined : more,
      hasPreviousPage: req.backward ? more : req.after !== undefined,
      startCursor: cursor(page[0]),
      endCursor: cursor(page[page.length - 1]),
    },
    totalCount,
  }
}
