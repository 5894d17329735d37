/**
 * Limits on what one GraphQL request may ask for, so that no query can make
 * the API (or Postgres behind it) do unbounded work. Each failure is a
 * GraphQLError with its own code and HTTP status 400:
 *
 * - QUERY_TOO_LONG: the query text is longer than `maxQueryLength` characters
 *   (checked before parsing, so a long document never reaches the parser or
 *   the validation rules);
 * - QUERY_TOO_DEEP: fields nest deeper than `maxDepth` (`{ _meta { height } }`
 *   has depth 2; fragments count where they are spread, inline or named,
 *   adding no level of their own). Introspection's `__schema` is not counted:
 *   the standard introspection query that GraphiQL and codegen send nests 15
 *   levels of `ofType`, and graphql-js's own MaxIntrospectionDepthRule
 *   already bounds its lists;
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
 * Depth and aliases are measured by graphql-armor's rules (max-depth,
 * max-aliases); this file only words their refusals with our codes, the limit
 * and the measure (armor's own errors are uncoded "Syntax Error: …" texts).
 *
 * What stays hand-written, and why:
 * - the cost: graphql-armor's cost-limit reads `first`/`last` only when
 *   written as literals (`first: $n` counts 1, so a variable walks past it),
 *   knows no default page size for a list asked for without either, and
 *   weighs depth by its own factor; our cost is what the resolvers will
 *   fetch. It depends on variables, which validation never sees, so the
 *   plugin computes it once Apollo has resolved the operation; the same
 *   `complexityRule` serves a transport that validates with variables at hand
 *   (graphql-ws's onSubscribe);
 * - the query length: one comparison, made in the HTTP context function
 *   (before Apollo parses) because armor's character-limit plugin throws from
 *   `requestDidStart` with code BAD_USER_INPUT, neither our code nor the
 *   status a request error gets;
 * - refusing mutations as a request error (the schema has none; graphql-js
 *   would only find out when executing, and answer an internal error).
 */
import type { ApolloServerPlugin } from '@apollo/server'
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases'
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth'
import {
  ASTVisitor,
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
  validate,
  ValueNode,
} from 'graphql'
import type { ApiLimits } from '../config'
import { DEFAULT_PAGE, MAX_PAGE } from './pagination'
import { hasBadString, stringArgumentsRule } from './strings'

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

// ------------------------------------------------------------------ the cost walk

type Fragments = (name: string) => FragmentDefinitionNode | undefined | null

function fieldDef(schema: GraphQLSchema, parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  if (parent && parent === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef
  }
  if (parent && (isObjectType(parent) || isInterfaceType(parent))) return parent.getFields()[name]
  return undefined
}

/**
 * Sums `field(…)` over a selection set with fragments expanded where spread.
 * A fragment's cost does not depend on where it is spread, so each is
 * computed once: a document that spreads fragments into fragments costs
 * linear time, not exponential. A fragment cycle (refused by validation)
 * counts as 0.
 */
function fold(
  schema: GraphQLSchema,
  fragments: Fragments,
  field: (node: FieldNode, def: GraphQLField<unknown, unknown> | undefined, inner: number) => number,
  root: SelectionSetNode,
  rootType: GraphQLNamedType | undefined,
): number {
  const memo = new Map<string, number>()
  const visiting = new Set<string>()
  const walk = (set: SelectionSetNode, parent: GraphQLNamedType | undefined): number => {
    let acc = 0
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const def = fieldDef(schema, parent, sel.name.value)
        acc += field(sel, def, sel.selectionSet ? walk(sel.selectionSet, def ? getNamedType(def.type) : undefined) : 0)
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        acc += walk(sel.selectionSet, sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent)
      } else {
        const name = sel.name.value
        const known = memo.get(name)
        if (known !== undefined) acc += known
        else if (!visiting.has(name)) {
          const frag = fragments(name)
          if (frag) {
            visiting.add(name)
            const v = walk(frag.selectionSet, schema.getType(frag.typeCondition.name.value))
            visiting.delete(name)
            memo.set(name, v)
            acc += v
          }
        }
      }
    }
    return acc
  }
  return walk(root, rootType)
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
  return fold(schema, fragments, (node, def, inner) => 1 + (pageSize(node, def, op, variables) ?? 1) * inner, op.selectionSet, schema.getRootType(op.operation) ?? undefined)
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

type Report = (ctx: ValidationContext, op: OperationDefinitionNode, measured: number) => void
type ArmorCallbacks = { onAccept: ((ctx: ValidationContext | null, details: { n: number }) => void)[]; propagateOnRejection: false }

/**
 * One of graphql-armor's visitors run with no limit of its own, so that it
 * measures every operation and hands the measure to `report` (which words
 * the refusal, with our code, the limit and the measure).
 */
function armored(make: (callbacks: ArmorCallbacks) => (ctx: ValidationContext) => { OperationDefinition: { enter?: (node: OperationDefinitionNode) => void } }, report: Report): ValidationRule {
  return (ctx): ASTVisitor => {
    let op: OperationDefinitionNode | undefined
    const inner = make({ onAccept: [(_c, { n }) => op && report(ctx, op, n)], propagateOnRejection: false })(ctx)
    return {
      OperationDefinition(node) {
        op = node
        inner.OperationDefinition.enter?.call(inner, node)
        return false // the whole operation is measured here; no need to descend
      },
    }
  }
}

const depthOf = (report: Report) =>
  armored((cb) => maxDepthRule({ n: Infinity, ignoreIntrospection: true, flattenFragments: true, exposeLimits: false, ...cb }), report)
// No allow-list: an aliased __typename is an alias like any other.
const aliasesOf = (report: Report) => armored((cb) => maxAliasesRule({ n: Infinity, allowList: [], exposeLimits: false, ...cb }), report)

export function depthRule(max: number): ValidationRule {
  return depthOf((ctx, op, d) => {
    if (d > max) ctx.reportError(limitError('QUERY_TOO_DEEP', `the query nests ${d} levels deep; the limit is ${max}`, max, d, op))
  })
}

export function aliasRule(max: number): ValidationRule {
  return aliasesOf((ctx, op, n) => {
    if (n > max) ctx.reportError(limitError('TOO_MANY_ALIASES', `the operation has ${n} aliases; the limit is ${max}`, max, n, op))
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
  return [depthRule(limits.maxDepth), aliasRule(limits.maxAliases), stringArgumentsRule()]
}

function fragmentsOf(document: DocumentNode): Fragments {
  const byName = new Map<string, FragmentDefinitionNode>()
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) byName.set(d.name.value, d)
  return (n) => byName.get(n)
}

/**
 * What the three rules measure of `document`'s first operation (for tests,
 * and for anyone choosing limits): nothing is refused here.
 */
export function measureOperation(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> = {}): { depth: number; aliases: number; cost: number } {
  const op = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
  if (!op) throw new Error('the document has no operation')
  const seen = { depth: 0, aliases: 0 }
  validate(schema, document, [depthOf((_c, o, d) => o === op && (seen.depth = d)), aliasesOf((_c, o, n) => o === op && (seen.aliases = n))])
  return { ...seen, cost: operationCost(schema, fragmentsOf(document), op, variables) }
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
          // Strings in variables (literals are checked by the static rule, once per document):
          // a walk of the variables, and only when one is bad, the document's, to name its argument.
          const variables = request.variables ?? {}
          if (hasBadString(variables)) {
            const [bad] = validate(schema, document, [stringArgumentsRule(variables)])
            if (bad) throw bad
          }
        },
      }
    },
  }
}
