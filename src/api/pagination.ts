import { decodeCursor, encodeCursor } from '../domain/cursor'
import { badInput } from './errors'
import type { KeysetPage } from './sql/list'

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
}

function parseKey(name: 'after' | 'before', cursor: string | null | undefined, width: number): string[] | undefined {
  if (cursor == null) return undefined
  const raw = decodeCursor(cursor)
  let key: unknown
  try {
    key = raw == null ? null : JSON.parse(raw)
  } catch {
    key = null
  }
  if (!Array.isArray(key) || key.length !== width || !key.every((k) => typeof k === 'string')) {
    throw badInput(name, 'is not a cursor returned by this list')
  }
  return key as string[]
}

/**
 * Validates Relay arguments for a list whose sort key has `keyWidth`
 * columns; every error names the argument.
 */
export function pageRequest(args: PageArgs, keyWidth = 1): PageRequest {
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
    after: parseKey('after', args.after, keyWidth),
    before: parseKey('before', args.before, keyWidth),
    backward,
    argsKey: JSON.stringify([args.first ?? null, args.after ?? null, args.last ?? null, args.before ?? null]),
  }
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[]
  nodes: T[]
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }
  /** Runs only when the client asks for totalCount. */
  totalCount?: () => Promise<number>
}

export const cursorOf = (key: string[]) => encodeCursor(JSON.stringify(key))

/**
 * Builds a connection from rows fetched in page order with one extra row
 * (for a backward page the extra row is the first one).
 */
export function connection<T>(rows: T[], req: PageRequest, keyOf: (row: T) => string[], totalCount?: () => Promise<number>): Connection<T> {
  const more = rows.length > req.size
  const page = more ? (req.backward ? rows.slice(rows.length - req.size) : rows.slice(0, req.size)) : rows
  const cursor = (node: T | undefined) => (node === undefined ? null : cursorOf(keyOf(node)))
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
