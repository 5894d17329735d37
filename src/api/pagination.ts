import { decodeCursor, encodeCursor } from '../domain/cursor'
import { badInput } from './errors'

export const MAX_PAGE = 1000
export const DEFAULT_PAGE = 100

export interface PageArgs {
  first?: number | null
  after?: string | null
  last?: number | null
  before?: string | null
}

export interface PageRequest {
  /** Rows to fetch: one more than the page, to learn whether another page follows. */
  fetch: number
  size: number
  afterKey?: string
  beforeKey?: string
  backward: boolean
}

/** Validates Relay arguments; every error names the argument. */
export function pageRequest(args: PageArgs): PageRequest {
  if (args.first != null && args.last != null) throw badInput('first', 'give either first or last, not both')
  for (const name of ['first', 'last'] as const) {
    const v = args[name]
    if (v != null && (v < 0 || v > MAX_PAGE)) throw badInput(name, `must be between 0 and ${MAX_PAGE} (got ${v})`)
  }
  const key = (name: 'after' | 'before'): string | undefined => {
    const c = args[name]
    if (c == null) return undefined
    const k = decodeCursor(c)
    if (k == null) throw badInput(name, 'is not a cursor returned by this API')
    return k
  }
  const backward = args.last != null || (args.before != null && args.first == null)
  const size = (backward ? args.last : args.first) ?? DEFAULT_PAGE
  return { fetch: size + 1, size, afterKey: key('after'), beforeKey: key('before'), backward }
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[]
  nodes: T[]
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }
}

/**
 * Builds a connection from rows fetched in page order with one extra row
 * (for a backward page the extra row is the first one).
 */
export function connection<T>(rows: T[], req: PageRequest, keyOf: (row: T) => string): Connection<T> {
  const more = rows.length > req.size
  const page = more ? (req.backward ? rows.slice(rows.length - req.size) : rows.slice(0, req.size)) : rows
  const edges = page.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }))
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: req.backward ? req.beforeKey !== undefined : more,
      hasPreviousPage: req.backward ? more : req.afterKey !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  }
}
