/**
 * The API's HTTP server, on Fastify: GraphQL over HTTP at /graphql (GET, HEAD
 * and POST, per the GraphQL-over-HTTP spec; src/api/graphql-route.ts),
 * GraphiQL for a browser at the same address, subscriptions over WebSocket
 * there too (src/api/live), /healthz, /readyz, /metrics, the supply endpoints
 * for aggregators (src/api/rest.ts) and the dashboard at /. Fastify's own
 * plugins do CORS, the per-client rate limit and the static files; refusals
 * keep our codes (src/api/http-errors.ts). Everything a request can ask for
 * is bounded: body size, query length, depth, aliases, cost
 * (src/api/limits.ts) and statement time.
 */
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { ApolloServer } from '@apollo/server'
import { unwrapResolverError } from '@apollo/server/errors'
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled'
import { fastifyApolloDrainPlugin } from '@as-integrations/fastify'
import fastifyCors from '@fastify/cors'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import Fastify, { FastifyBaseLogger, FastifyInstance, LogController } from 'fastify'
import { GraphQLError, GraphQLFormattedError } from 'graphql'
import { API_LIMIT_DEFAULTS, ApiExecutor, ApiLimits, MultiChainPreset, NetworkPreset, TrustProxy, withSearchPath } from '../config'
import { readOnlySessionUrl } from '../db/readonly'
import { log, logger } from '../runtime/log'
import { assertAssetsBuilt, ASSETS_DIR, DASHBOARD_ASSETS, IDE_ASSETS } from './assets'
import { jitGateway } from './jit'
import { ApiContext, makeContext } from './context'
import { DASHBOARD_PREFIX, dashboardCsp } from './dashboard'
import { buildSchema } from './executable'
import { graphqlRoute } from './graphql-route'
import { HeadCache } from './headcache'
import { clusterMetricsText, ClusterRateLimitStore, inWorker, workerReady } from './cluster'
import { clientErrorHandler, codedErrors, HttpError, MAX_BODY_BYTES, refuseOtherMethods } from './http-errors'
import { IDE_CSP, IDE_PREFIX } from './ide'
import { limitsPlugin, staticLimitRules } from './limits'
import { startLive } from './live'
import { ApiMetrics, readiness, serveMetrics } from './metrics'
import { NetworkApi } from './network'
import { networkRestRoute, REST_PATHS, restRoute } from './rest'
import { Db } from './sql/db'

export { MAX_BODY_BYTES } from './http-errors'

export interface ApiServerOptions {
  databaseUrl: string
  /** The chain's preset; on a multi-chain network, the protocol chain's (see `network`). */
  preset: NetworkPreset
  /** A multi-chain network: every chain's index is served (src/api/network.ts). */
  network?: MultiChainPreset
  host: string
  port: number
  /** Any limit not given takes its default (API_LIMIT_DEFAULTS). */
  limits?: Partial<ApiLimits>
  /** /readyz is 200 while the lag is at most this (default 50 blocks). */
  readyMaxLag?: number
  /** Origins allowed by CORS ('*' for any); none by default. */
  corsOrigins?: string[]
  /** Schema introspection (default on; GraphiQL needs it). */
  introspection?: boolean
  /** Who executes queries: graphql-jit's compiled code (default; src/api/jit.ts) or graphql-js. */
  executor?: ApiExecutor
  /** GraphiQL for browsers at /graphql (default on). */
  ide?: boolean
  /** Requests per second per client (0 or absent: no limit). */
  rateLimit?: number
  /** Which proxies' X-Forwarded-For names the client (default: none; see API_TRUST_PROXY). */
  trustProxy?: TrustProxy
  /** Serve /metrics only on this port (on `host`), not on the public one (absent: on the public port). */
  metricsPort?: number
}

export interface ApiServer {
  url: string
  port: number
  /** Where /metrics is served when it has a port of its own. */
  metricsUrl?: string
  db: Db
  close(): Promise<void>
}

