/**
 * The indexer's guard in front of its RPC endpoints. The processor talks to
 * this relay on a loopback port; the relay forwards each JSON-RPC request to
 * one of the configured endpoints and hands back only an answer it has
 * checked. Whatever an endpoint does wrong is retried, on the next endpoint
 * when there are several (fail-over in the configured order), with back-off:
 *
 * - HTTP errors (5xx, 429), time-outs, dropped connections;
 * - a body that is not complete JSON (truncated), or a batch answer that does
 *   not answer every call;
 * - a JSON-RPC rate-limit error;
 * - a lagging node: a head below one already seen, or "no such block" for a
 *   block at or below that head.
 *
 * One thing is never retried: an endpoint that answers with another chain id
 * than the preset's (checked at start, every few seconds, and before an
 * endpoint is used again after a failure) stops the indexer, since blocks of
 * another chain must never reach the index.
 *
 * Hand-written because no maintained package does this: the SDK's RPC client
 * retries transport errors on one endpoint, but neither checks answers
 * against the chain's head nor fails over between endpoints, and general
 * HTTP proxies know nothing of JSON-RPC batches or chain ids.
 */
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { AddressInfo } from 'node:net'
import { ConfigError, IndexerConfig } from '../config'
import { log } from './log'

export interface RelayOptions {
  upstreams: string[]
  chainId: number
  /** Per-attempt time-out of a request to an endpoint. */
  timeoutMs: number
  /** How long one request may be retried before the relay answers 503 (the processor then retries it itself). */
  deadlineMs?: number
  /** Seconds between chain-id checks of every endpoint. */
  chainCheckMs?: number
  /** Called once when an endpoint proves to be on another chain. */
  onFatal(e: Error): void
}

/** What the relay's thread (./relay-worker.ts) is started with, and what it says back. */
export type RelayWorkerData = Omit<RelayOptions, 'onFatal'> & { logJson: boolean }
export type RelayWorkerMessage = { kind: 'ready'; url: string } | { kind: 'failed'; message: string; atStart: boolean } | { kind: 'fatal'; message: string }

export class RpcFault extends Error {}

export class ChainIdMismatch extends Error {}

interface JsonRpcCall {
  id?: unknown
  method?: string
  params?: unknown[]
}

interface JsonRpcAnswer {
  id?: unknown
  result?: unknown
  error?: { code?: number; message?: string }
}

/** An RPC URL may carry an API key in its path or credentials: print only its origin. */
function redactUrl(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return '(invalid url)'
  }
}

const BACKOFF_MS = [100, 250, 500, 1000, 2000, 5000]

class Upstream {
  failures = 0
  /** Not to be used before this time (ms). */
  coolUntil = 0
  /** Whether its chain id must be confirmed before it is used again. */
  suspect = false
  constructor(readonly url: string) {}
  get name(): string {
    return redactUrl(this.url)
  }
}

export class RpcRelay {
  private readonly upstreams: Upstream[]
  private readonly deadlineMs: number
  private fatal?: Error
  /** The highest head any endpoint has reported: a later, lower one is a lagging node's. */
  private maxHead = -1

  constructor(private readonly o: RelayOptions) {
    if (o.upstreams.length === 0) throw new Error('no RPC endpoint')
    this.upstreams = o.upstreams.map((u) => new Upstream(u))
    this.deadlineMs = o.deadlineMs ?? 25_000
  }

  /** Checks every endpoint's chain id once, then serves; returns the relay's URL. */
  async start(): Promise<string> {
    for (const u of this.upstreams) await this.checkChain(u, true)
    const server = http.createServer((req, res) => void this.handle(req, res))
    server.keepAliveTimeout = 60_000
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    const check = this.o.chainCheckMs ?? 5000
    setInterval(() => void this.checkAll(), check).unref()
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  }

  private async checkAll(): Promise<void> {
    for (const u of this.upstreams) {
      await this.checkChain(u, false).catch(() => undefined)
    }
  }

