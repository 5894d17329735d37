/**
 * The API's HTTP layer: GraphQL over HTTP at /graphql (GET and POST, per the
 * GraphQL-over-HTTP spec), GraphiQL for a browser at the same address, and
 * /healthz, and the supply endpoints for aggregators (src/api/rest.ts). Everything a request can ask for is bounded: body size, query
 * length, depth, aliases, cost (src/api/limits.ts) and statement time.
 */
import http from 'node:http'
import { ApolloServer, HeaderMap } from '@apollo/server'
import { unwrapResolverError } from '@apollo/server/errors'
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled'
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer'
import { GraphQLError, GraphQLFormattedError } from 'graphql'
import { API_LIMIT_DEFAULTS, ApiLimits, NetworkPreset } from '../config'
import { readOnlySessionUrl } from '../db/readonly'
import { ApiContext, makeContext } from './context'
import { DASHBOARD_PREFIX, serveDashboard } from './dashboard'
import { buildSchema } from './executable'
import { HeadCache } from './headcache'
import { IDE_CSP, IDE_HTML, IDE_PREFIX, ideAsset } from './ide'
import { LIMIT_CODES, limitsPlugin, queryLengthError, staticLimitRules } from './limits'
import { startLive } from './live'
import { log } from '../runtime/log'
import { ApiMetrics, readiness } from './metrics'
import { RateLimiter } from './ratelimit'
import { REST_PATHS, restRoute } from './rest'
import { Db } from './sql/db'

export const MAX_BODY_BYTES = 1_000_000
/** Past this a client still sending an oversize body is cut off instead of read to its end. */
const MAX_DISCARD_BYTES = 16 * MAX_BODY_BYTES

export interface ApiServerOptions {
  databaseUrl: string
  preset: NetworkPreset
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
  /** GraphiQL for browsers at /graphql (default on). */
  ide?: boolean
  /** Requests per second per client address (0 or absent: no limit). */
  rateLimit?: number
}

export interface ApiServer {
  url: string
  port: number
  db: Db
  close(): Promise<void>
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

/**
 * Reads the body up to MAX_BODY_BYTES. A larger one is read on (and
 * dropped) so the client gets its 413 instead of a reset connection, up to
 * MAX_DISCARD_BYTES, past which the connection is closed.
 */
function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'])
    if (declared > MAX_DISCARD_BYTES) {
      reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', `the request body is over ${MAX_BODY_BYTES} bytes`, { connection: 'close' }))
      req.resume()
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size <= MAX_BODY_BYTES) chunks.push(c)
      else if (size > MAX_DISCARD_BYTES) req.destroy()
    })
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', `the request body is over ${MAX_BODY_BYTES} bytes`))
      else resolve(Buffer.concat(chunks).toString('utf8'))
    })
    req.on('error', reject)
  })
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const s = JSON.stringify(body)
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(s) })
  res.end(s)
}

const mediaType = (header: string | undefined) => (header ?? '').split(';')[0].trim().toLowerCase()

/** A browser navigating to /graphql (not a client sending a query) gets the IDE. */
function wantsIde(req: http.IncomingMessage, url: URL): boolean {
  return req.method === 'GET' && !url.searchParams.has('query') && (req.headers.accept ?? '').toLowerCase().includes('text/html')
}

// Errors of a well-formed request that never reached execution. Apollo answers
// them 400 whatever the media type; the GraphQL-over-HTTP spec asks for 200
// when the response is `application/json` (the legacy media type, which
// clients read by body, not status) and 400 for `application/graphql-response+json`.
const REQUEST_ERROR_CODES = new Set<string>([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
  ...LIMIT_CODES,
])

