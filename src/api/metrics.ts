/**
 * Prometheus metrics of the API process (`GET /metrics`): where the index
 * stands (read from the indexer's status row at scrape time), request
 * latency by GraphQL operation, statements issued, and the database pool.
 */
import http from 'node:http'
import type { ApolloServerPlugin } from '@apollo/server'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { JitCounts } from './jit'
import type { Db } from './sql/db'
import { indexerStatus } from './sql/meta'

export class ApiMetrics {
  readonly registry = new Registry()
  private readonly latency: Histogram<'operation' | 'type' | 'outcome'>

  constructor(private readonly db: Db) {
    const registers = [this.registry]
    collectDefaultMetrics({ register: this.registry, prefix: 'icn_api_' })
    // Which Node.js serves the API is nobody's business outside.
    this.registry.removeSingleMetric('icn_api_nodejs_version_info')
    this.latency = new Histogram({
      name: 'icn_api_request_duration_seconds',
      help: 'GraphQL request time by operation name (anonymous when unnamed), operation type and outcome',
      labelNames: ['operation', 'type', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    })
    const status = () => indexerStatus(db).catch(() => undefined)
    // One status read per scrape, shared by the gauges below.
    let pending: ReturnType<typeof status> | undefined
    const current = () => (pending ??= status().finally(() => setTimeout(() => (pending = undefined), 0)))
    const gauge = (name: string, help: string, pick: (s: NonNullable<Awaited<ReturnType<typeof status>>>) => number) =>
      new Gauge({
        name,
        help,
        registers,
        // The same in every worker of a cluster: taken once, not summed.
        aggregator: 'first',
        async collect() {
          const s = await current()
          if (s) this.set(pick(s))
        },
      })
    gauge('icn_indexed_height', 'Latest indexed block', (s) => s.height)
    gauge('icn_finalized_height', 'Highest block the indexer considers final', (s) => s.finalized_height)
    gauge('icn_chain_head', 'Chain head as the RPC last answered it to the indexer (eth_blockNumber)', (s) => s.chain_head)
    gauge('icn_lag_blocks', 'Chain head minus indexed height', (s) => Math.max(0, s.chain_head - s.height))
    gauge('icn_undecoded_logs', 'Logs at watched addresses that did not decode or apply', (s) => s.undecoded_logs)
    gauge('icn_inconsistencies', 'Events whose sums stated on chain the index does not reach (e.g. a slash\'s position losses against its delegatorAmount)', (s) => s.inconsistencies)
    new Gauge({ name: 'icn_unknown_events', help: 'Logs at watched addresses whose topic is none of the spec\'s events, skipped (not an error), per address and topic', labelNames: ['address', 'topic'], registers, aggregator: 'first', async collect() {
      const s = await current()
      this.reset()
      for (const u of s?.unknown_events ?? []) this.set({ address: u.address, topic: u.topic ?? 'none' }, u.count)
    } })
    new Gauge({ name: 'icn_api_db_pool_connections', help: 'Connections of the API pool by state', labelNames: ['state'], registers, collect() {
      this.set({ state: 'total' }, db.pool.totalCount)
      this.set({ state: 'idle' }, db.pool.idleCount)
      this.set({ state: 'waiting' }, db.pool.waitingCount)
    } })
    // 1 per process: summed across a cluster's workers, the number serving.
    new Gauge({ name: 'icn_api_workers', help: 'API processes serving (the workers of a cluster, summed)', registers, collect() {
      this.set(1)
    } })
    new Counter({ name: 'icn_api_db_statements_total', help: 'SQL statements issued by the API', registers, collect() {
      this.reset()
      this.inc(db.statements)
    } })
  }

  /** Operations executed by each engine (src/api/jit.ts): compiled by graphql-jit, or interpreted by graphql-js. */
  executions(counts: () => JitCounts): void {
    new Counter({ name: 'icn_api_executions_total', help: 'GraphQL operations executed, by engine: jit (compiled by graphql-jit) or graphql-js (the documents graphql-jit cannot take)', labelNames: ['engine'], registers: [this.registry], collect() {
      const c = counts()
      this.reset()
      this.inc({ engine: 'jit' }, c.compiled)
      this.inc({ engine: 'graphql-js' }, c.interpreted)
    } })
  }

  /** Clients name operations: at most this many distinct names get their own series; the rest are 'other'. */
  private readonly names = new Set<string>()

  private label(name: string | null | undefined): string {
    if (!name) return 'anonymous'
    if (this.names.has(name)) return name
    if (this.names.size >= 200 || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return 'other'
    this.names.add(name)
    return name
  }

  /** Times every GraphQL request, labelled by its operation. */
  plugin<C extends object>(): ApolloServerPlugin<C> {
    const latency = this.latency
    const label = (n: string | null | undefined) => this.label(n)
    return {
      async requestDidStart() {
        const t0 = process.hrtime.bigint()
        return {
          async willSendResponse(rc) {
            const seconds = Number(process.hrtime.bigint() - t0) / 1e9
            latency.observe({ operation: label(rc.operationName), type: rc.operation?.operation ?? 'invalid', outcome: rc.errors?.length ? 'error' : 'ok' }, seconds)
          },
        }
      },
    }
  }

  async text(): Promise<string> {
    return this.registry.metrics()
  }
}

/** Ready: the database answers and the index is no more than `maxLag` blocks behind the head it has seen. */
export async function readiness(db: Db, maxLag: number): Promise<{ ready: boolean; reason?: string; height?: number; lag?: number; warnings?: { code: string; message: string }[] }> {
  let s
  try {
    s = await indexerStatus(db)
  } catch (e) {
    return { ready: false, reason: `database: ${(e as Error).message}` }
  }
  if (!s) return { ready: false, reason: 'nothing indexed yet' }
  const lag = Math.max(0, s.chain_head - s.height)
  if (lag > maxLag) return { ready: false, reason: `lag ${lag} blocks exceeds ${maxLag}`, height: s.height, lag }
  if (s.warnings.length > 0) return { ready: false, reason: s.warnings.map((w) => w.message).join('; '), height: s.height, lag, warnings: s.warnings }
  return { ready: true, height: s.height, lag }
}

/** /metrics on a port of its own (GET and HEAD; anything else 404 or 405), so the public port does not show it. */
export async function serveMetrics(text: () => Promise<string>, contentType: string, host: string, port: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    const send = (status: number, type: string, body: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'x-content-type-options': 'nosniff', ...extra })
      res.end(req.method === 'HEAD' ? undefined : body)
    }
    if (path !== '/metrics') return send(404, 'text/plain; charset=utf-8', 'not found: this port serves /metrics only\n')
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain; charset=utf-8', 'method not allowed\n', { allow: 'GET, HEAD' })
    text().then(
      (body) => send(200, contentType, body),
      (e: unknown) => send(500, 'text/plain; charset=utf-8', `metrics failed: ${(e as Error).message}\n`),
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  return server
}
