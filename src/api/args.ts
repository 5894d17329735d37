/**
 * Parsing and checking of the API's arguments, shared by the resolvers of
 * every part of the schema (core, supply, performance, live). A bad value is
 * a BAD_USER_INPUT error naming the argument (src/api/errors.ts).
 */
import { GraphQLError } from 'graphql'
import { padId } from '../domain/ids'
import { badInput } from './errors'
import type { RangeFilter } from './sql/lists'

const ADDRESS = /^0x[0-9a-fA-F]{40}$/

export function parseAddress(argument: string, v: string): string {
  if (!ADDRESS.test(v)) throw badInput(argument, `"${v.slice(0, 60)}" is not a 0x-prefixed 20-byte hex address`)
  return v.toLowerCase()
}

export const optAddress = (argument: string, v: string | null | undefined) => (v == null ? undefined : parseAddress(argument, v))

export function parseBlock(argument: string, v: number | null | undefined): number | undefined {
  if (v == null) return undefined
  if (!Number.isInteger(v) || v < 0) throw badInput(argument, `must be a block number ≥ 0 (got ${v})`)
  return v
}

/** An on-chain uint id (node, HyperNode) given as a decimal ID: the stored zero-padded id. */
export function parseUintId(argument: string, v: string | null | undefined): string | undefined {
  if (v == null) return undefined
  if (!/^\d{1,30}$/.test(v)) throw badInput(argument, `"${String(v).slice(0, 60)}" is not a decimal id`)
  return padId(BigInt(v))
}

export const optBig = (v: bigint | null | undefined) => (v == null ? undefined : v)

export function nonNegative(argument: string, v: bigint | undefined): bigint | undefined {
  if (v !== undefined && v < 0n) throw badInput(argument, `must be ≥ 0 (got ${v})`)
  return v
}

export interface RangeArgs {
  blockFrom?: number | null
  blockTo?: number | null
  timeFrom?: Date | null
  timeTo?: Date | null
}

export function parseRange(prefix: string, f: RangeArgs | null | undefined): RangeFilter {
  return {
    blockFrom: parseBlock(`${prefix}.blockFrom`, f?.blockFrom),
    blockTo: parseBlock(`${prefix}.blockTo`, f?.blockTo),
    timeFrom: f?.timeFrom ?? undefined,
    timeTo: f?.timeTo ?? undefined,
  }
}

export function parseDateTime(v: unknown): Date {
  const d = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? new Date(v) : undefined
  if (!d || Number.isNaN(d.getTime())) {
    throw new GraphQLError(`DateTime must be an ISO 8601 string such as 2026-01-01T00:00:00Z, got ${JSON.stringify(v)}`, { extensions: { code: 'BAD_USER_INPUT' } })
  }
  return d
}
