/**
 * API benchmark, on the database `npm run bench:ingest` leaves behind:
 *   npm run bench:api -- [--duration S] [--warmup S] [--runs N] [--workers N] [--only key,key] [--no-sqd]
 *                        [--data-dir DIR] [--database NAME] [--cpu-prof DIR] [--out NAME]
 *                        [--live [--interval S] [--scale 20 --eras 420 --seed 1]]
 * Starts an embedded Postgres on the ingest bench's data folder, our API
 * (lib/api/main.js, a child process, as `npm start` runs it: read-only role,
 * devnet preset) and SQD's GraphQL server (@subsquid/graphql-server on the
 * same tables, a child process), then for each query: counts our SQL
 * statements per request from the API's own counter (/metrics) over a fixed
 * number of sequential requests, and loads each server with autocannon at 16
 * connections for a fixed time (after a warm-up), `--runs` times with the
 * two servers taking turns; the figures are the medians. `--live` does the
 * same while the chain moves (./api-live.ts): an era every `--interval`
 * seconds (2 by default), indexed as it comes. Writes
 * bench/results/<out>.json and .md (`api`, or `api-live` with --live).
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { childEnv, exportDatabaseUrlForSdk, PROJECT_DIR } from '../../lib/config'
import { EmbeddedPostgres } from '../../lib/db/embedded'
import { applyMigrations } from '../../lib/db/migrate'
import { ensureReadOnlyRole } from '../../lib/db/readonly'
import { freePort } from '../../lib/runtime/ports'
import { argInt, median, peakRssBytes, peakRssTreeBytes } from './util'
import { Live, LiveStats, startLive } from './api-live'
import { allTransfersPage, BenchArgs, benchQueries, BenchQuery, DEEP_ROWS, GraphqlRequest, PAGE, pickArgs, sqdAllTransfersPage, sqdTransfersPage, transfersPage } from './api-queries'

const CONNECTIONS = 16
/**
 * SQD's server lives in its own npm tree (bench/sqd-server, with its own
 * lockfile): it brings graphql 15, and in the project's tree npm hoists the
 * packages it shares with us (@graphql-tools/schema, its Apollo core) next to
 * our graphql 16, where they break on two graphql copies; a scoped npm
 * override of graphql is refused (ERESOLVE) as it clashes with their peers.
 */
const SQD_DIR = path.join(PROJECT_DIR, 'bench', 'sqd-server')
const SQD_MAIN = path.join(SQD_DIR, 'node_modules', '@subsquid', 'graphql-server', 'bin', 'run.js')

/** Installs SQD's server from its lockfile the first time. */
function ensureSqdInstalled(): void {
  if (fs.existsSync(SQD_MAIN)) return
  console.log('bench:api: installing @subsquid/graphql-server into bench/sqd-server (npm ci) …')
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: SQD_DIR, stdio: 'inherit' })
  if (r.status !== 0) throw new Error(`npm ci in ${SQD_DIR} failed (${r.status ?? r.signal})`)
}
/** Sequential requests per query over which statements are counted. */
const COUNT_REQUESTS = 20

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  if (i < 0) return undefined
  const v = process.argv[i + 1]
  if (v === undefined || v.startsWith('--')) throw new Error(`--${name} needs a value`)
  return v
}

function seconds(name: string, def: number): number {
  const v = option(name)
  if (v === undefined) return def
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number of seconds`)
  return n
}

const MiB = (b: number) => Math.round(b / 2 ** 20)

/** The pid of a live Postgres server on `dataDir`, if any. */
function serverPid(dataDir: string): number | undefined {
  const file = path.join(dataDir, 'postmaster.pid')
  if (!fs.existsSync(file)) return undefined
  const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0])
  if (!Number.isInteger(pid) || pid <= 0) return undefined
  try {
    process.kill(pid, 0)
    return pid
  } catch {
    return undefined
  }
}

interface Server {
  name: string
  url: string
  child: ChildProcess
  log: () => string
}

function spawnServer(name: string, args: string[], env: Record<string, string>, url: string): Server {
  const child = spawn(process.execPath, args, { cwd: PROJECT_DIR, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-8000))
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  return { name, url, child, log: () => out }
}

async function post(url: string, req: GraphqlRequest): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(req) })
  return { status: res.status, body: await res.text() }
}

/** POSTs a query and returns its data, failing on any error. */
async function ask<T>(server: Server, req: GraphqlRequest): Promise<T> {
  const r = await post(server.url, req)
  const parsed = JSON.parse(r.body) as { data?: T; errors?: { message: string }[] }
  if (r.status !== 200 || parsed.errors?.length || !parsed.data) throw new Error(`${server.name} answered ${r.status}: ${r.body.slice(0, 600)}`)
  return parsed.data
}

async function waitReady(server: Server, probe: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + 60_000
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`${server.name} exited with ${server.child.exitCode}: ${server.log()}`)
    if (await probe().catch(() => false)) return
    if (Date.now() > until) throw new Error(`${server.name} not ready after 60 s: ${server.log()}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

async function stopServer(s: Server): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return
  await new Promise<void>((resolve) => {
    s.child.once('exit', () => resolve())
    s.child.kill('SIGTERM')
    setTimeout(() => s.child.kill('SIGKILL'), 10_000).unref()
  })
}