  /**
   * Asks an endpoint its chain id. A wrong one is fatal; an endpoint that
   * cannot answer is only reported when `required` (at start).
   */
  private async checkChain(u: Upstream, required: boolean): Promise<void> {
    let got: number
    try {
      const call = { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }
      const text = await this.post(u, JSON.stringify(call))
      // The same checks as any answer (truncated JSON, rate limits), so a fault here reads as the fault it is.
      this.check(text, [call], false)
      const a = JSON.parse(text) as JsonRpcAnswer
      if (typeof a.result !== 'string') throw new RpcFault(`eth_chainId answered ${text.slice(0, 200)}`)
      got = Number(BigInt(a.result))
    } catch (e) {
      if (required) throw new RpcFault(`RPC ${u.name} did not answer eth_chainId: ${(e as Error).message}`)
      throw e
    }
    if (got !== this.o.chainId) {
      const e = new ChainIdMismatch(
        `RPC ${u.name} answers chain id ${got}, but the preset is chain ${this.o.chainId}: refusing to index another chain's blocks (check RPC_URL, or the node behind it)`,
      )
      if (!this.fatal) {
        this.fatal = e
        this.o.onFatal(e)
      }
      throw e
    }
    u.suspect = false
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    let answer: string
    try {
      answer = await this.forward(body)
    } catch (e) {
      res.writeHead(503, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32603, message: `icn-indexer RPC relay: ${(e as Error).message}` } }))
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(answer)
  }

  /** Forwards one request until an endpoint gives a sound answer, or the deadline passes. */
  private async forward(body: string): Promise<string> {
    let calls: JsonRpcCall[]
    let batch: boolean
    try {
      const parsed = JSON.parse(body) as JsonRpcCall | JsonRpcCall[]
      batch = Array.isArray(parsed)
      calls = Array.isArray(parsed) ? parsed : [parsed]
    } catch {
      throw new Error('the request is not JSON')
    }
    const deadline = Date.now() + this.deadlineMs
    for (;;) {
      if (this.fatal) throw this.fatal
      const u = await this.pick(deadline)
      try {
        if (u.suspect) await this.checkChain(u, false)
        const text = await this.post(u, body)
        this.check(text, calls, batch)
        if (u.failures > 0) log.info('rpc', `${u.name} answers again after ${u.failures} failure(s)`, { rpc: u.name })
        u.failures = 0
        return text
      } catch (e) {
        if (e instanceof ChainIdMismatch) throw e
        this.failed(u, e as Error, calls)
        if (Date.now() >= deadline) throw new Error(`no RPC endpoint gave a sound answer within ${this.deadlineMs} ms: ${(e as Error).message}`)
      }
    }
  }

  /** The first endpoint in the configured order that is not cooling down; waits for one if all are. */
  private async pick(deadline: number): Promise<Upstream> {
    for (;;) {
      const now = Date.now()
      const ready = this.upstreams.find((u) => u.coolUntil <= now)
      if (ready) return ready
      const next = Math.min(...this.upstreams.map((u) => u.coolUntil))
      if (next > deadline) throw new Error(`every RPC endpoint is backing off`)
      await new Promise((r) => setTimeout(r, next - now))
    }
  }

  private failed(u: Upstream, e: Error, calls: JsonRpcCall[]): void {
    u.failures += 1
    u.suspect = true
    const pause = BACKOFF_MS[Math.min(u.failures, BACKOFF_MS.length) - 1]
    u.coolUntil = Date.now() + pause
    const method = calls.length === 1 ? calls[0].method : `batch of ${calls.length} ${calls[0]?.method ?? ''}`
    const other = this.upstreams.length > 1 ? '; failing over' : ''
    log.warn('rpc', `${u.name} failed ${method}: ${e.message}; retrying after ${pause} ms back-off (failure ${u.failures} in a row)${other}`, {
      rpc: u.name,
      method,
      reason: e.message,
      backoffMs: pause,
      failures: u.failures,
    })
  }

  private async post(u: Upstream, body: string): Promise<string> {
    let res: Response
    try {
      res = await fetch(u.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.o.timeoutMs),
      })
    } catch (e) {
      throw new RpcFault(describeFetchError(e, this.o.timeoutMs))
    }
    let text: string
    try {
      text = await res.text()
    } catch (e) {
      throw new RpcFault(`connection dropped mid-answer (${describeFetchError(e, this.o.timeoutMs)})`)
    }
    if (res.status === 429) throw new RpcFault(`rate limited (HTTP 429)`)
    if (res.status !== 200) throw new RpcFault(`HTTP ${res.status}`)
    return text
  }

  /** Throws an RpcFault unless `text` is a complete, consistent answer to `calls`. */
  private check(text: string, calls: JsonRpcCall[], batch: boolean): void {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      throw new RpcFault(`invalid JSON (truncated answer of ${text.length} bytes)`)
    }
    const answers = (batch ? parsed : [parsed]) as JsonRpcAnswer[]
    if (!Array.isArray(answers) || answers.length !== calls.length || answers.some((a) => a == null || typeof a !== 'object')) {
      throw new RpcFault(`incomplete answer (${Array.isArray(answers) ? answers.length : 'not a list'} answers to ${calls.length} calls)`)
    }
    const byId = new Map(answers.map((a) => [JSON.stringify(a.id), a]))
    let head = -1
    for (const c of calls) {
      const a = byId.get(JSON.stringify(c.id))
      if (!a) throw new RpcFault(`incomplete answer (no answer to call id ${JSON.stringify(c.id)})`)
      if (a.error) {
        if (a.error.code === 429 || a.error.code === -32005 || /rate.?limit|too many requests/i.test(a.error.message ?? '')) {
          throw new RpcFault(`rate limited (${a.error.message ?? a.error.code})`)
        }
        continue
      }
      if (c.method === 'eth_blockNumber' && typeof a.result === 'string') {
        const h = Number(a.result)
        if (h < this.maxHead) throw new RpcFault(`lagging node (head ${h} is below ${this.maxHead}, already seen)`)
        head = Math.max(head, h)
      } else if (c.method === 'eth_getBlockByNumber' && a.result == null) {
        const p = c.params?.[0]
        const n = typeof p === 'string' && p.startsWith('0x') ? Number(p) : NaN
        if (n <= this.maxHead) throw new RpcFault(`lagging node (no block ${n}, though the head is ${this.maxHead})`)
      }
    }
    if (head > this.maxHead) this.maxHead = head
  }
}