function formatError(statementTimeoutMs: number) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code
    // Apollo re-codes every validation error GRAPHQL_VALIDATION_FAILED; a
    // limit rule's own code (QUERY_TOO_DEEP, ...) says more.
    if (code === 'GRAPHQL_VALIDATION_FAILED' && error instanceof GraphQLError && error.originalError instanceof GraphQLError) {
      const own = error.originalError.extensions.code
      if (typeof own === 'string') return { ...formatted, extensions: { ...formatted.extensions, code: own } }
    }
    const cause = unwrapResolverError(error)
    if (cause instanceof GraphQLError) return formatted
    const where = { locations: formatted.locations, path: formatted.path }
    if ((cause as { code?: unknown } | null)?.code === '57014') {
      return {
        message: `the query ran past the ${statementTimeoutMs} ms statement timeout and was cancelled: ask for less (smaller first/last, fewer nested lists)`,
        ...where,
        extensions: { code: 'STATEMENT_TIMEOUT' },
      }
    }
    // Anything else unexpected (a database error, a bug) is logged here and
    // not described to the client: its message may name tables or values.
    if (code === 'INTERNAL_SERVER_ERROR') {
      log.error('api', `internal error${formatted.path ? ` at ${formatted.path.join('.')}` : ''}: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`)
      return { message: 'internal error', ...where, extensions: { code } }
    }
    return formatted
  }
}

/** Fastify's typings omit the hop count that its proxy-addr takes; this is what proxy-addr does with one. */
function trustProxy(t: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof t === 'number' ? (_address, hop) => hop < t : t
}

/** Paths a load balancer or a scraper polls: never rate limited. */
const OPS_PATHS = ['/healthz', '/readyz', '/metrics']

