/**
 * Time travel: the `block: {number} | {timestamp}` argument of node, nodes,
 * delegations, bookings, vestingSchedules, hyperNodes and account, resolved
 * to one block of the indexed range, and carried by every row answered at
 * it, so each field and nested list under it answers at the same block.
 */
import { GraphQLError } from 'graphql'
import { badInput, IndexedRange, outOfRange } from './errors'
import { parseBlock } from './args'

/** A block of the indexed range an answer is given at: its own header. */
export interface At {
  height: number
  hash: string
  timestamp: Date
}

export interface BlockArg {
  number?: number | null
  timestamp?: Date | null
}

/** What resolving a block needs (the request's ApiContext). */
export interface BlockSource {
  supply: { range(): Promise<IndexedRange | undefined>; head(): Promise<{ versions_from: number | null } | undefined> }
  blockAt(height: number): Promise<At | undefined>
  blockAtTime(t: Date): Promise<At | undefined>
}

const AT = Symbol('at')

/** The block a row was answered at (undefined: the indexed head). */
export function atOf(row: object): At | undefined {
  return (row as { [AT]?: At })[AT]
}

/** Marks rows as answered at `at` (nothing to mark at the head). */
export function markAt<R extends object>(rows: R[], at: At | undefined): R[] {
  if (at) for (const r of rows) (r as { [AT]?: At })[AT] = at
  return rows
}

export function markOne<R extends object>(row: R | null, at: At | undefined): R | null {
  if (row && at) (row as { [AT]?: At })[AT] = at
  return row
}

/**
 * The block a `block:` argument names: a number of the indexed range, or the
 * last block at or before an instant of it. Out of range: BAD_USER_INPUT
 * naming the range. Before the index kept entity versions (an index built by
 * an older version): NOT_INDEXED.
 */
export async function resolveAt(ctx: BlockSource, argument: string, arg: BlockArg | null | undefined): Promise<At | undefined> {
  if (arg == null) return undefined
  const hasNumber = arg.number != null
  const hasTime = arg.timestamp != null
  if (hasNumber === hasTime) throw badInput(argument, 'give exactly one of number or timestamp')
  const range = await ctx.supply.range()
  if (!range) throw new GraphQLError('the index is empty: nothing indexed yet', { extensions: { code: 'INDEX_EMPTY' } })
  let at: At | undefined
  if (hasNumber) {
    const n = parseBlock(`${argument}.number`, arg.number)!
    if (n < range.fromBlock || n > range.toBlock) throw outOfRange(`${argument}.number`, `block ${n}`, range)
    at = await ctx.blockAt(n)
    if (!at) throw new GraphQLError(`${argument}.number: block ${n}: its header is not in the index (built by a version that kept only blocks with events); re-index to answer at it`, { extensions: { code: 'NOT_INDEXED', argument } })
  } else {
    const t = arg.timestamp!
    if (t.getTime() < range.fromTime.getTime() || t.getTime() > range.toTime.getTime()) throw outOfRange(`${argument}.timestamp`, t.toISOString(), range)
    at = await ctx.blockAtTime(t)
    if (!at) throw outOfRange(`${argument}.timestamp`, t.toISOString(), range)
  }
  const head = await ctx.supply.head()
  const from = head?.versions_from
  if (from == null || at.height < from) {
    throw new GraphQLError(
      `${argument}: entities at block ${at.height} are not in this index: it keeps their history from block ${from ?? '(none)'} (an index built by a version without entity history); re-index to answer at it`,
      { extensions: { code: 'NOT_INDEXED', argument, versionsFrom: from } },
    )
  }
  return at
}
