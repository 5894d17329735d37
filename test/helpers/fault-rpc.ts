/**
 * A hostile RPC: a real HTTP server between the indexer and anvil that
 * forwards JSON-RPC and, as its `plan` says for each request, answers with a
 * fault instead: 5xx, 429, a time-out, a dropped connection, truncated JSON,
 * a lagging node's view (a head below the real one, no blocks above it,
 * clamped log ranges), or another chain's id.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Rng } from '../../src/devnet/simulator'

export type Fault = 'ok' | 'http500' | 'http502' | 'http503' | 'http429' | 'rpc429' | 'timeout' | 'drop' | 'truncate' | 'lag' | 'chainId'

export const FAULTS: Fault[] = ['http500', 'http502', 'http503', 'http429', 'rpc429', 'timeout', 'drop', 'truncate', 'lag']

export interface FaultProxy {
  url: string
  /** Faults answered so far, by kind. */
  counts: Map<Fault, number>
  requests(): number
  /** Replaces the plan from now on. */
  setPlan(plan: Plan): void
  stop(): Promise<void>
}

interface Call {
  jsonrpc?: string
  id?: unknown
  method?: string
  params?: unknown[]
}

/** A plan that answers `ok` except, with probability `p`, a fault picked at random from `faults`. */
/** Decides each request's fate from its number (from 0) and its JSON-RPC body. */
export type Plan = (n: number, body: string) => Fault

export function randomPlan(seed: number, p: number, faults: Fault[] = FAULTS, okFirst = 0): Plan {
  const rng = new Rng(seed)
  return (n) => (n < okFirst || rng.next() >= p ? 'ok' : faults[rng.int(0, faults.length - 1)])
}

async function upstream(url: string, body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  return { status: res.status, text: await res.text() }
}

const hex = (n: number) => '0x' + n.toString(16)

export async function startFaultProxy(target: string, plan: Plan, o: { lag?: number; timeoutHoldMs?: number; otherChainId?: number } = {}): Promise<FaultProxy> {
  const counts = new Map<Fault, number>()
  let n = 0
  let current = plan
  const lag = o.lag ?? 5
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const fault = current(n++, body)
      if (fault !== 'ok') counts.set(fault, (counts.get(fault) ?? 0) + 1)
      void answer(fault, body, req, res).catch(() => res.destroy())
    })
  })
  async function answer(fault: Fault, body: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const json = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
      res.end(text)
    }
    switch (fault) {
      case 'http500':
        return json(500, '{"error":"internal server error"}')
      case 'http502':
        res.writeHead(502, { 'content-type': 'text/html' })
        return void res.end('<html><body>502 Bad Gateway</body></html>')
      case 'http503':
        return json(503, '{"error":"service unavailable"}')
      case 'http429':
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' })
        return void res.end('{"error":"too many requests"}')
      case 'rpc429': {
        const calls = JSON.parse(body) as Call | Call[]
        const err = (c: Call) => ({ jsonrpc: '2.0', id: c.id ?? null, error: { code: 429, message: 'Too Many Requests: rate limit exceeded' } })
        return json(200, JSON.stringify(Array.isArray(calls) ? calls.map(err) : err(calls)))
      }
      case 'timeout':
        // Holds the request far beyond the client's time-out, then gives up on it.
        setTimeout(() => res.destroy(), o.timeoutHoldMs ?? 10_000).unref()
        return
      case 'drop':
        return void req.socket.destroy()
      case 'truncate': {
        const up = await upstream(target, body)
        // A complete HTTP answer whose JSON stops half-way.
        return json(up.status, up.text.slice(0, Math.max(1, Math.floor(up.text.length / 2))))
      }
      case 'chainId': {
        const calls = JSON.parse(body) as Call | Call[]
        const list = Array.isArray(calls) ? calls : [calls]
        if (list.some((c) => c.method === 'eth_chainId')) {
          const one = (c: Call) => (c.method === 'eth_chainId' ? { jsonrpc: '2.0', id: c.id, result: hex(o.otherChainId ?? 1) } : undefined)
          const fwd = list.filter((c) => c.method !== 'eth_chainId')
          const rest = fwd.length ? ((JSON.parse((await upstream(target, JSON.stringify(fwd))).text) as unknown[]) ?? []) : []
          const out = list.map((c) => one(c) ?? (rest as Call[]).find((r) => JSON.stringify(r.id) === JSON.stringify(c.id)))
          return json(200, JSON.stringify(Array.isArray(calls) ? out : out[0]))
        }
        const up = await upstream(target, body)
        return json(up.status, up.text)
      }
      case 'lag':
        return json(200, await lagging(body))
      default: {
        const up = await upstream(target, body)
        return json(up.status, up.text)
      }
    }
  }
  /** What a lagging node would answer: its head `lag` blocks behind, and none of the blocks asked for yet. */
  async function lagging(body: string): Promise<string> {
    const head = Number(JSON.parse((await upstream(target, '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}')).text).result)
    const calls = JSON.parse(body) as Call | Call[]
    const list = Array.isArray(calls) ? calls : [calls]
    // Behind the chain by `lag` blocks, and in any case just short of the blocks this request asks for.
    const asked = list.filter((c) => c.method === 'eth_getBlockByNumber' && typeof c.params?.[0] === 'string' && c.params[0].startsWith('0x')).map((c) => Number(c.params![0]))
    const cap = Math.max(0, Math.min(head - lag, ...asked.map((n) => n - 1)))
    const out: unknown[] = []
    const fwd: Call[] = []
    for (const c of list) {
      if (c.method === 'eth_blockNumber') out.push({ jsonrpc: '2.0', id: c.id, result: hex(cap) })
      else if (c.method === 'eth_getBlockByNumber' && typeof c.params?.[0] === 'string' && c.params[0].startsWith('0x') && Number(c.params[0]) > cap) {
        out.push({ jsonrpc: '2.0', id: c.id, result: null })
      } else if (c.method === 'eth_getLogs') {
        const f = { ...(c.params?.[0] as { fromBlock?: string; toBlock?: string }) }
        if (f.toBlock && Number(f.toBlock) > cap) f.toBlock = hex(cap)
        if (f.fromBlock && Number(f.fromBlock) > cap) out.push({ jsonrpc: '2.0', id: c.id, result: [] })
        else fwd.push({ ...c, params: [f] })
      } else fwd.push(c)
    }
    if (fwd.length) out.push(...(JSON.parse((await upstream(target, JSON.stringify(fwd))).text) as unknown[]))
    const byId = new Map(out.map((a) => [JSON.stringify((a as Call).id), a]))
    const ordered = list.map((c) => byId.get(JSON.stringify(c.id)))
    return JSON.stringify(Array.isArray(calls) ? ordered : ordered[0])
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    requests: () => n,
    setPlan: (p) => (current = p),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
