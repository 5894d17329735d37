/**
 * /graphql over HTTP: Apollo through its official Fastify integration
 * (@as-integrations/fastify), GET, HEAD and POST, and GraphiQL's page for a
 * browser navigating there.
 */
import type { ApolloServer } from '@apollo/server'
import { fastifyApolloHandler } from '@as-integrations/fastify'
import type { FastifyInstance, FastifyReply, FastifyRequest, onSendHookHandler } from 'fastify'
import type { ApiContext } from './context'
import { IDE_CSP, IDE_HTML } from './ide'
import { LIMIT_CODES, queryLengthError } from './limits'

export interface GraphqlRouteOptions {
  apollo: ApolloServer<ApiContext>
  context: () => ApiContext
  maxQueryLength: number
  ide: boolean
}

const mediaType = (header: unknown) => String(header ?? '').split(';')[0].trim().toLowerCase()

/** A browser navigating to /graphql (not a client sending a query) gets the IDE. */
function wantsIde(request: FastifyRequest<{ Querystring: Record<string, string | undefined> }>): boolean {
  return request.query.query === undefined && (request.headers.accept ?? '').toLowerCase().includes('text/html')
}

// Errors of a well-formed request that never reached execution. Apollo answers
// them 400 whatever the media type; the GraphQL-over-HTTP spec asks for 200
// when the response is `application/json` (the legacy media type, which
// clients read by body, not status) and 400 for `application/graphql-response+json`.
// Which media type Apollo chose (by the Accept header) is known only once it
// has answered, hence a hook on the answer rather than an Apollo plugin.
const REQUEST_ERROR_CODES = new Set<string>(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'OPERATION_RESOLUTION_FAILURE', ...LIMIT_CODES])

const legacyJsonStatus: onSendHookHandler = (_request, reply, payload, done) => {
  if (reply.statusCode === 400) relabel(reply, payload)
  done(null, payload)
}

function relabel(reply: FastifyReply, payload: unknown): void {
  if (mediaType(reply.getHeader('content-type')) !== 'application/json' || typeof payload !== 'string') return
  let parsed: { data?: unknown; errors?: { extensions?: { code?: unknown } }[] }
  try {
    parsed = JSON.parse(payload) as typeof parsed
  } catch {
    return
  }
  const errors = parsed.errors
  if (!('data' in parsed) && Array.isArray(errors) && errors.length > 0 && errors.every((e) => REQUEST_ERROR_CODES.has(String(e.extensions?.code)))) reply.code(200)
}

export function graphqlRoute(app: FastifyInstance, o: GraphqlRouteOptions): void {
  const apollo = fastifyApolloHandler<ApiContext>(o.apollo, {
    context: async (request) => {
      // Refusing here, before parsing, is Apollo's documented way to turn a
      // request away with a coded error (and it negotiates the media type).
      const body = request.body as { query?: unknown } | null | undefined
      const query = request.method === 'POST' ? body?.query : (request.query as { query?: unknown }).query
      const tooLong = typeof query === 'string' ? queryLengthError(query, o.maxQueryLength) : undefined
      if (tooLong) throw tooLong
      return o.context()
    },
  })

  const get = async function (this: FastifyInstance, request: FastifyRequest<{ Querystring: Record<string, string | undefined> }>, reply: FastifyReply) {
    if (o.ide && wantsIde(request)) {
      return reply.type('text/html; charset=utf-8').header('content-security-policy', IDE_CSP).header('cache-control', 'no-cache').send(IDE_HTML)
    }
    // Apollo serves GET and POST only; a HEAD is answered as its GET (Node sends no body for it).
    type Args = Parameters<typeof apollo>
    const asGet = (request.method === 'HEAD' ? Object.create(request, { method: { value: 'GET' } }) : request) as Args[0]
    return apollo.call(this, asGet, reply as Args[1])
  }

  app.route({ method: ['GET', 'HEAD'], url: '/graphql', exposeHeadRoute: false, onSend: legacyJsonStatus, handler: get })
  app.route({ method: 'POST', url: '/graphql', onSend: legacyJsonStatus, handler: apollo })
}
