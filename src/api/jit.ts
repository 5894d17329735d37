/**
 * Queries executed by graphql-jit instead of graphql-js's interpreter,
 * inside Apollo: through Apollo's public gateway interface (`load` returns
 * the executor; the schema is announced through `onSchemaLoadOrUpdate`), the
 * one place Apollo 4 and 5 take an executor. Apollo still parses, validates
 * (the query limits included), runs every plugin hook and formats errors;
 * only execution changes. A query is compiled once per operation and kept (at
 * most `cacheSize`, the least recently used dropped first).
 *
 * graphql-jit writes an argument's literal value into the code it generates
 * as JSON, so a literal of a custom scalar (BigInt, DateTime) would reach the
 * resolvers as something else, or not compile. A document with such a literal
 * (anywhere: arguments, input objects, lists, variable defaults) is executed
 * by graphql-js instead; as variables, the same values go through the
 * scalars' parseValue either way. Variables that do not coerce are answered
 * by graphql-js too, so the client gets graphql-js's own errors.
 * Subscriptions (graphql-ws) keep graphql-js.
 */
import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server'
import { type DocumentNode, execute, type ExecutionResult, getNamedType, getVariableValues, GraphQLError, type GraphQLSchema, isScalarType, printSchema, Source, specifiedScalarTypes, TypeInfo, visit, visitWithTypeInfo } from 'graphql'
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit'

type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway']
type GatewayExecutor = NonNullable<Awaited<ReturnType<GatewayInterface['load']>>['executor']>

const BUILT_IN = new Set(specifiedScalarTypes.map((t) => t.name))

/** Whether a literal anywhere in the document is of a scalar type that is not one of GraphQL's own. */
export function hasCustomScalarLiteral(schema: GraphQLSchema, document: DocumentNode): boolean {
  const info = new TypeInfo(schema)
  let found = false
  const literal = () => {
    const t = info.getInputType()
    const named = t && getNamedType(t)
    if (named && isScalarType(named) && !BUILT_IN.has(named.name)) found = true
  }
  visit(document, visitWithTypeInfo(info, { StringValue: literal, IntValue: literal, FloatValue: literal, BooleanValue: literal, ObjectValue: literal, ListValue: literal }))
  return found
}

/**
 * graphql-jit's errors as graphql-js makes them: its own error objects have
 * read-only fields and no `extensions` object when the cause had none, which
 * Apollo's error formatting does not expect. The same message, path, cause,
 * extensions and locations (as positions in the query's text).
 */
export function asGraphQLJsErrors(result: ExecutionResult, query: string): ExecutionResult {
  if (!result.errors?.length) return result
  const source = new Source(query)
  const lineStarts = [0]
  // Line breaks as GraphQL counts them (graphql-js's getLocation).
  for (const m of query.matchAll(/\r\n|[\n\r]/g)) lineStarts.push(m.index + m[0].length)
  const errors = result.errors.map((e) => {
    const positions = e.locations?.map((l) => lineStarts[l.line - 1] + l.column - 1)
    return new GraphQLError(e.message, { source: positions?.length ? source : undefined, positions, path: e.path, originalError: e.originalError ?? undefined, extensions: e.extensions })
  })
  return { ...result, errors }
}

/** Executions by each engine since start (for tests and /metrics-style checks). */
export interface JitCounts {
  compiled: number
  interpreted: number
}

export function jitGateway(schema: GraphQLSchema, cacheSize = 500): GatewayInterface & { counts: JitCounts } {
  /** Per operation: its compiled query, or null to interpret it. */
  const plans = new Map<string, CompiledQuery | null>()
  const counts: JitCounts = { compiled: 0, interpreted: 0 }
  let announce: ((s: { apiSchema: GraphQLSchema; coreSupergraphSdl: string }) => void) | undefined
  const executor: GatewayExecutor = async (rc) => {
    // Apollo resolves the operation itself before a schema's execution, not before a gateway's: the same answer.
    if (!rc.operation) {
      const name = rc.request.operationName
      const message = name ? `Unknown operation named "${name}".` : 'Must provide operation name if query contains multiple operations.'
      return { errors: [new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } })] }
    }
    const key = `${rc.queryHash}\n${rc.operationName ?? ''}`
    let plan = plans.get(key)
    if (plan !== undefined) {
      // Most recently used last.
      plans.delete(key)
    } else if (hasCustomScalarLiteral(schema, rc.document)) {
      plan = null
    } else {
      const c = compileQuery(schema, rc.document, rc.operationName ?? undefined)
      // Apollo has validated the document: a compile error is graphql-jit's, and graphql-js answers instead.
      plan = isCompiledQuery(c) ? c : null
    }
    plans.set(key, plan)
    if (plans.size > cacheSize) plans.delete(plans.keys().next().value!)
    const variables = rc.request.variables ?? {}
    // Variables that graphql-js would refuse are answered by graphql-js, so their errors are its own
    // (graphql-jit words them differently, and Apollo would not see them as the client's).
    if (plan !== null && rc.operation.variableDefinitions?.length && 'errors' in getVariableValues(schema, rc.operation.variableDefinitions, variables)) plan = null
    if (plan === null) {
      counts.interpreted += 1
      return execute({ schema, document: rc.document, contextValue: rc.context, variableValues: variables, operationName: rc.operationName })
    }
    counts.compiled += 1
    return asGraphQLJsErrors(await plan.query(undefined, rc.context, variables), rc.source)
  }
  return {
    counts,
    onSchemaLoadOrUpdate(callback) {
      announce = callback
      return () => {
        announce = undefined
      }
    },
    async load() {
      announce?.({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) })
      return { executor }
    },
    async stop() {},
  }
}
