/**
 * Ingestion benchmark:
 *   npm run bench:ingest -- [--scale 20] [--eras 420] [--seed 1] [--fresh] [--only fetch,store,full] [--cpu-prof DIR]
 * (--cpu-prof writes a V8 CPU profile of each working process into DIR.)
 *
 * The defaults make a devnet history of 1,085,620 events in 847 blocks (the
 * simulator at scale 20: mostly transfers and SLA reports, every other event
 * kind too). The history is simulated once and kept as an anvil state dump
 * under .data/bench-chain/ (keyed by seed, scale, eras and a fingerprint of
 * the contracts and the simulator; --fresh simulates it again), so a repeat
 * run loads it in seconds. Then, in one run, each in its own child process:
 *
 *  (a) fetch floor: the indexer's processor and RPC relay (makeProcessor,
 *      startRelay: same RPC settings, request and fields) over the same
 *      block range, with a handler and a database that write nothing;
 *  (c) store floor: the same logs, fetched and decoded before the clock
 *      starts, applied and flushed by the indexer's batch code into a fresh
 *      database, batch by batch, with no RPC (src/bench/store-floor.ts);
 *  (b) full indexing: the real indexer (lib/main.js) into a fresh database
 *      `bench_ingest`, timed from its start until its status row reaches the
 *      chain head.
 *
 * All run against the embedded Postgres in .data/bench-postgres with the
 * settings `npm start` uses (none are changed for the benchmark). Events are
 * the chain's logs at the watched contracts; every rate divides that same
 * count. Peak RSS is the working process's VmHWM (for the store floor: over
 * the timed phase, which also holds the pre-decoded events).
 *
 * Results go to bench/results/ingest.json and ingest.md. The fully indexed
 * database `bench_ingest` stays in .data/bench-postgres (server stopped) for
 * `npm run bench:api`; ingest.json names it and its blocks and events.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Client } from 'pg'
import { childEnv, PROJECT_DIR } from '../config'
import { presetPath } from '../config/preset'
import { createDatabase, dropDatabase, EmbeddedPostgres } from '../db/embedded'
import { devnetFromSnapshot } from '../devnet/snapshot'
import { freePort } from '../runtime/ports'
import { argInt, peakRssBytes } from './util'

const DATA_DIR = path.join(PROJECT_DIR, '.data', 'bench-postgres')
const DATABASE = 'bench_ingest'
const STORE_FLOOR_DATABASE = 'bench_store_floor'

/** Targets of the issue, for a 2-core machine. */
const TARGETS = { fullEventsPerSecond: 20_000, fullOverFetch: 1.3, storeEventsPerSecond: 50_000, peakRssMiB: 1024 }

interface Run {
  seconds: number
  eventsPerSecond: number
  blocksPerSecond: number
  peakRssMiB: number
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? undefined : process.argv[i + 1]
}

const MiB = (b: number) => Math.round(b / 2 ** 20)

function run(seconds: number, events: number, blocks: number, rss: number): Run {
  return {
    seconds: Number(seconds.toFixed(2)),
    eventsPerSecond: Math.round(events / seconds),
    blocksPerSecond: Math.round(blocks / seconds),
    peakRssMiB: MiB(rss),
  }
}