/** Starts the API's HTTP server: GraphQL (and GraphiQL) at /graphql, health at /healthz. */
export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  assertAssetsBuilt()
  const limits: ApiLimits = { ...API_LIMIT_DEFAULTS, ...opts.limits }
  const clustered = inWorker()
  // Second guard behind the read-only role: every session refuses writes.
  const net = opts.network ? NetworkApi.open(opts.network, readOnlySessionUrl(opts.databaseUrl), { statementTimeoutMs: limits.statementTimeoutMs }) : undefined
  // The protocol chain's pool on a multi-chain network: metrics and the live feed read it.
  const db = net ? net.chain(net.protocol).db : new Db(readOnlySessionUrl(opts.databaseUrl), { statementTimeoutMs: limits.statementTimeoutMs })
  const liveUrl = net ? withSearchPath(readOnlySessionUrl(opts.databaseUrl), net.chain(net.protocol).schema) : readOnlySessionUrl(opts.databaseUrl)
  const schema = buildSchema({ multiChain: net !== undefined })
  const metrics = new ApiMetrics(db)
  const headCache = new HeadCache()
  const context = net ? () => net.context() : () => makeContext(db, opts.preset, headCache)
  const cors = opts.corsOrigins ?? []

  // Our pino, so Fastify's lines look like ours; warnings and errors only, so
  // its per-request lines (info) never flood the log under load.
  const httpLog: FastifyBaseLogger = logger().child({ component: 'http' }, { level: 'warn' })
  const app: FastifyInstance = Fastify({
    loggerInstance: httpLog,
    // No per-request child logger and no per-request lines: Fastify would
    // build a child (with a request id) for every request, which nothing of
    // ours reads; its warnings and errors still go to httpLog.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: (parent) => parent,
    bodyLimit: MAX_BODY_BYTES,
    trustProxy: trustProxy(opts.trustProxy ?? false),
    // A client must send its whole request in bounded time.
    requestTimeout: 60_000,
    clientErrorHandler,
    // While draining (SIGTERM), a request on a connection already open is
    // still answered, not 503: the server refuses new connections, and what it
    // accepted it finishes (test/e2e/graceful-stop.test.ts)...
    return503OnClosing: false,
  })
  // ...and then closes that connection, so the drain ends with the last answer
  // rather than when the keep-alive connections time out.
  let draining = false
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) reply.header('connection', 'close')
    done(null, payload)
  })
  // ...and its headers sooner.
  app.server.headersTimeout = 20_000
  // GraphQL bodies are JSON and nothing else: a POST in text/plain is 415, not a string.
  app.removeContentTypeParser('text/plain')
  codedErrors(app)

  const gateway = opts.executor === 'graphql-js' ? undefined : jitGateway(schema)
  if (gateway) metrics.executions(() => gateway.counts)
  const apollo = new ApolloServer<ApiContext>({
    // graphql-jit through Apollo's executor interface (src/api/jit.ts), unless API_EXECUTOR=graphql-js.
    ...(gateway ? { gateway } : { schema }),
    // On unless turned off (API_INTROSPECTION=false): GraphiQL and codegen need it, whatever NODE_ENV says.
    introspection: opts.introspection ?? true,
    // Apollo's CSRF guard refuses a plain GET (no content-type, no
    // apollo-require-preflight), which the GraphQL-over-HTTP spec allows.
    // Nothing here needs it: the API is read-only, uses no cookies or
    // credentials, GET runs queries only, and a POST must be
    // application/json (415 otherwise), which browsers never send
    // cross-site without a CORS preflight.
    csrfPrevention: false,
    includeStacktraceInErrorResponses: false,
    validationRules: staticLimitRules(limits),
    formatError: formatError(limits.statementTimeoutMs),
    plugins: [
      fastifyApolloDrainPlugin(app),
      ApolloServerPluginLandingPageDisabled(),
      // The schema has no @cacheControl hints; Apollo's default cache-control
      // plugin would still wrap every field's resolver to time and hint it
      // (bench:api's profile: ~10% of a list's CPU and much of its garbage).
      ApolloServerPluginCacheControlDisabled(),
      limitsPlugin<ApiContext>(limits),
      metrics.plugin<ApiContext>(),
    ],
  })
  await apollo.start()

  if (cors.length > 0) {
    const any = cors.includes('*')
    await app.register(fastifyCors, { origin: any ? '*' : cors, methods: ['GET', 'POST'], allowedHeaders: ['content-type', 'accept'], maxAge: 600 })
  }
  if (opts.rateLimit) {
    const perSecond = opts.rateLimit
    await app.register(fastifyRateLimit, {
      // One count per client across the workers of a cluster (the primary keeps it).
      ...(clustered ? { store: ClusterRateLimitStore } : {}),
      max: perSecond,
      timeWindow: 1000,
      // Fastify's request.ip: the socket's address, or the client named by
      // X-Forwarded-For when the proxy in front is trusted (API_TRUST_PROXY).
      keyGenerator: (request) => request.ip,
      allowList: (request) => OPS_PATHS.includes(request.url.split('?')[0]),
      errorResponseBuilder: (_request, c) => {
        const retry = Math.max(1, Math.ceil(c.ttl / 1000))
        return new HttpError(429, 'RATE_LIMITED', `rate limit of ${perSecond} requests per second exceeded; retry in ${retry} s`, { 'retry-after': String(retry) })
      },
    })
  }
  const methods = { cors: cors.length > 0 }

  graphqlRoute(app, { apollo, context, maxQueryLength: limits.maxQueryLength, ide: opts.ide ?? true })
  refuseOtherMethods(app, '/graphql', ['GET', 'POST'], methods)

  app.get('/healthz', async () => ({ status: 'ok' }))
  app.get('/readyz', async (_request, reply) => {
    if (net) {
      // Ready when every chain is.
      const chains = await Promise.all(net.chains.map(async (c) => ({ chain: c.name, ...(await readiness(c.db, opts.readyMaxLag ?? 50)) })))
      const ready = chains.every((c) => c.ready)
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', ready, ...(ready ? {} : { reason: chains.filter((c) => !c.ready).map((c) => `${c.chain}: ${c.reason}`).join('; ') }), chains })
    }
    const r = await readiness(db, opts.readyMaxLag ?? 50)
    return reply.code(r.ready ? 200 : 503).send({ status: r.ready ? 'ready' : 'not ready', ...r })
  })
  if (opts.metricsPort === undefined) app.get('/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(clustered ? await clusterMetricsText() : await metrics.text()))
  for (const p of REST_PATHS) {
    app.get(p, async (request, reply) => {
      const search = new URLSearchParams(request.url.split('?')[1] ?? '')
      const r = (net ? await networkRestRoute(p, search, net) : await restRoute(p, search, db, opts.preset, headCache))!
      return reply.code(r.status).type(r.contentType).header('cache-control', 'no-store').send(r.body)
    })
  }
  for (const p of [...OPS_PATHS, ...REST_PATHS]) refuseOtherMethods(app, p, ['GET'], methods)

  // One static path for every file we serve (src/api/assets.ts built it):
  // GraphiQL's assets and the dashboard, gzip files sent as they are.
  if (opts.ide ?? true) {
    await app.register(async (scope) => {
      scope.addHook('onSend', async (_request, reply) => {
        reply.header('content-security-policy', IDE_CSP)
      })
      await scope.register(fastifyStatic, { root: path.join(ASSETS_DIR, IDE_ASSETS), prefix: IDE_PREFIX, preCompressed: true, index: false, maxAge: 3_600_000 })
      refuseOtherMethods(scope, `${IDE_PREFIX}*`, ['GET'], methods)
    })
  }
  await app.register(async (scope) => {
    // Each page load revalidates every file (by ETag), so the page and its modules never mix versions.
    scope.addHook('onSend', async (request, reply) => {
      reply.header('content-security-policy', dashboardCsp(request.headers.host)).header('referrer-policy', 'no-referrer').header('cache-control', 'no-cache')
    })
    await scope.register(fastifyStatic, { root: path.join(ASSETS_DIR, DASHBOARD_ASSETS), prefix: DASHBOARD_PREFIX, preCompressed: true, index: false, cacheControl: false })
    scope.get('/', (_request, reply) => reply.sendFile('index.html'))
    for (const p of ['/', `${DASHBOARD_PREFIX}*`]) refuseOtherMethods(scope, p, ['GET'], methods)
  })

  await app.listen({ port: opts.port, host: opts.host, listenTextResolver: () => '' })
  // Subscriptions over WebSocket on the same server and path (src/api/live/).
  const live = await startLive({ httpServer: app.server, schema, databaseUrl: liveUrl, limits, context })
  const addr = app.server.address()
  const port = typeof addr === 'object' && addr ? addr.port : opts.port
  const hostName = opts.host === '0.0.0.0' ? 'localhost' : opts.host
  const url = `http://${hostName}:${port}`
  // In a cluster the primary serves API_METRICS_PORT, aggregated (src/api/cluster.ts).
  const metricsServer = opts.metricsPort === undefined || clustered ? undefined : await serveMetrics(() => metrics.text(), metrics.registry.contentType, opts.host, opts.metricsPort)
  if (clustered) workerReady(metrics.registry, url)
  return {
    url,
    port,
    metricsUrl: metricsServer && `http://${hostName}:${(metricsServer.address() as AddressInfo).port}/metrics`,
    db,
    async close() {
      draining = true
      await new Promise<void>((resolve) => (metricsServer ? metricsServer.close(() => resolve()) : resolve()))
      await live.close()
      // Apollo's stop drains Fastify (fastifyApolloDrainPlugin closes it).
      await apollo.stop()
      if (net) await net.close()
      else await db.close()
    },
  }
}
