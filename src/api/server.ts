import http from 'node:http'
import { ApolloServer, HeaderMap } from '@apollo/server'
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled'
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer'
import type { NetworkPreset } from '../config'
import { ApiContext, makeContext } from './context'
import { buildSchema } from './executable'
import { Db } from './sql/db'

export const MAX_BODY_BYTES = 1_000_000

export interface ApiServerOptions {
  databaseUrl: string
  preset: NetworkPreset
  host: string
  port: number
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
    message: string,
  ) {
    super(message)
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`))
        req.destroy()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const s = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(s) })
  res.end(s)
}

/** Starts the API's HTTP server: GraphQL at /graphql, health at /healthz. */
export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const db = new Db(opts.databaseUrl)
  const httpServer = http.createServer()
  const apollo = new ApolloServer<ApiContext>({
    schema: buildSchema(),
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled()],
  })
  await apollo.start()

  async function graphql(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const headers = new HeaderMap()
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v)
    }
    let body: unknown = undefined
    if (req.method === 'POST') {
      const raw = await readBody(req)
      const ct = headers.get('content-type') ?? ''
      if (ct.startsWith('application/json')) {
        try {
          body = JSON.parse(raw)
        } catch {
          throw new HttpError(400, 'request body is not valid JSON')
        }
      } else {
        body = raw
      }
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => makeContext(db, opts.preset),
    })
    for (const [k, v] of result.headers) res.setHeader(k, v)
    res.statusCode = result.status ?? 200
    if (result.body.kind === 'complete') {
      res.end(result.body.string)
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk)
      res.end()
    }
  }

  httpServer.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const route = async () => {
      if (url.pathname === '/graphql') return graphql(req, res, url)
      if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' })
      throw new HttpError(404, `no route ${url.pathname}`)
    }
    route().catch((e: unknown) => {
      if (res.headersSent) return res.destroy()
      if (e instanceof HttpError) return sendJson(res, e.status, { errors: [{ message: e.message }] })
      sendJson(res, 500, { errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] })
    })
  })

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject)
    httpServer.listen(opts.port, opts.host, () => resolve())
  })
  const addr = httpServer.address()
  const port = typeof addr === 'object' && addr ? addr.port : opts.port
  return {
    url: `http://${opts.host === '0.0.0.0' ? 'localhost' : opts.host}:${port}`,
    port,
    db,
    async close() {
      await apollo.stop()
      await db.close()
    },
  }
}
