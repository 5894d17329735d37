/**
 * The API's refusals over HTTP, all in one shape: a status and
 * `{ errors: [{ message, extensions: { code } }] }`, the body a GraphQL client
 * already knows how to read. Fastify's own errors (body too large, bad JSON,
 * unknown media type...) are given our codes and messages here.
 *
 * Hand-written because it is the API's own contract: Fastify's errors are
 * `{ statusCode, error, message }`, which GraphQL clients do not read, and
 * no plugin maps them to GraphQL-shaped coded errors.
 */
import type { Socket } from 'node:net'
import http from 'node:http'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify'
import { log } from '../runtime/log'

export const MAX_BODY_BYTES = 1_000_000
/**
 * How much of an oversize body (413) the server reads and discards before it
 * gives up on the connection. Fastify answers 413 with `connection: close`
 * while the client is still sending; closing a socket with unread data makes
 * the kernel reset it, and a client that had not yet read its 413 then sees a
 * reset instead (torture CI, "fetch failed"). Up to this many bytes the
 * connection stays open and the rest of the body is skipped, as nginx's
 * lingering close does; past it the connection is closed after the answer.
 */
export const LINGER_BYTES = 8 * MAX_BODY_BYTES

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

export const errorBody = (code: string, message: string) => ({ errors: [{ message, extensions: { code } }] })

const mediaType = (header: string | undefined) => (header ?? '').split(';')[0].trim().toLowerCase()

/** Our HttpError for one of Fastify's own, or undefined for an unexpected error. */
function fromFastify(e: FastifyError, request: FastifyRequest): HttpError | undefined {
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpError(413, 'PAYLOAD_TOO_LARGE', `the request body is over ${MAX_BODY_BYTES} bytes`)
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const ct = mediaType(request.headers['content-type'])
      return new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `a ${request.method} to ${request.url.split('?')[0]} must have content-type application/json (got ${ct ? JSON.stringify(ct) : 'none'})`)
    }
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HttpError(400, 'BAD_REQUEST', 'the request body is not valid JSON: it is empty')
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new HttpError(400, 'BAD_REQUEST', 'the request body is not valid JSON')
  }
  // Any other client error Fastify found (a bad URL, a bad content-length...).
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) return new HttpError(e.statusCode, 'BAD_REQUEST', e.message)
  return undefined
}

/** Keeps an oversize request's connection and discards the rest of its body, up to LINGER_BYTES (see there). */
function skipRestOfBody(request: FastifyRequest, reply: FastifyReply): void {
  const declared = request.headers['content-length'] === undefined ? undefined : Number(request.headers['content-length'])
  if (declared !== undefined && !(declared <= LINGER_BYTES)) return
  reply.removeHeader('connection')
  const raw = request.raw
  let skipped = 0
  raw.on('data', (chunk: Buffer) => {
    skipped += chunk.length
    if (skipped > LINGER_BYTES) raw.socket.destroy()
  })
  raw.resume()
}

function send(reply: FastifyReply, e: HttpError): FastifyReply {
  return reply.code(e.statusCode).headers(e.headers).type('application/json; charset=utf-8').send(errorBody(e.code, e.message))
}

/** The error handler and 404 of `app`, and `X-Content-Type-Options: nosniff` on every answer. */
export function codedErrors(app: FastifyInstance): void {
  app.setErrorHandler((e: FastifyError | HttpError, request, reply) => {
    const known = e instanceof HttpError ? e : fromFastify(e, request)
    if (known?.code === 'PAYLOAD_TOO_LARGE') skipRestOfBody(request, reply)
    if (known) return send(reply, known)
    log.error('api', `${request.method} ${request.url.split('?')[0]}: ${e.stack ?? e.message}`)
    return send(reply, new HttpError(500, 'INTERNAL_SERVER_ERROR', 'internal error'))
  })
  app.setNotFoundHandler((request, reply) => send(reply, new HttpError(404, 'NOT_FOUND', `no route ${request.url.split('?')[0]}`)))
  // A callback hook: no promise per answer.
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff')
    done(null, payload)
  })
}

/** Every method Fastify routes that a path may not serve (HEAD is GET's, OPTIONS CORS's when on). */
const REFUSABLE: HTTPMethods[] = ['DELETE', 'GET', 'PATCH', 'POST', 'PUT', 'OPTIONS']

/**
 * 405 with Allow for the methods `url` does not serve (Fastify alone would
 * answer them 404). `allowed` lists what it serves; HEAD goes with GET.
 */
export function refuseOtherMethods(app: FastifyInstance, url: string, allowed: HTTPMethods[], o: { cors: boolean }): void {
  const allow = [...new Set<string>(allowed.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])))].sort().join(', ')
  const method = REFUSABLE.filter((m) => !allowed.includes(m) && !(o.cors && m === 'OPTIONS'))
  app.route({
    method,
    url,
    // Refused in onRequest, before any body is parsed: a wrong method is 405 whatever its content-type.
    onRequest: async (request) => {
      throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed here (allowed: ${allow})`, { allow })
    },
    handler: async () => undefined,
  })
}

/**
 * Errors Node's parser finds before Fastify sees a request (headers too
 * large, a malformed request line, a client that takes too long): the same
 * answer as Fastify's default, in our shape and with nosniff.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const [status, code, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'REQUEST_TIMEOUT', 'the request took too long to arrive']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'HEADERS_TOO_LARGE', 'the request line and headers are over the size limit (a long query belongs in a POST)']
        : [400, 'BAD_REQUEST', 'malformed HTTP request']
  const body = JSON.stringify(errorBody(code, message))
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(err)
}
