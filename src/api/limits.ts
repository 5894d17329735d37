/**
 * Limits on what one GraphQL request may ask for, so that no query can make
 * the API (or Postgres behind it) do unbounded work. Each failure is a
 * GraphQLError with its own code and HTTP status 400:
 *
 * - QUERY_TOO_LONG: the query text is longer than `maxQueryLength` characters
 *   (checked before parsing, so a long document never reaches the parser or
 *   the validation rules);
 * - QUERY_TOO_DEEP: fields nest deeper than `maxDepth` (`{ _meta { height } }`
 *   has depth 2; fragments count where they are spread). Introspection
 *   (`__schema`, `__type`) counts as one level: the standard introspection
 *   query that GraphiQL and codegen send nests 15 levels of `ofType`, and
 *   graphql-js's own MaxIntrospectionDepthRule already bounds its lists;
 * - TOO_MANY_ALIASES: more than `maxAliases` aliased fields in one operation
 *   (a fragment's aliases count once per spread);
 * - QUERY_TOO_COMPLEX: the operation's cost is over `maxComplexity`, where
 *
 *       cost(field) = 1 + n × Σ cost(subfields)
 *
 *   and n is the page size for a field that takes `first`/`last` (the
 *   argument's value, or DEFAULT_PAGE when neither is given, capped at
 *   MAX_PAGE because a larger value is refused by the field itself with
 *   BAD_USER_INPUT) and 1 for any other field. So
 *   `{ account(id: …) { transfers(first: 50) { nodes { id value } } } }`
 *   costs 1 + (1 + 50 × (1 + 2)) = 152.
 *
 * Depth and aliases are plain validation rules (Apollo caches validated
 * documents). The cost depends on variables (`first: $n`), which validation
 * never sees, so the plugin computes it once the operation is resolved; the
 * same `complexityRule` serves a transport that validates with variables at
 * hand (graphql-ws's onSubscribe).
 */
import type { ApolloServerPlugin } from '@apollo/server'
import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  GraphQLError,
  GraphQLField,
  GraphQLNamedType,
  GraphQLSchema,
  isInterfaceType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  SchemaMetaFieldDef,
  SelectionSetNode,
  TypeMetaFieldDef,
  ValidationContext,
  ValidationRule,
  ValueNode,
} from 'graphql'
import type { ApiLimits } from '../config'
import { DEFAULT_PAGE, MAX_PAGE } from './pagination'

export type QueryLimits = Omit<ApiLimits, 'statementTimeoutMs'>

export const LIMIT_CODES = ['QUERY_TOO_LONG', 'QUERY_TOO_DEEP', 'TOO_MANY_ALIASES', 'QUERY_TOO_COMPLEX'] as const
export type LimitCode = (typeof LIMIT_CODES)[number]

function limitError(code: LimitCode, message: string, limit: number, actual: number, nodes?: readonly FieldNode[] | OperationDefinitionNode): GraphQLError {
  return new GraphQLError(message, { nodes, extensions: { code, limit, actual, http: { status: 400 } } })
}

/** QUERY_TOO_LONG for a query text over `max` characters, else undefined. */
export function queryLengthError(query: string, max: number): GraphQLError | undefined {
  if (query.length <= max) return undefined
  return limitError('QUERY_TOO_LONG', `the query is ${query.length} characters long; the limit is ${max}`, max, query.length)
}

// ------------------------------------------------------------------ one walk for all three measures

type Fragments = (name: string) => FragmentDefinitionNode | undefined | null

interface Measure {
  /** The value of one field given the folded value of its selection set. */
  field(node: FieldNode, def: GraphQLField<unknown, unknown> | undefined, inner: number): number
  combine(a: number, b: number): number
}

function fieldDef(schema: GraphQLSchema, parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  if (parent && parent === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef
  }
  if (parent && (isObjectType(parent) || isInterfaceType(parent))) return parent.getFields()[name]
  return undefined
}

/**
 * Folds a selection set with fragments expanded where spread. A fragment's
 * value does not depend on where it is spread, so each is computed once: a
 * document that spreads fragments into fragments costs linear time, not
 * exponential. A fragment cycle (refused by validation) counts as 0.
 */
function fold(schema: GraphQLSchema, fragments: Fragments, measure: Measure, root: SelectionSetNode, rootType: GraphQLNamedType | undefined): number {
  const memo = new Map<string, number>()
  const visiting = new Set<string>()
  const walk = (set: SelectionSetNode, parent: GraphQLNamedType | undefined): number => {
    let acc = 0
    for (const sel of set.selections) {
      let v = 0
      if (sel.kind === Kind.FIELD) {
        const def = fieldDef(schema, parent, sel.name.value)
        const inner = sel.selectionSet ? walk(sel.selectionSet, def ? getNamedType(def.type) : undefined) : 0
        v = measure.field(sel, def, inner)
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        v = walk(sel.selectionSet, sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent)
      } else {
        const name = sel.name.value
        const known = memo.get(name)
        if (known !== undefined) v = known
        else if (!visiting.has(name)) {
          const frag = fragments(name)
          if (frag) {
            visiting.add(name)
            v = walk(frag.selectionSet, schema.getType(frag.typeCondition.name.value))
            visiting.delete(name)
            memo.set(name, v)
          }
        }
      }
      acc = measure.combine(acc, v)
    }
    return acc
  }
  return walk(root, rootType)
}

function rootType(schema: GraphQLSchema, op: OperationDefinitionNode): GraphQLNamedType | undefined {
  return schema.getRootType(op.operation) ?? undefined
}

