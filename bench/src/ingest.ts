/**
 * Ingestion benchmark:
 *   npm run bench:ingest -- [--workload icn|token] [--runs 3] [--only kind,kind] [--fresh] [--cpu-prof DIR]
 *     icn:   [--scale 20] [--eras 420] [--seed 1]        (the default workload)
 *     token: [--transfers 200000] [--holders 20000] [--seed 1]
 *
 * Each workload is one chain, generated once and cached as an anvil state
 * dump (src/devnet/snapshot.ts, ./token-chain.ts), and one embedded Postgres
 * in .data/bench-postgres with the settings `npm start` uses. Every run is
 * its own child process into a fresh database, and the kinds of run take
 * turns (a, b, c, a, b, c, ...), `--runs` times; the figures are the medians.
 * Every rate divides the same event count: the chain's logs at the watched
 * contracts.
 *
 * icn (1,085,620 events in 847 blocks by default: SLA reports, transfers and
 * every other protocol event):
 *   fetch floor  the indexer's processor behind its RPC relay, writing nothing;
 *   store floor  the same logs fetched and decoded before the clock starts,
 *                then the indexer's batch code (indexBatch) and its Database,
 *                batch by batch as the processor hands them over, no RPC;
 *   full         the real indexer (lib/main.js), start to head (the deferred
 *                indexes rebuilt: the clock stops when they exist).
 * token (200,000 ERC-20 transfers to ~20,000 holders, a third holder to holder):
 *   fetch floor  a plain EvmBatchProcessor with the baseline's settings, no relay;
 *   relay floor  the same through the indexer's relay (what the indexer fetches through);
 *   baseline     the minimal squid (./baseline-squid.ts), start to head;
 *   full         the real indexer with a token-only preset, start to head;
 *   and then every holder's balance in both indexes against balanceOf at the head.
 *
 * Results: bench/results/ingest.{json,md} (icn; its database bench_ingest is
 * left in .data/bench-postgres for bench:api) and ingest-token.{json,md}
 * (database bench_token).
 */
import { ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Client } from 'pg'
import * as icnt from '../../lib/abi/ICNT'
import { childEnv, exportDatabaseUrlForSdk, PROJECT_DIR } from '../../lib/config'
import { presetPath } from '../../lib/config/preset'
import { createDatabase, dropDatabase, EmbeddedPostgres } from '../../lib/db/embedded'
import { applyMigrations } from '../../lib/db/migrate'
import { devnetFromSnapshot } from '../../lib/devnet/snapshot'
import { freePort } from '../../lib/runtime/ports'
import { RpcClient } from '../../lib/runtime/rpc'
import { tokenChain } from './token-chain'
import { argInt, median, peakRssBytes } from './util'

const DATA_DIR = path.join(PROJECT_DIR, '.data', 'bench-postgres')
const SCRATCH = 'bench_scratch'

/** The targets (2 cores). */
const TARGETS = {
  icn: { fullOverFetch: 2.0, storeEventsPerSecond: 60_000, peakRssMiB: 1024 },
  token: { overBaseline: 2.0, fullOverFetch: 2.0 },
}

interface Run {
  seconds: number
  eventsPerSecond: number
  peakRssMiB: number
  /** CPU seconds of the working process and of Postgres during the run. */
  cpuSeconds?: number
  postgresCpuSeconds?: number
}

interface Measure {
  seconds: number
  rss: number
  cpu?: number
  pgCpu?: number
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? undefined : process.argv[i + 1]
}

const MiB = (b: number) => Math.round(b / 2 ** 20)
const say = (msg: string) => console.log(`bench:ingest: ${msg}`)

/** CPU seconds a live process has used (Linux /proc, clock ticks of 1/100 s), with its waited-for children. */
function cpuSeconds(pid: number, withChildren = false): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // Fields after the name: state is index 0, utime 11, stime 12, cutime 13, cstime 14.
    const own = Number(f[11]) + Number(f[12])
    return (withChildren ? own + Number(f[13]) + Number(f[14]) : own) / 100
  } catch {
    return 0
  }
}

