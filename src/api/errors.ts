import { GraphQLError } from 'graphql'

/** A user's mistake: coded BAD_USER_INPUT and naming the argument at fault. */
export function badInput(argument: string, message: string): GraphQLError {
  return new GraphQLError(`${argument}: ${message}`, { extensions: { code: 'BAD_USER_INPUT', argument } })
}
