import { GraphQLError, GraphQLScalarType, Kind } from 'graphql'

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
