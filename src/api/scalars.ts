import { GraphQLError, GraphQLScalarType, Kind } from 'graphql'
import { parseDateTime } from './args'

const DECIMAL = /^-?\d+$/

/** Integer amounts (wei) as decimal strings: no precision is ever lost to floats. */
export const BigIntScalar = new GraphQLScalarType<bigint, string>({
  name: 'BigInt',
  description: 'An integer of any size, serialised as a decimal string (amounts are in wei).',
  serialize(v) {
    if (typeof v === 'bigint') return v.toString()
    if (typeof v === 'string' && DECIMAL.test(v)) return v
    if (typeof v === 'number' && Number.isInteger(v)) return String(v)
    throw new GraphQLError(`BigInt cannot represent ${String(v)}`)
  },
  parseValue(v) {
    if (typeof v === 'string' && DECIMAL.test(v)) return BigInt(v)
    if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v)
    throw new GraphQLError(`BigInt must be a decimal integer string, got ${JSON.stringify(v)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    })
  },
  parseLiteral(ast) {
    if ((ast.kind === Kind.STRING || ast.kind === Kind.INT) && DECIMAL.test(ast.value)) return BigInt(ast.value)
    throw new GraphQLError('BigInt must be a decimal integer string', { extensions: { code: 'BAD_USER_INPUT' } })
  },
})

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant as an ISO 8601 string (UTC).',
  serialize(v) {
    if (v instanceof Date) return v.toISOString()
    throw new GraphQLError(`DateTime cannot represent ${String(v)}`)
  },
  parseValue: parseDateTime,
  parseLiteral(ast): Date {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be an ISO 8601 string', { extensions: { code: 'BAD_USER_INPUT' } })
    return parseDateTime(ast.value)
  },
})