/** Runs a bench child to its end; returns the JSON line it printed last and its wall time. */
async function child<T>(script: string, args: string[], env: Record<string, string>, nodeArgs: string[]): Promise<{ out: T; seconds: number }> {
  const t0 = process.hrtime.bigint()
  const c = spawn(process.execPath, [...nodeArgs, path.join(PROJECT_DIR, 'lib', script), ...args], {
    env: childEnv(env),
    cwd: PROJECT_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  c.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
  c.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
  const code = await new Promise<number | null>((resolve) => c.once('exit', resolve))
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  const line = stdout.trim().split('\n').pop() ?? ''
  if (code !== 0 || !line.startsWith('{')) throw new Error(`${script} exited with ${code}: ${stderr}`)
  return { out: JSON.parse(line) as T, seconds }
}

async function main(): Promise<void> {
  const scale = argInt('scale', 20)
  const eras = argInt('eras', 420)
  const seed = argInt('seed', 1)
  const only = new Set((option('only') ?? 'fetch,store,full').split(','))
  const profDir = option('cpu-prof')
  const say = (msg: string) => console.log(`bench:ingest: ${msg}`)

  const devnet = await devnetFromSnapshot(path.join(PROJECT_DIR, '.data', 'bench-chain'), { seed, scale, eras }, {
    port: await freePort(),
    fresh: process.argv.includes('--fresh'),
    log: say,
  })
  const { blocks, events, preset } = devnet.meta
  // The children read the devnet preset from config/networks; it must be this chain's.
  const presetFile = JSON.parse(fs.readFileSync(presetPath('devnet'), 'utf8')) as { contracts: unknown; startBlock: unknown }
  if (JSON.stringify(presetFile.contracts) !== JSON.stringify(preset.contracts) || presetFile.startBlock !== preset.startBlock) {
    await devnet.anvil.stop()
    throw new Error(`config/networks/devnet.json does not match the generated devnet (run npm start once to rewrite it)`)
  }
  say(`${events} events in ${blocks} blocks (${devnet.cached ? 'loaded' : 'generated'} in ${devnet.seconds.toFixed(1)} s)`)

  const pg = await EmbeddedPostgres.start({ dataDir: DATA_DIR, port: await freePort() })
  const env = { ICN_NETWORK: 'devnet', RPC_URL: devnet.anvil.url }
  const prof = (name: string) => (profDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profDir)}`, `--cpu-prof-name=${name}.cpuprofile`] : [])
  const result: Record<string, unknown> = {}
  try {
    if (only.has('fetch')) {
      say('(a) fetch floor …')
      const dbUrl = await createDatabase(pg.url(), STORE_FLOOR_DATABASE, true)
      const r = await child<{ height: number; logs: number; batches: number; peakRssBytes: number }>(
        'bench/fetch-floor.js', ['--to', String(blocks)], { ...env, DATABASE_URL: dbUrl }, prof('fetch-floor'),
      )
      if (r.out.logs !== events) throw new Error(`the fetch floor saw ${r.out.logs} logs, the chain has ${events}`)
      result.fetchFloor = { ...run(r.seconds, events, blocks, r.out.peakRssBytes), batches: r.out.batches }
      say(JSON.stringify(result.fetchFloor))
    }

    if (only.has('store')) {
      say('(c) store floor: fetching and decoding before the clock starts …')
      const dbUrl = await createDatabase(pg.url(), STORE_FLOOR_DATABASE, true)
      const r = await child<{ logs: number; events: number; batches: number; batchBlocks: number; prepSeconds: number; seconds: number; peakRssBytes: number; rssBeforeBytes: number }>(
        'bench/store-floor.js', ['--to', String(blocks)], { ...env, DATABASE_URL: dbUrl }, ['--expose-gc', ...prof('store-floor')],
      )
      if (r.out.logs !== events) throw new Error(`the store floor applied ${r.out.logs} logs, the chain has ${events}`)
      result.storeFloor = {
        ...run(r.out.seconds, events, blocks, r.out.peakRssBytes),
        decodedEvents: r.out.events,
        batches: r.out.batches,
        batchBlocks: r.out.batchBlocks,
        rssAtStartMiB: MiB(r.out.rssBeforeBytes),
        untimedFetchAndDecodeSeconds: Number(r.out.prepSeconds.toFixed(2)),
      }
      say(JSON.stringify(result.storeFloor))
    }
    // The store floor's database is only scaffolding: drop it (a million events take gigabytes).
    await dropDatabase(pg.url(), STORE_FLOOR_DATABASE)

    if (only.has('full')) {
      say('(b) full indexing …')
      const dbUrl = await createDatabase(pg.url(), DATABASE, true)
      const nodeArgs = profDir ? ['-r', path.join(PROJECT_DIR, 'lib/bench/exit-on-signal.js'), ...prof('full')] : []
      const r = await fullIndexing(dbUrl, devnet.anvil.url, blocks, nodeArgs)
      result.fullIndexing = run(r.seconds, events, blocks, r.rss)
      say(JSON.stringify(result.fullIndexing))
    }
  } finally {
    await pg.stop()
    await devnet.anvil.stop()
  }
  write({ scale, eras, seed, blocks, events, chain: { cached: devnet.cached, seconds: Number(devnet.seconds.toFixed(1)), generateSeconds: devnet.meta.generateSeconds }, ...result })
}

/** The real indexer, from its start until its status row reaches `blocks`. */
async function fullIndexing(dbUrl: string, rpcUrl: string, blocks: number, nodeArgs: string[]): Promise<{ seconds: number; rss: number }> {
  const t0 = process.hrtime.bigint()
  const c = spawn(process.execPath, [...nodeArgs, path.join(PROJECT_DIR, 'lib/main.js')], {
    env: childEnv({ ICN_NETWORK: 'devnet', RPC_URL: rpcUrl, DATABASE_URL: dbUrl }),
    cwd: PROJECT_DIR,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  c.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
  const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()))
  const db = new Client({ connectionString: dbUrl })
  await db.connect()
  let rss = 0
  try {
    for (;;) {
      if (c.exitCode !== null) throw new Error(`indexer exited with ${c.exitCode}: ${stderr}`)
      rss = Math.max(rss, peakRssBytes(c.pid!))
      const r = await db.query<{ height: number }>(`SELECT height FROM indexer_status`).catch(() => ({ rows: [] as { height: number }[] }))
      if (r.rows[0] && r.rows[0].height >= blocks) break
      await new Promise((res) => setTimeout(res, 100))
    }
  } finally {
    await db.end()
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  rss = Math.max(rss, peakRssBytes(c.pid!))
  // SIGTERM: the indexer ends its batch and exits (a CPU profile is written then).
  c.kill('SIGTERM')
  await exited
  return { seconds, rss }
}

function write(r: { scale: number; eras: number; seed: number; blocks: number; events: number } & Record<string, unknown>): void {
  const command = `npm run bench:ingest -- --scale ${r.scale} --eras ${r.eras} --seed ${r.seed}`
  const fetch = r.fetchFloor as Run | undefined
  const full = r.fullIndexing as Run | undefined
  const store = r.storeFloor as (Run & { batchBlocks: number; batches: number; untimedFetchAndDecodeSeconds: number }) | undefined
  const targets = {
    fullEventsPerSecond: full && { target: TARGETS.fullEventsPerSecond, measured: full.eventsPerSecond, met: full.eventsPerSecond >= TARGETS.fullEventsPerSecond },
    fullOverFetchFloor: full && fetch && { target: TARGETS.fullOverFetch, measured: Number((full.seconds / fetch.seconds).toFixed(2)), met: full.seconds <= TARGETS.fullOverFetch * fetch.seconds },
    storeFloorEventsPerSecond: store && { target: TARGETS.storeEventsPerSecond, measured: store.eventsPerSecond, met: store.eventsPerSecond >= TARGETS.storeEventsPerSecond },
    indexerPeakRssMiB: full && { target: TARGETS.peakRssMiB, measured: full.peakRssMiB, met: full.peakRssMiB <= TARGETS.peakRssMiB },
  }
  const result = {
    date: new Date().toISOString(),
    command,
    machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    ...r,
    // The database left for `npm run bench:api` (server stopped).
    dataDir: path.relative(PROJECT_DIR, DATA_DIR),
    database: DATABASE,
    targets,
  }
  console.log(JSON.stringify(result, null, 2))
  const dir = path.join(PROJECT_DIR, 'bench', 'results')
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'ingest.json'), JSON.stringify(result, null, 2) + '\n')
  const row = (name: string, x: Run | undefined, note: string) =>
    x ? `| ${name} | ${x.seconds} s | ${x.eventsPerSecond.toLocaleString('en-US')} | ${x.blocksPerSecond} | ${x.peakRssMiB} MiB | ${note} |\n` : ''
  const ok = (t: { met: boolean } | undefined) => (t === undefined ? 'not run' : t.met ? 'met' : 'NOT met')
  fs.writeFileSync(
    path.join(dir, 'ingest.md'),
    `# Ingestion benchmark\n\n\`${command}\` on ${result.date.slice(0, 10)} (${result.machine}): ` +
      `${r.events.toLocaleString('en-US')} events in ${r.blocks} blocks. Every rate divides the same event count (the chain's logs at the watched contracts).\n\n` +
      `| run | wall time | events/s | blocks/s | peak RSS | what it measures |\n|---|---|---|---|---|---|\n` +
      row('(a) fetch floor', fetch, 'the indexer\'s processor and RPC relay, a handler that writes nothing') +
      row('(b) full indexing', full, 'the real indexer (lib/main.js) into a fresh database, start to head') +
      row('(c) store floor', store, store ? `pre-decoded events, indexBatch + flush in ${store.batches} batches of ${store.batchBlocks} blocks, no RPC (fetch and decode before the clock: ${store.untimedFetchAndDecodeSeconds} s)` : '') +
      `\nTargets (2 cores): full indexing ≥ ${TARGETS.fullEventsPerSecond.toLocaleString('en-US')} events/s: ${ok(targets.fullEventsPerSecond)}; ` +
      `full ≤ ${TARGETS.fullOverFetch}× the fetch floor's time: ${ok(targets.fullOverFetchFloor)}${targets.fullOverFetchFloor ? ` (${targets.fullOverFetchFloor.measured}×)` : ''}; ` +
      `store floor ≥ ${TARGETS.storeEventsPerSecond.toLocaleString('en-US')} events/s: ${ok(targets.storeFloorEventsPerSecond)}; ` +
      `indexer peak RSS ≤ ${TARGETS.peakRssMiB} MiB: ${ok(targets.indexerPeakRssMiB)}.\n\n` +
      `The indexed database \`${DATABASE}\` is left in \`${result.dataDir}\` for \`npm run bench:api\`.\n`,
  )
}

main().catch((e: unknown) => {
  console.error(`bench:ingest: ${(e as Error).stack ?? String(e)}`)
  process.exit(1)
})
