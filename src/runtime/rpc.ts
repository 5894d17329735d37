/**
 * A minimal JSON-RPC client for talking to an EVM node: the devnet tooling
 * (deploy, genesis, simulator), `npm run verify`, and the indexer's start-up
 * check of the finalized block against the chain (main.ts, through the
 * relay). The processor fetches its blocks and logs with its own client.
 * Hand-written because it is a few lines over fetch: JSON-RPC 2.0 requests
 * and batches with a typed error carrying the node's code and data.
 */
export class RpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(`${method}: ${message} (code ${code})`)
  }
}

interface RpcResponse {
  id: number
  result?: unknown
  error?: { code: number; message: string; data?: unknown }
}

export interface RpcCall {
  method: string
  params: unknown[]
}

export class RpcClient {
  private nextId = 1

  constructor(
    readonly url: string,
    /** Each request's time limit (none when unset). */
    private readonly o: { timeoutMs?: number } = {},
  ) {}

  async call<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    const [res] = await this.batch<T>([{ method, params }])
    return res
  }

  /** Like `batch`, but each call's error is its own answer (a revert of one eth_call does not fail the others). */
  async batchSettled<T = unknown>(calls: RpcCall[]): Promise<({ result: T } | { error: RpcError })[]> {
    if (calls.length === 0) return []
    const body = calls.map((c) => ({ jsonrpc: '2.0', id: this.nextId++, method: c.method, params: c.params }))
    const signal = this.o.timeoutMs === undefined ? undefined : AbortSignal.timeout(this.o.timeoutMs)
    const res = await fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal })
    if (!res.ok) throw new Error(`RPC ${this.url} answered HTTP ${res.status}`)
    const byId = new Map(((await res.json()) as RpcResponse[]).map((r) => [r.id, r]))
    return body.map((b, i) => {
      const r = byId.get(b.id)
      if (!r) throw new Error(`RPC ${this.url} gave no answer to ${calls[i].method}`)
      return r.error ? { error: new RpcError(calls[i].method, r.error.code, r.error.message, r.error.data) } : { result: r.result as T }
    })
  }

  /** Sends many calls in one HTTP request; results come back in call order. Throws on the first error. */
  async batch<T = unknown>(calls: RpcCall[]): Promise<T[]> {
    return (await this.batchSettled<T>(calls)).map((r) => {
      if ('error' in r) throw r.error
      return r.result
    })
  }
}
