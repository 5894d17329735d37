/**
 * GraphQL subscriptions over WebSocket (graphql-transport-ws, the `graphql-ws`
 * library) on the API's HTTP server at /graphql. Subscriptions only: queries
 * and mutations go over HTTP, where their limits are enforced the same way.
 */
import type http from 'node:http'
import {
  createSourceEventStream,
  DocumentNode,
  execute,
  ExecutionArgs,
  ExecutionResult,
  getOperationAST,
  GraphQLError,
  GraphQLSchema,
  parse,
  specifiedRules,
  validate,
} from 'graphql'
import { useServer } from 'graphql-ws/use/ws'
import { WebSocketServer } from 'ws'
import { aliasRule, complexityRule, depthRule, QueryLimits, queryLengthError } from '../limits'
import { stringArgumentsRule } from '../strings'
import { Delivery, DeliveryOrder, LiveFeed } from './feed'
import { LiveSource } from './schema'

export { LiveFeed } from './feed'

/** Subscriptions one connection may hold at once. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 50
/** WebSocket connections the server holds at once. */
export const MAX_CONNECTIONS = 1000
/** Largest message a client may send (a subscribe message carries a query and its variables). */
const MAX_MESSAGE_BYTES = 1_000_000

export interface LiveOptions {
  httpServer: http.Server
  schema: GraphQLSchema
  /** The database the feed LISTENs to and reads from (its own connection). */
  databaseUrl: string
  limits: QueryLimits
  /** A fresh per-request context (DataLoaders): one per pushed event. */
  context: () => object
  log?: (message: string) => void
}

export interface Live {
  feed: LiveFeed
  close(): Promise<void>
}

function isAsyncIterable<T>(v: unknown): v is AsyncIterable<T> {
  return typeof (v as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator] === 'function'
}

/**
 * `source`'s deliveries executed by `run`, one at a time. `return()` goes
 * straight to the source, so completing a subscription ends it at once even
 * while it waits for its next event. An item whose execution fails is
 * dropped from the connection's order, so it holds up no other.
 */
function executeEach(
  source: AsyncIterator<Delivery<unknown>>,
  order: DeliveryOrder,
  run: (d: Delivery<unknown>) => Promise<ExecutionResult>,
): AsyncIterableIterator<ExecutionResult> {
  const it: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const r = await source.next()
      if (r.done) return { value: undefined, done: true }
      try {
        return { value: await run(r.value), done: false }
      } catch (e) {
        order.drop(r.value.seq)
        throw e
      }
    },
    async return() {
      await source.return?.()
      return { value: undefined, done: true }
    },
    async throw(e: unknown) {
      await source.return?.()
      throw e
    },
    [Symbol.asyncIterator]: () => it,
  }
  return it
}

/**
 * Starts the live feed and serves subscriptions on `httpServer` at /graphql.
 * Returns once the feed has read the index's head (or, when the database is
 * not reachable, once it has tried: it keeps trying in the background).
 */
export async function startLive(opts: LiveOptions): Promise<Live> {
  const { schema, limits } = opts
  const feed = new LiveFeed({ databaseUrl: opts.databaseUrl, log: opts.log })
  await feed.start()

  const wss = new WebSocketServer({
    server: opts.httpServer,
    path: '/graphql',
    maxPayload: MAX_MESSAGE_BYTES,
    verifyClient: (_info, done) => (wss.clients.size < MAX_CONNECTIONS ? done(true) : done(false, 503, 'too many WebSocket connections')),
  })

  // Per connection (graphql-ws's context object): the order its items go out in.
  const orders = new WeakMap<object, DeliveryOrder>()
  const orderOf = (ctx: object) => {
    let o = orders.get(ctx)
    if (!o) orders.set(ctx, (o = new DeliveryOrder()))
    return o
  }
  // Each result sent, with the `seq` of the item it was executed for.
  const seqOf = new WeakMap<ExecutionResult, number>()

  const server = useServer(
    {
      schema,
      onSubscribe(ctx, _id, payload) {
        // graphql-ws registers the operation before this hook: it is counted.
        const open = Object.keys(ctx.subscriptions).length
        if (open > MAX_SUBSCRIPTIONS_PER_CONNECTION) {
          return [
            new GraphQLError(`this connection already has ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions, the most it may hold: complete one first`, {
              extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: MAX_SUBSCRIPTIONS_PER_CONNECTION },
            }),
          ]
        }
        const tooLong = queryLengthError(payload.query, limits.maxQueryLength)
        if (tooLong) return [tooLong]
        let document: DocumentNode
        try {
          document = parse(payload.query)
        } catch (e) {
          const message = e instanceof GraphQLError ? e.message : String(e)
          return [new GraphQLError(message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })]
        }
        const variables = payload.variables ?? {}
        const rules = [...specifiedRules, depthRule(limits.maxDepth), aliasRule(limits.maxAliases), complexityRule(limits.maxComplexity, variables), stringArgumentsRule(variables)]
        const errors = validate(schema, document, rules)
        if (errors.length) {
          // As over HTTP: a limit rule's own code, else GRAPHQL_VALIDATION_FAILED.
          return errors.map((e) => (e.extensions.code ? e : new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })))
        }
        const op = getOperationAST(document, payload.operationName)
        if (!op) return [new GraphQLError('no operation to run: name one with operationName', { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })]
        if (op.operation !== 'subscription') {
          return [new GraphQLError(`only subscriptions are served over WebSocket: send this ${op.operation} to /graphql over HTTP`, { extensions: { code: 'BAD_REQUEST' } })]
        }
        return { schema, document, operationName: payload.operationName, variableValues: variables, contextValue: orderOf(ctx) }
      },
      // The source stream is built with the feed; each event is executed in
      // a fresh context, so no DataLoader serves a value cached from an
      // earlier event.
      async subscribe(args: ExecutionArgs) {
        const order = args.contextValue as DeliveryOrder
        const stream = await createSourceEventStream({ ...args, contextValue: new LiveSource(feed, order) })
        if (!isAsyncIterable<Delivery<unknown>>(stream)) return stream as ExecutionResult
        return executeEach(stream[Symbol.asyncIterator](), order, async (d) => {
          const result = await execute({ ...args, rootValue: d, contextValue: opts.context() })
          seqOf.set(result, d.seq)
          return result
        })
      },
      async onNext(ctx, _id, _payload, _args, result) {
        const seq = seqOf.get(result)
        if (seq !== undefined) await orderOf(ctx).turn(seq)
      },
      // An internal error closes the socket with a generic reason, never a message that may name tables.
      isProd: true,
    },
    wss,
  )

  return {
    feed,
    async close() {
      await server.dispose()
      await feed.stop()
    },
  }
}