const INTROSPECTION_ROOTS = new Set([SchemaMetaFieldDef.name, TypeMetaFieldDef.name])
const depthMeasure: Measure = { field: (n, _d, inner) => (INTROSPECTION_ROOTS.has(n.name.value) ? 1 : 1 + inner), combine: Math.max }
const aliasMeasure: Measure = { field: (n, _d, inner) => (n.alias ? 1 : 0) + inner, combine: (a, b) => a + b }

export function operationDepth(schema: GraphQLSchema, fragments: Fragments, op: OperationDefinitionNode): number {
  return fold(schema, fragments, depthMeasure, op.selectionSet, rootType(schema, op))
}

export function operationAliases(schema: GraphQLSchema, fragments: Fragments, op: OperationDefinitionNode): number {
  return fold(schema, fragments, aliasMeasure, op.selectionSet, rootType(schema, op))
}

/** The page size a `first`/`last` argument asks for, for costing only (the field validates it). */
function pageSize(node: FieldNode, def: GraphQLField<unknown, unknown> | undefined, op: OperationDefinitionNode, variables: Record<string, unknown>): number | undefined {
  const names = ['first', 'last'].filter((n) => def?.args.some((a) => a.name === n))
  if (names.length === 0) return undefined
  const intOf = (v: ValueNode | undefined): number | undefined => {
    if (!v) return undefined
    if (v.kind === Kind.INT) return Number(v.value)
    if (v.kind === Kind.VARIABLE) {
      const given = variables[v.name.value]
      if (typeof given === 'number') return given
      if (given === undefined) return intOf(op.variableDefinitions?.find((d) => d.variable.name.value === v.name.value)?.defaultValue)
    }
    return undefined
  }
  const sizes = names
    .map((n) => intOf(node.arguments?.find((a) => a.name.value === n)?.value) ?? def?.args.find((a) => a.name === n)?.defaultValue)
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
  const size = sizes.length ? Math.max(...sizes) : DEFAULT_PAGE
  return Math.min(Math.max(size, 0), MAX_PAGE)
}

/** The cost of an operation by the formula at the top of this file. */
export function operationCost(schema: GraphQLSchema, fragments: Fragments, op: OperationDefinitionNode, variables: Record<string, unknown> = {}): number {
  const measure: Measure = {
    field: (node, def, inner) => 1 + (pageSize(node, def, op, variables) ?? 1) * inner,
    combine: (a, b) => a + b,
  }
  return fold(schema, fragments, measure, op.selectionSet, rootType(schema, op))
}

// ------------------------------------------------------------------ rules

function perOperation(check: (ctx: ValidationContext, op: OperationDefinitionNode) => GraphQLError | undefined): ValidationRule {
  return (ctx) => ({
    OperationDefinition(op) {
      const e = check(ctx, op)
      if (e) ctx.reportError(e)
      return false // the whole operation is measured here; no need to descend
    },
  })
}

export function depthRule(max: number): ValidationRule {
  return perOperation((ctx, op) => {
    const d = operationDepth(ctx.getSchema(), (n) => ctx.getFragment(n), op)
    return d > max ? limitError('QUERY_TOO_DEEP', `the query nests ${d} levels deep; the limit is ${max}`, max, d, op) : undefined
  })
}

export function aliasRule(max: number): ValidationRule {
  return perOperation((ctx, op) => {
    const n = operationAliases(ctx.getSchema(), (f) => ctx.getFragment(f), op)
    return n > max ? limitError('TOO_MANY_ALIASES', `the operation has ${n} aliases; the limit is ${max}`, max, n, op) : undefined
  })
}

function complexityError(cost: number, max: number, op?: OperationDefinitionNode): GraphQLError | undefined {
  if (cost <= max) return undefined
  return limitError(
    'QUERY_TOO_COMPLEX',
    `the query costs ${cost}; the limit is ${max} (each field costs 1 and a list multiplies what it selects by its page size, ${DEFAULT_PAGE} unless first/last says less)`,
    max,
    cost,
    op,
  )
}

/** The cost limit as a validation rule, for a transport that has the variables when it validates. */
export function complexityRule(max: number, variables: Record<string, unknown> = {}): ValidationRule {
  return perOperation((ctx, op) => complexityError(operationCost(ctx.getSchema(), (n) => ctx.getFragment(n), op, variables), max, op))
}

/** The rules that need no variables: pass to Apollo's `validationRules`. */
export function staticLimitRules(limits: QueryLimits): ValidationRule[] {
  return [depthRule(limits.maxDepth), aliasRule(limits.maxAliases)]
}

function fragmentsOf(document: DocumentNode): Fragments {
  const byName = new Map<string, FragmentDefinitionNode>()
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) byName.set(d.name.value, d)
  return (n) => byName.get(n)
}

/**
 * The cost of the operation about to run, with its variables. (The query
 * length is checked before Apollo sees the request, by the HTTP layer:
 * a plugin hook that throws before parsing turns into a 500.)
 */
export function limitsPlugin<T extends object>(limits: QueryLimits): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return // execution reports the missing operation
          // A mutation (this API is read-only) is a request error; graphql-js would
          // only find out when executing, and answer it as an internal error.
          // (Here, after Apollo's own check that answers a GET mutation 405.)
          if (!schema.getRootType(operation.operation)) {
            throw new GraphQLError(`this API is read-only: it has no ${operation.operation} operations (use a query)`, {
              nodes: [operation],
              extensions: { code: 'OPERATION_NOT_SUPPORTED', http: { status: 400 } },
            })
          }
          const e = complexityError(operationCost(schema, fragmentsOf(document), operation, request.variables ?? {}), limits.maxComplexity, operation)
          if (e) throw e
        },
      }
    },
  }
}
