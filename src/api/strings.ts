/**
 * Every string a client sends as an argument, checked before any resolver
 * runs (so before SQL): no NUL character (Postgres refuses it in text, and
 * the request would fail as an internal error) and at most
 * MAX_STRING_ARGUMENT characters. Literals and variables alike, at any depth
 * of an input object or list; the error names the argument's path
 * (`filter.region`). One rule for both transports: for literals it is one
 * of Apollo's validation rules (run once per document, then cached); for
 * variables Apollo's plugin walks them and, only when one is bad, runs the
 * rule with them to name the argument; graphql-ws runs it with the
 * subscription's variables.
 *
 * Hand-written because graphql-armor (which bounds depth, aliases, tokens and
 * the whole document's length) has no rule on the content of one string.
 */
import { ArgumentNode, GraphQLError, Kind, ValidationRule, ValueNode } from 'graphql'

export const MAX_STRING_ARGUMENT = 1000

function problem(s: string): string | undefined {
  if (s.includes('\u0000')) return 'contains a NUL character (U+0000)'
  if (s.length > MAX_STRING_ARGUMENT) return `is ${s.length} characters long; at most ${MAX_STRING_ARGUMENT} are accepted`
  return undefined
}

function stringError(path: string, why: string, node: ArgumentNode): GraphQLError {
  return new GraphQLError(`${path}: ${why}`, { nodes: [node], extensions: { code: 'BAD_USER_INPUT', argument: path, http: { status: 400 } } })
}

/** The first bad string in a variable's value (any JSON), with its path. */
function inValue(v: unknown, path: string): [string, string] | undefined {
  if (typeof v === 'string') {
    const why = problem(v)
    return why ? [path, why] : undefined
  }
  if (Array.isArray(v)) {
    for (const x of v) {
      const r = inValue(x, path)
      if (r) return r
    }
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const r = inValue(x, `${path}.${k}`)
      if (r) return r
    }
  }
  return undefined
}

function inNode(n: ValueNode, path: string, variables: Record<string, unknown>): [string, string] | undefined {
  switch (n.kind) {
    case Kind.STRING: {
      const why = problem(n.value)
      return why ? [path, why] : undefined
    }
    case Kind.VARIABLE:
      return inValue(variables[n.name.value], path)
    case Kind.LIST:
      for (const x of n.values) {
        const r = inNode(x, path, variables)
        if (r) return r
      }
      return undefined
    case Kind.OBJECT:
      for (const f of n.fields) {
        const r = inNode(f.value, `${path}.${f.name.value}`, variables)
        if (r) return r
      }
      return undefined
    default:
      return undefined
  }
}

/** Whether a value (variables, as JSON) holds a string that the rule refuses: a cheap walk for the common case. */
export function hasBadString(v: unknown): boolean {
  return inValue(v, '') !== undefined
}

export function stringArgumentsRule(variables: Record<string, unknown> = {}): ValidationRule {
  return (ctx) => ({
    Argument(node) {
      const bad = inNode(node.value, node.name.value, variables)
      if (bad) ctx.reportError(stringError(bad[0], bad[1], node))
    },
  })
}