/** Our API's statement counter, read from its Prometheus endpoint. */
async function statementsCounter(apiBase: string): Promise<number> {
  const text = await (await fetch(`${apiBase}/metrics`)).text()
  const m = /^icn_api_db_statements_total (\d+)/m.exec(text)
  if (!m) throw new Error('icn_api_db_statements_total missing from /metrics')
  return Number(m[1])
}

/** Rows in a response: every array's length, summed (a rough size to set beside the other server's). */
function rowsIn(v: unknown): number {
  if (Array.isArray(v)) return v.length + v.reduce<number>((n, x) => n + rowsIn(x), 0)
  if (v && typeof v === 'object') return Object.values(v).reduce<number>((n, x) => n + rowsIn(x), 0)
  return 0
}

interface LoadResult {
  p50Ms: number
  p99Ms: number
  meanMs: number
  requestsPerSecond: number
  requests: number
  errors: number
  non2xx: number
  /** Responses carrying GraphQL errors. */
  mismatches: number
}

async function load(url: string, req: GraphqlRequest, duration: number): Promise<LoadResult> {
  const r = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(req),
    connections: CONNECTIONS,
    pipelining: 1,
    duration,
    verifyBody: (body) => typeof body === 'string' && !body.includes('"errors"'),
  })
  return {
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    meanMs: Number(r.latency.average.toFixed(2)),
    requestsPerSecond: Math.round(r.requests.average),
    requests: r.requests.total,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    mismatches: (r as unknown as { mismatches?: number }).mismatches ?? 0,
  }
}

/** Walks a cursor list `rows` rows deep in pages of up to 1,000 and returns the cursor there. */
async function walk(rows: number, step: (first: number, after: string | null) => Promise<{ endCursor: string | null; count: number }>): Promise<string | null> {
  let after: string | null = null
  let done = 0
  while (done < rows) {
    const first = Math.min(1000, rows - done)
    const page = await step(first, after)
    if (page.count !== first) throw new Error(`cursor walk: asked ${first} rows after ${done}, got ${page.count}`)
    done += first
    after = page.endCursor
  }
  return after
}

interface QueryResult {
  key: string
  title: string
  ours: LoadResult & { runsRequestsPerSecond?: number[]; statementsPerRequest: number; rows: number; p99TargetMs?: number }
  sqd?: LoadResult & { runsRequestsPerSecond?: number[]; rows: number; note: string }
  /** Ours ÷ SQD's requests/s. */
  ratio?: number
  targets: { p99?: boolean; statements?: boolean; ratio?: boolean }
}

