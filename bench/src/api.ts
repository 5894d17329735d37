/**
 * API benchmark, on the database `npm run bench:ingest` leaves behind:
 *   npm run bench:api -- [--duration S] [--warmup S] [--workers N] [--only key,key] [--no-sqd]
 *                        [--data-dir DIR] [--database NAME] [--cpu-prof DIR]
 * Starts an embedded Postgres on the ingest bench's data folder, our API
 * (lib/api/main.js, a child process, as `npm start` runs it: read-only role,
 * devnet preset) and SQD's GraphQL server (@subsquid/graphql-server on the
 * same tables, a child process), then for each query: counts our SQL
 * statements per request from the API's own counter (/metrics) over a fixed
 * number of sequential requests, and loads each server with autocannon at 16
 * connections for a fixed time (after a warm-up). Writes
 * bench/results/api.json and api.md.
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
import { argInt, peakRssBytes, peakRssTreeBytes } from './util'
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
  ours: LoadResult & { statementsPerRequest: number; rows: number; p99TargetMs?: number }
  sqd?: LoadResult & { rows: number; note: string }
  /** Ours ÷ SQD's requests/s. */
  ratio?: number
  targets: { p99?: boolean; statements?: boolean; ratio?: boolean }
}

async function main(): Promise<void> {
  const duration = seconds('duration', 10)
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
  let stopped: Promise<void> | undefined
  const stopAll = () =>
    (stopped ??= (async () => {
      for (const s of servers) await stopServer(s)
      await pg.stop()
    })())
  // Ctrl-C: leave no server behind on the data folder.
  const interrupt = () => void stopAll().finally(() => process.exit(130))
  process.once('SIGINT', interrupt)
  process.once('SIGTERM', interrupt)
  try {
    const adminUrl = pg.url(database)
    // Our index migrations (its query indexes among them) as the indexer applies them at start.
    exportDatabaseUrlForSdk(adminUrl)
    const applied = await applyMigrations()
    if (applied.length) console.log(`bench:api: applied migrations ${applied.join(', ')}`)
    const ro = await ensureReadOnlyRole(adminUrl)
    if ('reason' in ro) throw new Error(`cannot create the API's read-only role: ${ro.reason}`)
    const args: BenchArgs = await pickArgs(adminUrl)
    console.log(`bench:api: ${database}: head ${args.head}, ${args.rows.transfer} transfers, ${args.nodeCount} nodes, ${args.rows.node_era} node eras; busiest account ${args.account} (${args.accountTransfers} transfers)`)

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
          DB_NAME: database,
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
    let peakRss = 0
    let sqdPeakRss = 0
    for (const q of queries) {
      console.log(`bench:api: ${q.key}: ${q.title}`)
      results.push(await benchOne(q, api, apiBase, sqd, duration, warmup))
      peakRss = Math.max(peakRss, peakRssTreeBytes(api.child.pid!))
      if (sqd) sqdPeakRss = Math.max(sqdPeakRss, peakRssBytes(sqd.child.pid!))
      const r = results[results.length - 1]
      console.log(
        `  ours: p50 ${r.ours.p50Ms} ms, p99 ${r.ours.p99Ms} ms, ${r.ours.requestsPerSecond} req/s, ${r.ours.statementsPerRequest} statements/req` +
          (r.sqd ? `; SQD: p50 ${r.sqd.p50Ms} ms, p99 ${r.sqd.p99Ms} ms, ${r.sqd.requestsPerSecond} req/s; ratio ${r.ratio}` : ''),
      )
    }

    const result = {
      date: new Date().toISOString(),
      // Other work on the machine skews latencies: the load averages (1, 5, 15 min) when the run began and ended.
      loadAverage: { start: loadAtStart, end: os.loadavg().map((x) => Number(x.toFixed(2))) },
      command: `npm run bench:api${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      machine: `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${MiB(os.totalmem())} MiB, ${os.type()} ${os.release()}, Node ${process.version}`,
      settings: { apiWorkers: workers, connections: CONNECTIONS, durationSeconds: duration, warmupSeconds: warmup, statementSampleRequests: COUNT_REQUESTS, pageSize: PAGE, deepRowsTarget: DEEP_ROWS },
      // bench/results/ingest.json describes this database only when its chain ends at the indexed head.
      data: { database, dataDir, ...(ingest.blocks === args.head ? { ingestCommand: ingest.command ?? null, blocks: ingest.blocks, events: ingest.events ?? null } : { ingestCommand: null, blocks: null, events: null }), head: args.head, rows: args.rows },
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
    fs.writeFileSync(path.join(dir, 'api.json'), JSON.stringify(result, null, 2) + '\n')
    fs.writeFileSync(path.join(dir, 'api.md'), markdown(result))
    console.log(markdown(result))
  } finally {
    await stopAll()
  }
}

async function benchOne(q: BenchQuery, api: Server, apiBase: string, sqd: Server | undefined, duration: number, warmup: number): Promise<QueryResult> {
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
  await load(api.url, q.ours, warmup)
  const ours = { ...(await load(api.url, q.ours, duration)), statementsPerRequest, rows, p99TargetMs: q.p99TargetMs }
  let other: QueryResult['sqd']
  if (sqd && q.sqd) {
    const sqdRows = rowsIn(await ask(sqd, q.sqd))
    await load(sqd.url, q.sqd, warmup)
    other = { ...(await load(sqd.url, q.sqd, duration)), rows: sqdRows, note: q.sqd.note }
  }
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
  settings: { apiWorkers?: number; connections: number; durationSeconds: number; warmupSeconds: number; statementSampleRequests: number }
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
    `our API with ${r.settings.apiWorkers ?? 1} worker process(es) (API_WORKERS); autocannon, ${r.settings.connections} connections, ${r.settings.durationSeconds} s per query after ${r.settings.warmupSeconds} s of warm-up; ` +
      `latencies in whole milliseconds (autocannon's histogram); statements/req counted by the API over ${r.settings.statementSampleRequests} sequential requests. ` +
      `✓/✗: the issue's target (p99, statements, ratio ≥ 1.5 on list queries).`,
    ``,
    `| query | p50 | p99 | req/s | statements/req | SQD req/s | ours/SQD |`,
    `|---|---|---|---|---|---|---|`,
  ]
  for (const q of r.queries) {
    lines.push(
      `| ${q.title} | ${q.ours.p50Ms} ms | ${q.ours.p99Ms} ms${mark(q.targets.p99)} | ${q.ours.requestsPerSecond} | ${q.ours.statementsPerRequest}${mark(q.targets.statements)} | ` +
        `${q.sqd ? q.sqd.requestsPerSecond : '–'} | ${q.ratio !== undefined ? `${q.ratio}×${mark(q.targets.ratio)}` : '–'} |`,
    )
  }
  lines.push(``, `API peak RSS under load (VmHWM): ${r.apiPeakRssMiB} MiB${mark(r.apiPeakRssMiB <= 300)}${r.sqd ? `; SQD's server: ${r.sqd.peakRssMiB} MiB` : ''}.`, ``)
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