function describeFetchError(e: unknown, timeoutMs: number): string {
  const err = e as Error & { cause?: { code?: string; message?: string } }
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `timed out after ${timeoutMs} ms`
  const cause = err.cause?.code ?? err.cause?.message
  return cause ? `${err.message} (${cause})` : err.message
}

/** How long the relay retries one request before answering 503 (the processor's own time-out is longer). */
export function relayDeadlineMs(cfg: IndexerConfig): number {
  return 2 * cfg.rpcTimeoutMs + 5000
}

/**
 * Starts the relay in front of the configured endpoints, each checked for the
 * preset's chain id; returns the URL the processor is to use. An endpoint
 * that cannot answer at start is a ConfigError naming it. The relay runs on a
 * worker thread (./relay-worker.ts) where the compiled build has one, in this
 * thread otherwise (under ts-jest the worker's file is TypeScript).
 */
export async function startRelay(cfg: IndexerConfig, onFatal: (e: Error) => void): Promise<string> {
  const options = { upstreams: cfg.rpcUrls, chainId: cfg.preset.chainId, timeoutMs: cfg.rpcTimeoutMs, deadlineMs: relayDeadlineMs(cfg) }
  const workerFile = path.join(__dirname, 'relay-worker.js')
  if (!fs.existsSync(workerFile)) {
    return new RpcRelay({ ...options, onFatal }).start().catch((e: unknown) => {
      throw e instanceof RpcFault ? new ConfigError((e as Error).message) : e
    })
  }
  const data: RelayWorkerData = { ...options, logJson: cfg.logJson }
  const worker = new Worker(workerFile, { workerData: data })
  return new Promise<string>((resolve, reject) => {
    worker.on('message', (m: RelayWorkerMessage) => {
      if (m.kind === 'ready') resolve(m.url)
      else if (m.kind === 'failed') reject(m.atStart ? new ConfigError(m.message) : new Error(m.message))
      else onFatal(new ChainIdMismatch(m.message))
    })
    worker.on('error', (e) => {
      reject(e)
      onFatal(new Error(`the RPC relay's thread failed: ${e.stack ?? e.message}`))
    })
  })
}