/** Postgres's CPU so far: the postmaster, its live children, and the children that have exited. */
function postgresCpu(): number {
  try {
    const pid = Number(fs.readFileSync(path.join(DATA_DIR, 'postmaster.pid'), 'utf8').split('\n')[0])
    let total = cpuSeconds(pid, true)
    for (const p of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(p)) continue
      try {
        const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8')
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
        if (ppid === pid) total += cpuSeconds(Number(p))
      } catch {
        // the process ended meanwhile
      }
    }
    return total
  } catch {
    return 0
  }
}

function summarise(ms: Measure[], events: number): Run & { runs: number[] } {
  const seconds = median(ms.map((m) => m.seconds))
  const run: Run & { runs: number[] } = {
    seconds: Number(seconds.toFixed(2)),
    eventsPerSecond: Math.round(events / seconds),
    peakRssMiB: MiB(Math.max(...ms.map((m) => m.rss))),
    runs: ms.map((m) => Number(m.seconds.toFixed(2))),
  }
  if (ms.every((m) => m.cpu !== undefined)) run.cpuSeconds = Number(median(ms.map((m) => m.cpu!)).toFixed(1))
  if (ms.every((m) => m.pgCpu !== undefined)) run.postgresCpuSeconds = Number(median(ms.map((m) => m.pgCpu!)).toFixed(1))
  return run
}

/** The indexer (main.js) from the shipped build in lib/; a bench script from this folder's build (bench/lib). */
const scriptPath = (script: string) => (script === 'main.js' ? path.join(PROJECT_DIR, 'lib', script) : path.join(__dirname, script))

