/**
 * A valid subscription operation of the API's schema (its first field that
 * needs no argument), or a subscription of `_meta` when the schema has none
 * (graphql-js then leaves the operation type to execution, and GET refuses it first).
 */
export function someSubscription(): string {
  const sub = buildSchema().getSubscriptionType()
  const field = sub && Object.values(sub.getFields()).find((f) => f.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined))
  if (!field) return 'subscription { _meta { height } }'
  return `subscription { ${field.name}${isLeafType(getNamedType(field.type)) ? '' : ' { __typename }'} }`
}

/**
 * The set-up every API-side test shares: a devnet mined `eras` eras deep, a
 * fresh database indexed to the devnet's head by the real indexer (lib/main.js),
 * and the real API reading it through the read-only role, as `npm start`
 * connects it; each on free ports, so tests run beside a running stack.
 */
import { getNamedType, isLeafType, isNonNullType } from 'graphql'
import { buildSchema } from '../../src/api/executable'
import { ApiServer, startApiServer } from '../../src/api/server'
import { ApiLimits, loadPreset } from '../../src/config'
import { ensureReadOnlyRole } from '../../src/db/readonly'
import type { Devnet } from '../../src/devnet'
import { blockNumber, IndexerProcess, runIndexer, testDatabase, testDevnet, waitForHeight } from '.'

export interface IndexedApi {
  devnet: Devnet
  /** The admin URL the indexer writes with. */
  dbUrl: string
  /** The read-only role's URL the API reads with. */
  roUrl: string
  head: number
  api: ApiServer
  indexer: IndexerProcess
  stop(): Promise<void>
}

export async function indexedApi(o: {
  eras: number
  seed?: number
  limits?: Partial<ApiLimits>
  /** More settings for the indexer (metrics port, log format). */
  indexerEnv?: { INDEXER_METRICS_PORT?: string; LOG_FORMAT?: string }
}): Promise<IndexedApi> {
  const devnet = await testDevnet({ eras: o.eras, seed: o.seed })
  const dbUrl = await testDatabase()
  const head = await blockNumber(devnet.anvil.rpc)
  const indexer = runIndexer({ RPC_URL: devnet.anvil.url, DATABASE_URL: dbUrl, ...o.indexerEnv })
  await waitForHeight(dbUrl, head, indexer)
  const ro = await ensureReadOnlyRole(dbUrl)
  if ('reason' in ro) throw new Error(`the test server's admin should create roles: ${ro.reason}`)
  const api = await startApiServer({ databaseUrl: ro.url, preset: loadPreset('devnet'), host: '127.0.0.1', port: 0, limits: o.limits })
  return {
    devnet,
    dbUrl,
    roUrl: ro.url,
    head,
    api,
    indexer,
    async stop() {
      await api.close()
      await indexer.stop()
      await devnet.stop()
    },
  }
}

export interface HttpReply {
  status: number
  headers: Headers
  text: string
  /** The body as JSON, or undefined when it is not JSON. */
  json?: GqlBody
}

export interface GqlBody {
  data?: Record<string, unknown> | null
  errors?: { message: string; extensions?: { code?: string; argument?: string; [k: string]: unknown } }[]
}

export async function request(base: string, path: string, init: RequestInit = {}): Promise<HttpReply> {
  const res = await fetch(base + path, init)
  const text = await res.text()
  let json: GqlBody | undefined
  try {
    json = JSON.parse(text) as GqlBody
  } catch {
    json = undefined
  }
  return { status: res.status, headers: res.headers, text, json }
}

export const GRAPHQL_RESPONSE = 'application/graphql-response+json'

/** POST a GraphQL request as JSON, accepting `accept` (default: the spec's own media type). */
export function post(base: string, body: unknown, accept = GRAPHQL_RESPONSE): Promise<HttpReply> {
  return request(base, '/graphql', { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify(body) })
}

export function getQuery(base: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<HttpReply> {
  return request(base, `/graphql?${new URLSearchParams(params)}`, { headers })
}

export const codesOf = (r: HttpReply) => (r.json?.errors ?? []).map((e) => e.extensions?.code)