async function main(): Promise<void> {
  const duration = seconds('duration', 10)
  const runs = argInt('runs', 1)
  if (runs < 1) throw new Error('--runs needs at least 1')
  const live = process.argv.includes('--live')
  const intervalMs = seconds('interval', 2) * 1000
  const out = option('out') ?? (live ? 'api-live' : 'api')
  if (!/^[a-z0-9][a-z0-9-]*$/.test(out)) throw new Error(`--out ${out}: a results file's base name (letters, digits and dashes)`)
  // Our API's processes (API_WORKERS), as `npm start` runs it by default: one per core.
  const workers = argInt('workers', os.availableParallelism())
  const warmup = seconds('warmup', 2)
  const only = option('only')?.split(',')
  const withSqd = !process.argv.includes('--no-sqd')
  const dataDir = path.resolve(option('data-dir') ?? path.join(PROJECT_DIR, '.data', 'bench-postgres'))
  const database = option('database') ?? 'bench_ingest'
  const profDir = option('cpu-prof')
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) throw new Error(`no Postgres data in ${dataDir}: run npm run bench:ingest first`)
  const running = serverPid(dataDir)
  // EmbeddedPostgres.start stops a server left on the folder; one that is alive belongs to someone (bench:ingest indexing).
  if (running) throw new Error(`a Postgres server (pid ${running}) is using ${dataDir}: wait for bench:ingest to finish, or pass --data-dir with a copy`)
  const ingestFile = path.join(PROJECT_DIR, 'bench', 'results', 'ingest.json')
  const ingest = fs.existsSync(ingestFile) ? (JSON.parse(fs.readFileSync(ingestFile, 'utf8')) as { blocks?: number; events?: number; command?: string }) : {}

  const loadAtStart = os.loadavg().map((x) => Number(x.toFixed(2)))
  const pg = await EmbeddedPostgres.start({ dataDir, port: await freePort() })
  const servers: Server[] = []
  let moving: (Live & { begin(): void }) | undefined
  let stopped: Promise<void> | undefined
  const stopAll = () =>
    (stopped ??= (async () => {
      for (const s of servers) await stopServer(s)
      await moving?.stop()
      await pg.stop()
    })())
  // Ctrl-C: leave no server behind on the data folder.
  const interrupt = () => void stopAll().finally(() => process.exit(130))
  process.once('SIGINT', interrupt)
  process.once('SIGTERM', interrupt)
  try {
    const staticUrl = pg.url(database)
    // Our index migrations (its query indexes among them) as the indexer applies them at start.
    exportDatabaseUrlForSdk(staticUrl)
    const applied = await applyMigrations()
    if (applied.length) console.log(`bench:api: applied migrations ${applied.join(', ')}`)
    if (live) {
      const key = { scale: argInt('scale', 20), eras: argInt('eras', 420), seed: argInt('seed', 1) }
      const log = (m: string) => console.log(`bench:api: ${m}`)
      moving = await startLive({ adminUrl: pg.url(), database, staticUrl, chainDir: path.join(PROJECT_DIR, '.data', 'bench-chain'), key, intervalMs, log })
      log(`live: the indexer follows the chain into ${moving.database}, an era every ${intervalMs / 1000} s once the load starts`)
    }
    // What the servers read: the static database, or its live copy.
    const served = moving?.database ?? database
    const adminUrl = moving?.databaseUrl ?? staticUrl
    const ro = await ensureReadOnlyRole(adminUrl)
    if ('reason' in ro) throw new Error(`cannot create the API's read-only role: ${ro.reason}`)
    const args: BenchArgs = await pickArgs(adminUrl)
    console.log(`bench:api: ${served}: head ${args.head}, ${args.rows.transfer} transfers, ${args.nodeCount} nodes, ${args.rows.node_era} node eras; busiest account ${args.account} (${args.accountTransfers} transfers)`)

    const apiPort = await freePort()
    const apiArgs = [...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profDir)}`] : []), path.join(PROJECT_DIR, 'lib', 'api', 'main.js')]
    // NODE_ENV=production as the Dockerfile runs it (graphql-js then skips its
    // development-only checks); SQD's server gets the same.
    const api = spawnServer('our API', apiArgs, { NODE_ENV: 'production', ICN_NETWORK: 'devnet', DATABASE_URL: adminUrl, API_DATABASE_URL: ro.url, API_PORT: String(apiPort), API_HOST: '127.0.0.1', API_WORKERS: String(workers) }, `http://127.0.0.1:${apiPort}/graphql`)
    servers.push(api)
    const apiBase = `http://127.0.0.1:${apiPort}`
    await waitReady(api, async () => (await fetch(`${apiBase}/healthz`)).ok)

    let sqd: Server | undefined
    if (withSqd) {
      ensureSqdInstalled()
      const sqdPort = await freePort()
      const u = new URL(ro.url)
      // Same read-only role and the same pool size as our API (10 connections; SQD's default is 5).
      sqd = spawnServer(
        'SQD graphql-server',
        [SQD_MAIN],
        {
          NODE_ENV: 'production',
          DB_URL: '',
          DB_HOST: u.hostname,
          DB_PORT: u.port,
          DB_NAME: served,
          DB_USER: decodeURIComponent(u.username),
          DB_PASS: decodeURIComponent(u.password),
          GQL_PORT: String(sqdPort),
          GQL_DB_CONNECTION_POOL_SIZE: '10',
        },
        `http://127.0.0.1:${sqdPort}/graphql`,
      )
      servers.push(sqd)
      await waitReady(sqd, async () => (await post(sqd!.url, { query: '{ __typename }', variables: {} })).status === 200)
    }

    // The deep page's cursor, from each server's own list walked to it.
    type Page = { nodes?: unknown[]; edges?: unknown[]; pageInfo: { endCursor: string | null } }
    const deepOurs = await walk(args.deepRows, async (first, after) => {
      const d = await ask<{ transfers: Page }>(api, transfersPage(args.account, first, after))
      return { endCursor: d.transfers.pageInfo.endCursor, count: d.transfers.nodes!.length }
    })
    const deepSqd = sqd
      ? await walk(args.deepRows, async (first, after) => {
          const d = await ask<{ transfersConnection: Page }>(sqd!, sqdTransfersPage(args.account, first, after))
          return { endCursor: d.transfersConnection.pageInfo.endCursor, count: d.transfersConnection.edges!.length }
        })
      : null

    const farOurs = await walk(args.farRows, async (first, after) => {
      const d = await ask<{ transfers: Page }>(api, allTransfersPage(first, after))
      return { endCursor: d.transfers.pageInfo.endCursor, count: d.transfers.nodes!.length }
    })
    const farSqd = sqd
      ? await walk(args.farRows, async (first, after) => {
          const d = await ask<{ transfersConnection: Page }>(sqd!, sqdAllTransfersPage(first, after))
          return { endCursor: d.transfersConnection.pageInfo.endCursor, count: d.transfersConnection.edges!.length }
        })
      : null

    const queries = benchQueries(args, { ours: deepOurs, sqd: deepSqd, oursFar: farOurs, sqdFar: farSqd }).filter((q) => !only || only.includes(q.key))
    const results: QueryResult[] = []
    moving?.begin()
    let peakRss = 0
    let sqdPeakRss = 0
    for (const q of queries) {
      console.log(`bench:api: ${q.key}: ${q.title}`)
      results.push(await benchOne(q, api, apiBase, sqd, duration, warmup, runs))
      peakRss = Math.max(peakRss, peakRssTreeBytes(api.child.pid!))
      if (sqd) sqdPeakRss = Math.max(sqdPeakRss, peakRssBytes(sqd.child.pid!))
      const r = results[results.length - 1]
      console.log(
        `  ours: p50 ${r.ours.p50Ms} ms, p99 ${r.ours.p99Ms} ms, ${r.ours.requestsPerSecond} req/s, ${r.ours.statementsPerRequest} statements/req` +
          (r.sqd ? `; SQD: p50 ${r.sqd.p50Ms} ms, p99 ${r.sqd.p99Ms} ms, ${r.sqd.requestsPerSecond} req/s; ratio ${r.ratio}` : ''),
      )
    }

    const liveStats: LiveStats | null = moving ? await moving.stats() : null
    const result = {
      date: new Date().toISOString(),
      // Other work on the machine skews latencies: the load averages (1, 5, 15 min) when the run began and ended.
      loadAverage: { start: loadAtStart, end: os.loadavg().map((x) => Number(x.toFixed(2))) },
      command: `npm run bench:api${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      machine: `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${MiB(os.totalmem())} MiB, ${os.type()} ${os.release()}, Node ${process.version}`,
      settings: { apiWorkers: workers, connections: CONNECTIONS, durationSeconds: duration, warmupSeconds: warmup, runs, statementSampleRequests: COUNT_REQUESTS, pageSize: PAGE, deepRowsTarget: DEEP_ROWS },
      live: liveStats,
      // bench/results/ingest.json describes this database only when its chain ends at the indexed head.
      data: { database: served, dataDir, ...(ingest.blocks === args.head ? { ingestCommand: ingest.command ?? null, blocks: ingest.blocks, events: ingest.events ?? null } : { ingestCommand: null, blocks: null, events: null }), head: args.head, rows: args.rows },
      arguments: {
        pastBlock: args.pastBlock,
        account: args.account,
        accountTransfers: args.accountTransfers,
        deepRows: args.deepRows,
        stakingWallet: args.stakingWallet,
        stakingEntries: args.stakingEntries,
        node: args.node,
        nodeDelegations: args.nodeDelegations,
        latestEra: args.latestEra,
      },
      sqd: withSqd ? { package: '@subsquid/graphql-server 4.11.0', poolSize: 10, peakRssMiB: MiB(sqdPeakRss) } : null,
      apiPeakRssMiB: MiB(peakRss),
      queries: results,
    }
    const dir = path.join(PROJECT_DIR, 'bench', 'results')
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(path.join(dir, `${out}.json`), JSON.stringify(result, null, 2) + '\n')
    fs.writeFileSync(path.join(dir, `${out}.md`), markdown(result))
    console.log(markdown(result))
  } finally {
    await stopAll()
  }
}

/** The median of each figure over runs (each figure on its own), and every run's req/s. */
function medianOf(rs: LoadResult[]): LoadResult & { runsRequestsPerSecond: number[] } {
  const m = (f: (r: LoadResult) => number) => median(rs.map(f))
  const sum = (f: (r: LoadResult) => number) => rs.reduce((n, r) => n + f(r), 0)
  return {
    p50Ms: m((r) => r.p50Ms),
    p99Ms: m((r) => r.p99Ms),
    meanMs: m((r) => r.meanMs),
    requestsPerSecond: m((r) => r.requestsPerSecond),
    requests: sum((r) => r.requests),
    errors: sum((r) => r.errors),
    non2xx: sum((r) => r.non2xx),
    mismatches: sum((r) => r.mismatches),
    runsRequestsPerSecond: rs.map((r) => r.requestsPerSecond),
  }
}

async function benchOne(q: BenchQuery, api: Server, apiBase: string, sqd: Server | undefined, duration: number, warmup: number, runs: number): Promise<QueryResult> {
  // Correct answers first; then statements per request over sequential requests
  // (the counter's own scrape is measured and taken off).
  const rows = rowsIn(await ask(api, q.ours))
  // Requests of the previous load may still be finishing: wait until two
  // scrapes in a row differ by the scrape's own statement alone.
  let s0 = await statementsCounter(apiBase)
  let s1 = await statementsCounter(apiBase)
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100))
    const s = await statementsCounter(apiBase)
    const settled = s - s1 === s1 - s0
    ;[s0, s1] = [s1, s]
    if (settled) break
  }
  for (let i = 0; i < COUNT_REQUESTS; i++) await ask(api, q.ours)
  const s2 = await statementsCounter(apiBase)
  const statementsPerRequest = Number(((s2 - s1 - (s1 - s0)) / COUNT_REQUESTS).toFixed(2))
  const sqdRows = sqd && q.sqd ? rowsIn(await ask(sqd, q.sqd)) : 0
  // The two servers take turns, each warmed up before each of its runs.
  const oursRuns: LoadResult[] = []
  const sqdRuns: LoadResult[] = []
  for (let i = 0; i < runs; i++) {
    await load(api.url, q.ours, warmup)
    oursRuns.push(await load(api.url, q.ours, duration))
    if (sqd && q.sqd) {
      await load(sqd.url, q.sqd, warmup)
      sqdRuns.push(await load(sqd.url, q.sqd, duration))
    }
  }
  const ours = { ...medianOf(oursRuns), statementsPerRequest, rows, p99TargetMs: q.p99TargetMs }
  const other: QueryResult['sqd'] = sqdRuns.length ? { ...medianOf(sqdRuns), rows: sqdRows, note: q.sqd!.note } : undefined
  const ratio = other && other.requestsPerSecond > 0 ? Number((ours.requestsPerSecond / other.requestsPerSecond).toFixed(2)) : undefined
  return {
    key: q.key,
    title: q.title,
    ours,
    sqd: other,
    ratio,
    targets: {
      p99: q.p99TargetMs === undefined ? undefined : ours.p99Ms <= q.p99TargetMs,
      statements: q.maxStatements === undefined ? undefined : statementsPerRequest <= q.maxStatements,
      ratio: q.list && ratio !== undefined ? ratio >= 1.5 : undefined,
    },
  }
}

interface Report {
  date: string
  loadAverage: { start: number[]; end: number[] }
  command: string
  machine: string
  settings: { apiWorkers?: number; connections: number; durationSeconds: number; warmupSeconds: number; runs?: number; statementSampleRequests: number }
  live?: LiveStats | null
  data: { database: string; dataDir: string; blocks: number | null; events: number | null; head: number; rows: Record<string, number>; ingestCommand: string | null }
  sqd: { peakRssMiB: number } | null
  apiPeakRssMiB: number
  queries: QueryResult[]
}

function markdown(r: Report): string {
  const mark = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? ' ✓' : ' ✗')
  const lines = [
    `# API benchmark`,
    ``,
    `\`${r.command}\` on ${r.date.slice(0, 10)}; ${r.machine}; load average ${r.loadAverage.start.join(' ')} at the start, ${r.loadAverage.end.join(' ')} at the end.`,
    ``,
    `Data: database \`${r.data.database}\` in \`${r.data.dataDir.startsWith(PROJECT_DIR + path.sep) ? path.relative(PROJECT_DIR, r.data.dataDir) : r.data.dataDir}\`${r.data.ingestCommand ? ` from \`${r.data.ingestCommand}\`` : ''}` +
      `${r.data.events != null ? ` (${r.data.events} events in ${r.data.blocks} blocks)` : ''}: head ${r.data.head}, ` +
      Object.entries(r.data.rows).map(([t, n]) => `${n} ${t}`).join(', ') + '.',
    ``,
    ...(r.live
      ? [
          `Live: while the queries ran the devnet's simulator mined an era every ${r.live.intervalMs / 1000} s (${r.live.eras} eras, blocks ${r.live.fromBlock + 1} to ${r.live.toBlock}` +
            `${r.live.failedSteps ? `, ${r.live.failedSteps} failed steps` : ''}) and the indexer followed (at block ${r.live.indexedBlock} at the end), so every new head dropped the API's per-head caches.`,
          ``,
        ]
      : []),
    `our API with ${r.settings.apiWorkers ?? 1} worker process(es) (API_WORKERS); autocannon, ${r.settings.connections} connections, ${r.settings.durationSeconds} s per query after ${r.settings.warmupSeconds} s of warm-up; ` +
      `${(r.settings.runs ?? 1) > 1 ? `medians of ${r.settings.runs} runs, the two servers taking turns; ` : ''}` +
      `latencies in whole milliseconds (autocannon's histogram); statements/req counted by the API over ${r.settings.statementSampleRequests} sequential requests. ` +
      `✓/✗: the issue's target (p99, statements, ratio ≥ 1.5 on list queries).`,
    ``,
    `| query | p50 | p99 | req/s | statements/req | SQD req/s | ours/SQD |`,
    `|---|---|---|---|---|---|---|`,
  ]
  // With several runs, each req/s is followed by the runs' own.
  const rps = (x: LoadResult & { runsRequestsPerSecond?: number[] }) => `${x.requestsPerSecond}${x.runsRequestsPerSecond && x.runsRequestsPerSecond.length > 1 ? ` (${x.runsRequestsPerSecond.join(', ')})` : ''}`
  for (const q of r.queries) {
    lines.push(
      `| ${q.title} | ${q.ours.p50Ms} ms | ${q.ours.p99Ms} ms${mark(q.targets.p99)} | ${rps(q.ours)} | ${q.ours.statementsPerRequest}${mark(q.targets.statements)} | ` +
        `${q.sqd ? rps(q.sqd) : '–'} | ${q.ratio !== undefined ? `${q.ratio}×${mark(q.targets.ratio)}` : '–'} |`,
    )
  }
  // The target is per worker: with several, the figure sums the workers and their primary.
  const workers = r.settings.apiWorkers ?? 1
  lines.push(
    ``,
    `API peak RSS under load (VmHWM): ${r.apiPeakRssMiB} MiB${workers > 1 ? ` for ${workers} workers and their primary together` : ''}${mark(r.apiPeakRssMiB <= 300 * workers)}${r.sqd ? `; SQD's server: ${r.sqd.peakRssMiB} MiB` : ''}.`,
    ``,
  )
  const failures = r.queries.filter((q) => q.ours.errors + q.ours.non2xx + q.ours.mismatches > 0 || (q.sqd && q.sqd.errors + q.sqd.non2xx + q.sqd.mismatches > 0))
  for (const q of failures) {
    lines.push(`- ${q.key}: ours ${q.ours.errors} errors, ${q.ours.non2xx} non-2xx, ${q.ours.mismatches} with GraphQL errors` + (q.sqd ? `; SQD ${q.sqd.errors}, ${q.sqd.non2xx}, ${q.sqd.mismatches}` : ''))
  }
  if (r.queries.some((q) => q.sqd)) {
    lines.push(`SQD's equivalents (\`@subsquid/graphql-server\` 4.11.0 on the same tables, same read-only role, pool of 10):`, ``)
    for (const q of r.queries) if (q.sqd) lines.push(`- ${q.key}: ${q.sqd.note}; p50 ${q.sqd.p50Ms} ms, p99 ${q.sqd.p99Ms} ms; response rows ${q.sqd.rows} (ours ${q.ours.rows}).`)
    lines.push(``)
  }
  return lines.join('\n')
}

main().catch((e: unknown) => {
  console.error(`bench:api: ${(e as Error).stack ?? String(e)}`)
  process.exit(1)
})
