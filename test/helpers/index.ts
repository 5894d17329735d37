/** Shared test helpers: each test file gets its own database and its own chain. */
import { ChildProcess, spawn } from 'node:child_process'
import crypto from 'node:crypto'
import path from 'node:path'
import { Client } from 'pg'
import { createDatabase } from '../../src/db/embedded'
import { Devnet, startDevnet } from '../../src/devnet'
import { freePort } from '../../src/runtime/ports'
import type { RpcClient } from '../../src/runtime/rpc'

export const ROOT = path.resolve(__dirname, '../..')

/** A new, empty database on the suite's Postgres; returns its URL. */
export async function testDatabase(): Promise<string> {
  const admin = process.env.ICN_TEST_PG_URL
  if (!admin) throw new Error('ICN_TEST_PG_URL is not set: run the tests through jest (globalSetup starts Postgres)')
  return createDatabase(admin, `t_${crypto.randomBytes(6).toString('hex')}`, true)
}

export async function testDevnet(o: { seed?: number; eras: number; scale?: number }): Promise<Devnet> {
  return startDevnet({ port: await freePort(), seed: o.seed ?? 1, scale: o.scale ?? 1, historyEras: o.eras, preserveHistoricalStates: true })
}

export async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url })
  await c.connect()
  try {
    return (await c.query(text, params)).rows as T[]
  } finally {
    await c.end()
  }
}

/**
 * Rows where node_era_day (kept by triggers) differs from its definition,
 * recomputed here from node_era in one aggregate: empty when the rollup is exact.
 */
export async function rollupDrift(url: string): Promise<unknown[]> {
  return sql(
    url,
    `WITH truth AS (
       SELECT node_id, era / 24 AS day, count(*)::int AS eras, count(*) FILTER (WHERE quorum)::int AS quorum_eras, count(*) FILTER (WHERE meets_sla)::int AS met_eras,
           coalesce(sum(uptime_bps) FILTER (WHERE quorum), 0) AS uptime_sum, coalesce(sum(challenge_pass_rate) FILTER (WHERE quorum), 0) AS challenge_sum,
           count(*) FILTER (WHERE 'UPTIME' = ANY(failed_metrics))::int AS failed_uptime, count(*) FILTER (WHERE 'LATENCY' = ANY(failed_metrics))::int AS failed_latency,
           count(*) FILTER (WHERE 'CHALLENGES' = ANY(failed_metrics))::int AS failed_challenges,
           coalesce(array_agg(latency_ms ORDER BY latency_ms) FILTER (WHERE quorum), '{}') AS latencies
         FROM node_era GROUP BY 1, 2),
     kept AS (SELECT node_id, day, eras, quorum_eras, met_eras, uptime_sum, challenge_sum, failed_uptime, failed_latency, failed_challenges, latencies FROM node_era_day)
     SELECT 'missing or wrong' AS drift, * FROM (SELECT * FROM truth EXCEPT SELECT * FROM kept) a
     UNION ALL SELECT 'not in node_era' AS drift, * FROM (SELECT * FROM kept EXCEPT SELECT * FROM truth) b
     LIMIT 20`,
  )
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const v = await fn()
      if (v) return v
    } catch (e) {
      last = e
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

export interface IndexerProcess {
  child: ChildProcess
  output(): string
  stop(): Promise<void>
}

/** Runs the real indexer (lib/main.js) as a child process. */
export function runIndexer(env: { RPC_URL: string; DATABASE_URL: string; ICN_NETWORK?: string; INDEXER_METRICS_PORT?: string; LOG_FORMAT?: string; RPC_TIMEOUT_MS?: string; INDEXER_COMMIT_ROWS?: string; INDEXER_COMMIT_INTERVAL_MS?: string; PROGRESS_INTERVAL_MS?: string }): IndexerProcess {
  let out = ''
  const child = spawn(process.execPath, [path.join(ROOT, 'lib/main.js')], {
    env: { ...process.env, ICN_NETWORK: 'devnet', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  return {
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
        setTimeout(() => child.kill('SIGKILL'), 5000).unref()
      }),
  }
}

/** Waits until the index has reached `height`. */
export async function waitForHeight(databaseUrl: string, height: number, indexer?: IndexerProcess): Promise<void> {
  await waitFor(`index at block ${height}`, async () => {
    if (indexer && indexer.child.exitCode !== null) throw new Error(`indexer exited: ${indexer.output()}`)
    const rows = await sql<{ height: number }>(databaseUrl, `SELECT height FROM indexer_status WHERE id = 'status'`).catch(() => [])
    return rows[0] && rows[0].height >= height
  })
}

export async function blockNumber(rpc: RpcClient): Promise<number> {
  return Number(await rpc.call<string>('eth_blockNumber'))
}

interface CallableFn<A, R> {
  encode(args: A): string
  decodeResult(output: string): R
}

/** eth_call of a typed function at a block ('latest' by default). */
export async function ethCall<A, R>(rpc: RpcClient, to: string, fn: CallableFn<A, R>, args: A, block: number | 'latest' = 'latest'): Promise<R> {
  const out = await rpc.call<string>('eth_call', [{ to, data: fn.encode(args) }, typeof block === 'number' ? '0x' + block.toString(16) : block])
  return fn.decodeResult(out)
}

/** Runs `fn` with a connected pg client, then closes it. */
export async function withDb<T>(url: string, fn: (db: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url })
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end()
  }
}

/** Runs a node script from the project root to its end. */
export function runNode(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}
