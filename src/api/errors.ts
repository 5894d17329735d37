import { GraphQLError } from 'graphql'

/** A user's mistake: coded BAD_USER_INPUT and naming the argument at fault. */
export function badInput(argument: string, message: string): GraphQLError {
  return new GraphQLError(`${argument}: ${message}`, { extensions: { code: 'BAD_USER_INPUT', argument } })
}

/** The blocks and times the index holds: every point-in-time answer falls in it. */
export interface IndexedRange {
  fromBlock: number
  toBlock: number
  fromTime: Date
  toTime: Date
}

export const describeRange = (r: IndexedRange) =>
  `blocks ${r.fromBlock} to ${r.toBlock} (${r.fromTime.toISOString()} to ${r.toTime.toISOString()})`

/** A block or instant outside what the index holds: BAD_USER_INPUT, naming the range (also as `extensions.indexedRange`). */
export function outOfRange(argument: string, what: string, r: IndexedRange): GraphQLError {
  return new GraphQLError(`${argument}: ${what} is outside the indexed range: ${describeRange(r)}`, {
    extensions: {
      code: 'BAD_USER_INPUT',
      argument,
      indexedRange: { fromBlock: r.fromBlock, toBlock: r.toBlock, fromTime: r.fromTime.toISOString(), toTime: r.toTime.toISOString() },
    },
  })
}