function specStatus(status: number, contentType: string | undefined, body: string): number {
  if (status !== 400 || mediaType(contentType) !== 'application/json') return status
  let parsed: { data?: unknown; errors?: { extensions?: { code?: unknown } }[] }
  try {
    parsed = JSON.parse(body) as typeof parsed
  } catch {
    return status
  }
  const errors = parsed.errors
  if ('data' in parsed || !Array.isArray(errors) || errors.length === 0) return status
  return errors.every((e) => REQUEST_ERROR_CODES.has(String(e.extensions?.code))) ? 200 : status
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

/** Starts the API's HTTP server: GraphQL (and GraphiQL) at /graphql, health at /healthz. */
export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const limits: ApiLimits = { ...API_LIMIT_DEFAULTS, ...opts.limits }
  // Second guard behind the read-only role: every session refuses writes.
  const db = new Db(readOnlySessionUrl(opts.databaseUrl), { statementTimeoutMs: limits.statementTimeoutMs })
  const schema = buildSchema()
  const metrics = new ApiMetrics(db)
  const headCache = new HeadCache()
  const httpServer = http.createServer()
  // A client must send its headers, and its whole request, in bounded time.
  httpServer.headersTimeout = 20_000
  httpServer.requestTimeout = 60_000
  const apollo = new ApolloServer<ApiContext>({
    schema,
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
      ApolloServerPluginDrainHttpServer({ httpServer }),
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

  async function graphql(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const headers = new HeaderMap()
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v)
    }
    let body: unknown = undefined
    if (req.method === 'POST') {
      const ct = mediaType(req.headers['content-type'])
      if (ct !== 'application/json') {
        req.resume()
        throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `a POST to /graphql must have content-type application/json (got ${ct ? JSON.stringify(ct) : 'none'})`)
      }
      const raw = await readBody(req)
      try {
        body = JSON.parse(raw)
      } catch (e) {
        throw new HttpError(400, 'BAD_REQUEST', `the request body is not valid JSON: ${(e as Error).message}`)
      }
    }
    const query = req.method === 'POST' ? (body as { query?: unknown } | null)?.query : url.searchParams.get('query')
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => {
        // Refusing here, before parsing, is Apollo's documented way to turn a
        // request away with a coded error (and it negotiates the media type).
        const tooLong = typeof query === 'string' ? queryLengthError(query, limits.maxQueryLength) : undefined
        if (tooLong) throw tooLong
        return makeContext(db, opts.preset, headCache)
      },
    })
    for (const [k, v] of result.headers) res.setHeader(k, v)
    if (result.body.kind === 'complete') {
      res.statusCode = specStatus(result.status ?? 200, result.headers.get('content-type'), result.body.string)
      res.end(result.body.string)
    } else {
      res.statusCode = result.status ?? 200
      for await (const chunk of result.body.asyncIterator) res.write(chunk)
      res.end()
    }
  }

  function allow(req: http.IncomingMessage, methods: string[]): void {
    if (!methods.includes(req.method ?? '')) {
      req.resume()
      throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here (allowed: ${methods.join(', ')})`, { allow: methods.join(', ') })
    }
  }

  function ide(req: http.IncomingMessage, res: http.ServerResponse, name: string | undefined): void {
    const headers: Record<string, string> = { 'x-content-type-options': 'nosniff', 'content-security-policy': IDE_CSP }
    if (name === undefined) {
      res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' })
      res.end(IDE_HTML)
      return
    }
    const asset = ideAsset(name)
    if (!asset) throw new HttpError(404, 'NOT_FOUND', `no route ${IDE_PREFIX}${name}`)
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))
    const body = gzip ? asset.gzip : asset.body
    res.writeHead(200, {
      ...headers,
      'content-type': asset.type,
      'cache-control': 'public, max-age=3600',
      vary: 'accept-encoding',
      'content-length': body.length,
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    })
    res.end(body)
  }

  const ideOn = opts.ide ?? true
  const cors = opts.corsOrigins ?? []
  /** CORS for an allowed Origin: the answer names it (or '*'); a preflight is answered here. */
  function corsHeaders(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const origin = req.headers.origin
    if (!origin || cors.length === 0) return false
    const any = cors.includes('*')
    if (!any && !cors.includes(origin)) return false
    res.setHeader('access-control-allow-origin', any ? '*' : origin)
    if (!any) res.setHeader('vary', 'Origin')
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type, accept', 'access-control-max-age': '600' })
      res.end()
      return true
    }
    return false
  }

  const limiter = opts.rateLimit ? new RateLimiter(opts.rateLimit) : undefined

  httpServer.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (corsHeaders(req, res)) return
    if (limiter && url.pathname !== '/healthz' && url.pathname !== '/readyz' && url.pathname !== '/metrics') {
      const ok = limiter.take(req.socket.remoteAddress ?? 'unknown')
      if (ok !== true) {
        req.resume()
        return sendJson(res, 429, { errors: [{ message: `rate limit of ${opts.rateLimit} requests per second exceeded; retry in ${ok} s`, extensions: { code: 'RATE_LIMITED' } }] }, { 'retry-after': String(ok) })
      }
    }
    const route = async () => {
      if (url.pathname === '/graphql') {
        allow(req, ['GET', 'POST'])
        if (ideOn && wantsIde(req, url)) return ide(req, res, undefined)
        return graphql(req, res, url)
      }
      if (ideOn && url.pathname.startsWith(IDE_PREFIX)) {
        allow(req, ['GET'])
        return ide(req, res, url.pathname.slice(IDE_PREFIX.length))
      }
      if (url.pathname === '/healthz') {
        allow(req, ['GET'])
        return sendJson(res, 200, { status: 'ok' })
      }
      if (url.pathname === '/readyz') {
        allow(req, ['GET'])
        const r = await readiness(db, opts.readyMaxLag ?? 50)
        return sendJson(res, r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not ready', ...r })
      }
      if (url.pathname === '/metrics') {
        allow(req, ['GET'])
        const body = await metrics.text()
        res.writeHead(200, { 'content-type': metrics.registry.contentType, 'content-length': Buffer.byteLength(body) })
        return void res.end(body)
      }
      if (REST_PATHS.includes(url.pathname)) {
        allow(req, ['GET'])
        const r = (await restRoute(url.pathname, url.searchParams, db, opts.preset, headCache))!
        res.writeHead(r.status, { 'content-type': r.contentType, 'content-length': Buffer.byteLength(r.body), 'cache-control': 'no-store' })
        return void res.end(r.body)
      }
      if (url.pathname === '/' || url.pathname.startsWith(DASHBOARD_PREFIX)) {
        allow(req, ['GET'])
        if (serveDashboard(req, res, url.pathname)) return
      }
      req.resume()
      throw new HttpError(404, 'NOT_FOUND', `no route ${url.pathname}`)
    }
    route().catch((e: unknown) => {
      if (res.headersSent) return res.destroy()
      if (e instanceof HttpError) return sendJson(res, e.status, { errors: [{ message: e.message, extensions: { code: e.code } }] }, e.headers)
      log.error('api', (e as Error).stack ?? String(e))
      sendJson(res, 500, { errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] })
    })
  })

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject)
    httpServer.listen(opts.port, opts.host, () => resolve())
  })
  // Subscriptions over WebSocket on the same server and path (src/api/live/).
  const live = await startLive({ httpServer, schema, databaseUrl: readOnlySessionUrl(opts.databaseUrl), limits, context: () => makeContext(db, opts.preset, headCache) })
  const addr = httpServer.address()
  const port = typeof addr === 'object' && addr ? addr.port : opts.port
  return {
    url: `http://${opts.host === '0.0.0.0' ? 'localhost' : opts.host}:${port}`,
    port,
    db,
    async close() {
      await live.close()
      await apollo.stop()
      await db.close()
    },
  }
}