/** Runs a bench child to its end; returns the JSON line it printed last and its wall time. */
async function child<T>(script: string, args: string[], env: Record<string, string>, nodeArgs: string[], wall = true): Promise<{ out: T; m: Measure }> {
  const pg0 = postgresCpu()
  const t0 = process.hrtime.bigint()
  const c = spawn(process.execPath, [...nodeArgs, scriptPath(script), ...args], { env: childEnv(env), cwd: PROJECT_DIR, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  c.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
  c.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
  const code = await new Promise<number | null>((resolve) => c.once('exit', resolve))
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  const line = stdout.trim().split('\n').pop() ?? ''
  if (code !== 0 || !line.startsWith('{')) throw new Error(`${script} exited with ${code}: ${stderr}`)
  const out = JSON.parse(line) as T & { peakRssBytes?: number; seconds?: number; cpuSeconds?: number }
  // Processes timed whole (the fetch floors: spawn to last block, as the indexer is timed) unless told (`wall: false`: the store floor's timed phase).
  return { out, m: { seconds: wall ? seconds : (out.seconds ?? seconds), rss: out.peakRssBytes ?? 0, cpu: out.cpuSeconds, pgCpu: postgresCpu() - pg0 } }
}

/** The height a processor has committed: the SDK's final head or its latest hot block. */
const COMMITTED = `SELECT greatest((SELECT height FROM squid_processor.status WHERE id = 0), (SELECT max(height) FROM squid_processor.hot_block)) AS height`

/** A processor (indexer or baseline squid) from its start until it has committed `blocks`; then SIGTERM. */
async function toHead(script: string, env: Record<string, string>, dbUrl: string, blocks: number, nodeArgs: string[]): Promise<Measure> {
  const pg0 = postgresCpu()
  const t0 = process.hrtime.bigint()
  const c: ChildProcess = spawn(process.execPath, [...nodeArgs, scriptPath(script)], { env: childEnv({ ...env, DATABASE_URL: dbUrl }), cwd: PROJECT_DIR, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  c.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
  const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()))
  const db = new Client({ connectionString: dbUrl })
  await db.connect()
  let rss = 0
  try {
    for (;;) {
      if (c.exitCode !== null) throw new Error(`${script} exited with ${c.exitCode}: ${stderr}`)
      rss = Math.max(rss, peakRssBytes(c.pid!))
      const r = await db.query<{ height: number | null }>(COMMITTED).catch(() => ({ rows: [] as { height: number | null }[] }))
      if (r.rows[0]?.height != null && r.rows[0].height >= blocks) break
      await new Promise((res) => setTimeout(res, 50))
    }
  } finally {
    await db.end()
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  rss = Math.max(rss, peakRssBytes(c.pid!))
  const cpu = cpuSeconds(c.pid!)
  const pgCpu = postgresCpu() - pg0
  c.kill('SIGTERM')
  await exited
  return { seconds, rss, cpu, pgCpu }
}

/** `--only a,b`: the kinds of run to do (all by default); a partial run writes no results file. */
function only(kind: string): boolean {
  const o = option('only')
  return o === undefined || o.split(',').includes(kind)
}

async function icnWorkload(pg: EmbeddedPostgres, runs: number, prof: (n: string) => string[]): Promise<void> {
  const scale = argInt('scale', 20)
  const eras = argInt('eras', 420)
  const seed = argInt('seed', 1)
  const devnet = await devnetFromSnapshot(path.join(PROJECT_DIR, '.data', 'bench-chain'), { seed, scale, eras }, { port: await freePort(), fresh: process.argv.includes('--fresh'), log: say })
  try {
    const { blocks, events, preset } = devnet.meta
    // The children read the devnet preset from config/networks; it must be this chain's.
    const presetFile = JSON.parse(fs.readFileSync(presetPath('devnet'), 'utf8')) as { contracts: unknown; startBlock: unknown }
    if (JSON.stringify(presetFile.contracts) !== JSON.stringify(preset.contracts) || presetFile.startBlock !== preset.startBlock) {
      throw new Error(`config/networks/devnet.json does not match the generated devnet (run npm start once to rewrite it)`)
    }
    say(`icn workload: ${events} events in ${blocks} blocks (${devnet.cached ? 'loaded' : 'generated'} in ${devnet.seconds.toFixed(1)} s)`)
    const env = { ICN_NETWORK: 'devnet', RPC_URL: devnet.anvil.url }
    const fetch: Measure[] = []
    const store: Measure[] = []
    const full: Measure[] = []
    let storeOut: { batches: number; prepSeconds: number; writer: unknown } | undefined
    for (let i = 1; i <= runs; i++) {
      if (only('fetch')) {
        say(`run ${i} of ${runs}: fetch floor …`)
        const f = await child<{ logs: number }>('fetch-floor.js', ['--to', String(blocks)], { ...env, DATABASE_URL: await createDatabase(pg.url(), SCRATCH, true) }, prof(`icn-fetch-${i}`))
        if (f.out.logs !== events) throw new Error(`the fetch floor saw ${f.out.logs} logs, the chain has ${events}`)
        fetch.push(f.m)
        say(`  ${f.m.seconds.toFixed(2)} s`)
      }
      if (only('store')) {
      say(`run ${i} of ${runs}: store floor …`)
      const s = await child<{ logs: number; batches: number; prepSeconds: number; writer: unknown }>('store-floor.js', ['--to', String(blocks)], { ...env, DATABASE_URL: await createDatabase(pg.url(), SCRATCH, true) }, ['--expose-gc', ...prof(`icn-store-${i}`)], false)
      if (s.out.logs !== events) throw new Error(`the store floor applied ${s.out.logs} logs, the chain has ${events}`)
      store.push(s.m)
      storeOut = s.out
      say(`  ${s.m.seconds.toFixed(2)} s`)
      }
      if (!only('full')) continue
      say(`run ${i} of ${runs}: full indexing …`)
      // The last run's index stays for bench:api.
      const name = i === runs ? 'bench_ingest' : SCRATCH
      const m = await toHead('main.js', env, await createDatabase(pg.url(), name, true), blocks, profArgs(prof, `icn-full-${i}`))
      full.push(m)
      say(`  ${m.seconds.toFixed(2)} s`)
    }
    await dropDatabase(pg.url(), SCRATCH)
    if (!only('fetch') || !only('store') || !only('full')) {
      say(`partial run (--only): fetch ${JSON.stringify(fetch.length ? summarise(fetch, events) : null)} store ${JSON.stringify(store.length ? { ...summarise(store, events), writer: storeOut?.writer } : null)} full ${JSON.stringify(full.length ? summarise(full, events) : null)}; no results file written`)
      return
    }
    const r = { fetchFloor: summarise(fetch, events), storeFloor: { ...summarise(store, events), batches: storeOut!.batches, untimedFetchAndDecodeSeconds: Number(storeOut!.prepSeconds.toFixed(2)), writer: storeOut!.writer }, fullIndexing: summarise(full, events) }
    const targets = {
      fullOverFetchFloor: { target: TARGETS.icn.fullOverFetch, measured: Number((r.fullIndexing.seconds / r.fetchFloor.seconds).toFixed(2)), met: r.fullIndexing.seconds <= TARGETS.icn.fullOverFetch * r.fetchFloor.seconds },
      storeFloorEventsPerSecond: { target: TARGETS.icn.storeEventsPerSecond, measured: r.storeFloor.eventsPerSecond, met: r.storeFloor.eventsPerSecond >= TARGETS.icn.storeEventsPerSecond },
      indexerPeakRssMiB: { target: TARGETS.icn.peakRssMiB, measured: r.fullIndexing.peakRssMiB, met: r.fullIndexing.peakRssMiB <= TARGETS.icn.peakRssMiB },
    }
    const command = `npm run bench:ingest -- --workload icn --scale ${scale} --eras ${eras} --seed ${seed} --runs ${runs}`
    writeResult('ingest', command, { workload: 'icn', scale, eras, seed, blocks, events, runs, ...r, dataDir: path.relative(PROJECT_DIR, DATA_DIR), database: 'bench_ingest', targets }, [
      ['fetch floor', r.fetchFloor, "the indexer's processor and RPC relay, a handler that writes nothing"],
      ['store floor', r.storeFloor, `pre-decoded events through indexBatch and the indexer's Database, ${r.storeFloor.batches} batches, no RPC (fetch and decode before the clock: ${r.storeFloor.untimedFetchAndDecodeSeconds} s)`],
      ['full indexing', r.fullIndexing, 'the real indexer (lib/main.js) into a fresh database, start to head, indexes built'],
    ])
  } finally {
    await devnet.anvil.stop()
  }
}

async function tokenWorkload(pg: EmbeddedPostgres, runs: number, prof: (n: string) => string[]): Promise<void> {
  const w = { transfers: argInt('transfers', 200_000), holders: argInt('holders', 20_000), seed: argInt('seed', 1) }
  const chain = await tokenChain(w, { port: await freePort(), fresh: process.argv.includes('--fresh'), log: say })
  try {
    const { blocks, events, preset } = chain.meta
    say(`token workload: ${events} transfers in ${blocks} blocks, ${chain.meta.holderToHolder} holder to holder (${chain.cached ? 'loaded' : 'generated'})`)
    const presetFile = path.join(PROJECT_DIR, '.data', 'bench-token-chain', 'bench-token.json')
    fs.writeFileSync(presetFile, JSON.stringify(preset, null, 2) + '\n')
    const env = { ICN_NETWORK: presetFile, RPC_URL: chain.anvil.url }
    const kinds = { fetch: [] as Measure[], relay: [] as Measure[], baseline: [] as Measure[], full: [] as Measure[] }
    let baselineDb = ''
    let icnDb = ''
    for (let i = 1; i <= runs; i++) {
      const last = i === runs
      if (only('fetch')) {
        say(`run ${i} of ${runs}: fetch floor (no relay) …`)
        const f = await child<{ logs: number }>('fetch-floor.js', ['--to', String(blocks), '--direct'], { ...env, DATABASE_URL: await createDatabase(pg.url(), SCRATCH, true) }, prof(`token-fetch-${i}`))
        if (f.out.logs !== events) throw new Error(`the fetch floor saw ${f.out.logs} logs, the chain has ${events}`)
        kinds.fetch.push(f.m)
        say(`  ${f.m.seconds.toFixed(2)} s`)
      }
      if (only('relay')) {
        say(`run ${i} of ${runs}: relay floor …`)
        const rf = await child<{ logs: number }>('fetch-floor.js', ['--to', String(blocks)], { ...env, DATABASE_URL: await createDatabase(pg.url(), SCRATCH, true) }, prof(`token-relay-${i}`))
        kinds.relay.push(rf.m)
        say(`  ${rf.m.seconds.toFixed(2)} s`)
      }
      if (only('baseline')) {
        say(`run ${i} of ${runs}: baseline squid …`)
        baselineDb = await createDatabase(pg.url(), last ? 'bench_token_baseline' : SCRATCH, true)
        await migrate(baselineDb)
        kinds.baseline.push(await toHead('baseline-squid.js', env, baselineDb, blocks, profArgs(prof, `token-baseline-${i}`)))
        say(`  ${kinds.baseline[kinds.baseline.length - 1].seconds.toFixed(2)} s`)
      }
      if (only('full')) {
        say(`run ${i} of ${runs}: icn-indexer …`)
        icnDb = await createDatabase(pg.url(), last ? 'bench_token' : SCRATCH, true)
        kinds.full.push(await toHead('main.js', env, icnDb, blocks, profArgs(prof, `token-full-${i}`)))
        say(`  ${kinds.full[kinds.full.length - 1].seconds.toFixed(2)} s`)
      }
    }
    await dropDatabase(pg.url(), SCRATCH)
    if (!(['fetch', 'relay', 'baseline', 'full'] as const).every(only)) {
      const part = (ms: Measure[]) => (ms.length ? summarise(ms, events) : null)
      say(`partial run (--only): ${JSON.stringify({ fetch: part(kinds.fetch), relay: part(kinds.relay), baseline: part(kinds.baseline), full: part(kinds.full) })}; no results file written`)
      return
    }
    say('checking every balance against balanceOf at the head …')
    const icnCheck = await checkBalances(icnDb, chain.anvil.rpc, preset.contracts.token, blocks)
    const baselineCheck = await checkBalances(baselineDb, chain.anvil.rpc, preset.contracts.token, blocks)
    if (icnCheck.differences.length || baselineCheck.differences.length) {
      throw new Error(`balances differ from balanceOf: icn ${JSON.stringify(icnCheck.differences.slice(0, 5))}, baseline ${JSON.stringify(baselineCheck.differences.slice(0, 5))}`)
    }
    await dropDatabase(pg.url(), 'bench_token_baseline')
    const r = { fetchFloor: summarise(kinds.fetch, events), relayFloor: summarise(kinds.relay, events), baseline: summarise(kinds.baseline, events), fullIndexing: summarise(kinds.full, events) }
    const targets = {
      overBaseline: { target: TARGETS.token.overBaseline, measured: Number((r.fullIndexing.eventsPerSecond / r.baseline.eventsPerSecond).toFixed(2)), met: r.fullIndexing.eventsPerSecond >= TARGETS.token.overBaseline * r.baseline.eventsPerSecond },
      fullOverFetchFloor: { target: TARGETS.token.fullOverFetch, measured: Number((r.fullIndexing.seconds / r.fetchFloor.seconds).toFixed(2)), met: r.fullIndexing.seconds <= TARGETS.token.fullOverFetch * r.fetchFloor.seconds },
    }
    const command = `npm run bench:ingest -- --workload token --transfers ${w.transfers} --holders ${w.holders} --seed ${w.seed} --runs ${runs}`
    writeResult('ingest-token', command, { workload: 'token', ...w, blocks, events, holderToHolder: chain.meta.holderToHolder, holdersChecked: icnCheck.checked, runs, ...r, dataDir: path.relative(PROJECT_DIR, DATA_DIR), database: 'bench_token', targets }, [
      ['fetch floor', r.fetchFloor, 'a plain EvmBatchProcessor with the baseline\'s settings, no relay, writing nothing'],
      ['relay floor', r.relayFloor, "the same through the indexer's RPC relay"],
      ['baseline squid', r.baseline, 'TypeormDatabase, one findBy(In), one upsert, one insert per batch'],
      ['icn-indexer', r.fullIndexing, 'the real indexer with a token-only preset, start to head, indexes built'],
    ])
  } finally {
    await chain.anvil.stop()
  }
}

/** The indexer's migrations, applied to the baseline's database (its tables are the indexer's Account and Transfer). */
async function migrate(dbUrl: string): Promise<void> {
  exportDatabaseUrlForSdk(dbUrl)
  await applyMigrations()
}

/** Every account's balance in the index against the token's balanceOf at `block` (the zero address excepted: it stands for mints and burns). */
async function checkBalances(dbUrl: string, rpc: RpcClient, token: string, block: number): Promise<{ checked: number; differences: { account: string; index: string; chain: string }[] }> {
  const db = new Client({ connectionString: dbUrl })
  await db.connect()
  const rows = (await db.query<{ id: string; balance: string }>(`SELECT id, balance::text FROM account WHERE id <> '0x0000000000000000000000000000000000000000' ORDER BY id`)).rows
  await db.end()
  const differences: { account: string; index: string; chain: string }[] = []
  const tag = '0x' + block.toString(16)
  for (let i = 0; i < rows.length; i += 500) {
    const part = rows.slice(i, i + 500)
    const answers = await rpc.batch<string>(part.map((r) => ({ method: 'eth_call', params: [{ to: token, data: icnt.functions.balanceOf.encode({ account: r.id }) }, tag] })))
    part.forEach((r, j) => {
      const chain = icnt.functions.balanceOf.decodeResult(answers[j]).toString()
      if (chain !== r.balance) differences.push({ account: r.id, index: r.balance, chain })
    })
  }
  return { checked: rows.length, differences }
}

function profArgs(prof: (n: string) => string[], name: string): string[] {
  const p = prof(name)
  // SIGTERM must end the process through process.exit for the profile to be written.
  return p.length ? ['-r', path.join(__dirname, 'exit-on-signal.js'), ...p] : []
}

function writeResult(file: string, command: string, r: Record<string, unknown> & { events: number; blocks: number; targets: Record<string, { target: number; measured: number; met: boolean }> }, rows: [string, Run & { runs: number[] }, string][]): void {
  const result = { date: new Date().toISOString(), command, machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`, loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))), ...r }
  console.log(JSON.stringify(result, null, 2))
  const dir = path.join(PROJECT_DIR, 'bench', 'results')
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, `${file}.json`), JSON.stringify(result, null, 2) + '\n')
  const line = ([name, x, note]: [string, Run & { runs: number[] }, string]) =>
    `| ${name} | ${x.seconds} s (${x.runs.join(', ')}) | ${x.eventsPerSecond.toLocaleString('en-US')} | ${x.peakRssMiB} MiB | ${x.cpuSeconds ?? '–'} | ${x.postgresCpuSeconds ?? '–'} | ${note} |\n`
  const t = Object.entries(r.targets).map(([k, v]) => `${k}: target ${v.target}, measured ${v.measured}, ${v.met ? 'met' : 'NOT met'}`).join('; ')
  fs.writeFileSync(
    path.join(dir, `${file}.md`),
    `# Ingestion benchmark (${String(r.workload)} workload)\n\n\`${command}\` on ${result.date.slice(0, 10)} (${result.machine}, load average at the end ${result.loadAverage.join(' ')}): ` +
      `${r.events.toLocaleString('en-US')} events in ${r.blocks} blocks. Medians of ${String(r.runs)} alternating runs (each run's time in brackets); every rate divides the same event count.\n\n` +
      `| run | wall time | events/s | peak RSS | process CPU s | Postgres CPU s | what it measures |\n|---|---|---|---|---|---|---|\n` +
      rows.map(line).join('') +
      `\nTargets: ${t}.\n`,
  )
}

async function main(): Promise<void> {
  const workload = option('workload') ?? 'icn'
  if (workload !== 'icn' && workload !== 'token') throw new Error(`--workload must be icn or token (got ${workload})`)
  const runs = Math.max(1, argInt('runs', 3))
  const profDir = option('cpu-prof')
  // One profile per thread (the indexer's RPC relay has its own), named by the run, process and thread.
  const prof = (name: string) => (profDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profDir, name)}`] : [])
  const pg = await EmbeddedPostgres.start({ dataDir: DATA_DIR, port: await freePort() })
  try {
    await (workload === 'icn' ? icnWorkload(pg, runs, prof) : tokenWorkload(pg, runs, prof))
  } finally {
    await pg.stop()
  }
}

main().catch((e: unknown) => {
  console.error(`bench:ingest: ${(e as Error).stack ?? String(e)}`)
  process.exit(1)
})
