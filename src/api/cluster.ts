/**
 * API_WORKERS > 1: the API runs as that many worker processes on one port
 * (node:cluster; the primary accepts connections and hands them round), which
 * share nothing but Postgres. Each worker has its own pool, per-head cache
 * and subscription listener (each LISTENs itself, so every subscriber hears
 * every head). What must be one across the workers lives in the primary:
 *
 * - the per-client rate limit: each worker's @fastify/rate-limit asks the
 *   primary's counts over IPC (ClusterRateLimitStore), so a client spread
 *   over the workers gets API_RATE_LIMIT in all, not per worker;
 * - /metrics: the worker that is asked gets every worker's series from the
 *   primary (prom-client's AggregatorRegistry: counters and histograms
 *   summed, the index's own gauges taken once).
 *
 * A worker that exits unexpectedly stops the API (exit 1): an error nobody
 * expected is not papered over by a restart loop; the supervisor restarts it.
 */
import cluster, { type Worker } from 'node:cluster'
import type http from 'node:http'
import type { AddressInfo } from 'node:net'
import { AggregatorRegistry, type Registry } from 'prom-client'
import type { ApiConfig } from '../config'
import { log } from '../runtime/log'
import { serveMetrics } from './metrics'

interface RateLimitAsk {
  icn: 'rate-limit'
  id: number
  key: string
  windowMs: number
}
interface MetricsAsk {
  icn: 'metrics'
  id: number
}
interface Ready {
  icn: 'ready'
  url: string
}
type ToWorker = { icn: 'rate-limit'; id: number; current: number; ttl: number } | { icn: 'metrics'; id: number; text?: string; error?: string }

const isOurs = (m: unknown): m is { icn: string; id: number } => typeof m === 'object' && m !== null && typeof (m as { icn?: unknown }).icn === 'string'

export const inWorker = () => cluster.isWorker

// ------------------------------------------------------------------ worker side

let nextId = 1
const pending = new Map<number, (m: ToWorker) => void>()
let listening = false

function ask<T extends ToWorker>(m: RateLimitAsk | MetricsAsk): Promise<T> {
  if (!listening) {
    listening = true
    process.on('message', (r: unknown) => {
      if (!isOurs(r)) return
      const done = pending.get(r.id)
      pending.delete(r.id)
      done?.(r as ToWorker)
    })
  }
  return new Promise((resolve) => {
    pending.set(m.id, resolve as (m: ToWorker) => void)
    process.send!(m)
  })
}

/**
 * A store for @fastify/rate-limit whose counts are the primary's: the same
 * fixed window per key as its own LocalStore, kept once for every worker.
 */
export class ClusterRateLimitStore {
  incr(key: string, cb: (err: Error | null, res?: { current: number; ttl: number }) => void, timeWindow: number): void {
    ask<Extract<ToWorker, { icn: 'rate-limit' }>>({ icn: 'rate-limit', id: nextId++, key, windowMs: timeWindow }).then(
      (r) => cb(null, { current: r.current, ttl: r.ttl }),
      (e: Error) => cb(e),
    )
  }
  child(): ClusterRateLimitStore {
    return this
  }
}

/** Every worker's metrics, aggregated by the primary (from a worker). */
export async function clusterMetricsText(): Promise<string> {
  const r = await ask<Extract<ToWorker, { icn: 'metrics' }>>({ icn: 'metrics', id: nextId++ })
  if (r.error !== undefined) throw new Error(r.error)
  return r.text!
}

/** Lets the primary collect this worker's registry; then tells it the worker is serving. */
export function workerReady(registry: Registry, url: string): void {
  // prom-client answers the primary's requests in a process that made an AggregatorRegistry.
  new AggregatorRegistry()
  AggregatorRegistry.setRegistries([registry])
  process.send!({ icn: 'ready', url } satisfies Ready)
}

// ------------------------------------------------------------------ primary side

/** Fixed windows per key, as @fastify/rate-limit's LocalStore keeps them. */
class Windows {
  private readonly w = new Map<string, { count: number; start: number }>()
  incr(key: string, windowMs: number, now = Date.now()): { current: number; ttl: number } {
    let e = this.w.get(key)
    if (!e || e.start + windowMs <= now) {
      e = { count: 0, start: now }
      this.w.set(key, e)
    }
    e.count += 1
    // Forget expired windows now and then, so the map stays as small as the set of recent clients.
    if (this.w.size > 10_000) for (const [k, v] of this.w) if (v.start + windowMs <= now) this.w.delete(k)
    return { current: e.count, ttl: e.start + windowMs - now }
  }
}

/**
 * The primary: forks `cfg.workers` workers (each runs startApiServer on the
 * shared port), answers their rate-limit and metrics asks, serves the
 * aggregated /metrics itself when API_METRICS_PORT is set, and stops them on
 * SIGINT/SIGTERM.
 */
export async function runPrimary(cfg: ApiConfig): Promise<void> {
  const aggregator = new AggregatorRegistry()
  const windows = new Windows()
  let stopping = false
  const workers: Worker[] = []
  const ready: Promise<string>[] = []
  for (let i = 0; i < cfg.workers; i++) {
    const w = cluster.fork({ ICN_API_WORKER: String(i + 1) })
    workers.push(w)
    ready.push(
      new Promise<string>((resolve, reject) => {
        w.on('message', (m: unknown) => {
          if (!isOurs(m)) return
          if (m.icn === 'ready') resolve((m as unknown as Ready).url)
          else if (m.icn === 'rate-limit') {
            const a = m as unknown as RateLimitAsk
            w.send({ icn: 'rate-limit', id: a.id, ...windows.incr(a.key, a.windowMs) } satisfies ToWorker)
          } else if (m.icn === 'metrics') {
            aggregator.clusterMetrics().then(
              (text) => w.send({ icn: 'metrics', id: m.id, text } satisfies ToWorker),
              (e: Error) => w.send({ icn: 'metrics', id: m.id, error: e.message } satisfies ToWorker),
            )
          }
        })
        w.once('exit', (code, signal) => reject(new Error(`API worker ${i + 1} exited at start (${signal ?? `code ${code}`})`)))
      }),
    )
  }
  const stop = async (code: number) => {
    if (stopping) return
    stopping = true
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve()
            w.once('exit', () => resolve())
            w.process.kill('SIGTERM')
          }),
      ),
    )
    await new Promise<void>((resolve) => (metricsServer ? metricsServer.close(() => resolve()) : resolve()))
    process.exit(code)
  }
  process.once('SIGINT', () => void stop(0))
  process.once('SIGTERM', () => void stop(0))
  let metricsServer: http.Server | undefined
  let urls: string[]
  try {
    urls = await Promise.all(ready)
  } catch (e) {
    log.error('api', (e as Error).message)
    return stop(1)
  }
  cluster.on('exit', (w, code, signal) => {
    if (stopping) return
    log.error('api', `API worker ${w.id} exited (${signal ?? `code ${code}`}); stopping the API`)
    void stop(1)
  })
  if (cfg.metricsPort !== undefined) metricsServer = await serveMetrics(() => aggregator.clusterMetrics(), aggregator.contentType, cfg.host, cfg.metricsPort)
  const metricsNote = metricsServer ? `; metrics on port ${(metricsServer.address() as AddressInfo).port}` : ''
  log.info('api', `listening on ${urls[0]}/graphql (${cfg.workers} workers${metricsNote})`, { url: urls[0], workers: cfg.workers })
}
