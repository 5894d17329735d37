/**
 * Ingestion benchmark (full indexing, end to end):
 *   npm run bench:ingest -- [--scale N] [--eras N] [--seed N]
 * Makes a devnet history with the simulator, indexes it with the real indexer
 * (lib/main.js, a child process) into a fresh database on an embedded
 * Postgres with default settings, and reports events/s, blocks/s, wall time
 * and the indexer's peak RSS to bench/results/ingest.json and ingest.md.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Client } from 'pg'
import { childEnv, PROJECT_DIR } from '../config'
import { createDatabase, EmbeddedPostgres } from '../db/embedded'
import { countLogs, startDevnet } from '../devnet'
import { freePort } from '../runtime/ports'

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`)
  if (i < 0) return def
  const v = Number(process.argv[i + 1])
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} needs a non-negative integer`)
  return v
}

/** Peak resident set of a live process in bytes (Linux: VmHWM). */
function peakRss(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : 0
  } catch {
    return 0
  }
}

async function main(): Promise<void> {
  const scale = arg('scale', 1)
  const eras = arg('eras', 500)
  const seed = arg('seed', 1)
  console.log(`bench:ingest: generating ${eras} eras at scale ${scale} …`)
  const devnet = await startDevnet({ port: await freePort(), seed, scale, historyEras: eras })
  const pg = await EmbeddedPostgres.start({ dataDir: path.join(PROJECT_DIR, '.data', 'bench-postgres'), port: await freePort() })
  try {
    const blocks = await devnet.chain.blockNumber()
    const events = await countLogs(devnet.anvil.rpc, blocks)
    console.log(`bench:ingest: ${events} events in ${blocks} blocks; indexing …`)
    const dbUrl = await createDatabase(pg.url(), 'bench_ingest', true)
    const t0 = process.hrtime.bigint()
    const child = spawn(process.execPath, [path.join(PROJECT_DIR, 'lib/main.js')], {
      env: childEnv({ ICN_NETWORK: 'devnet', RPC_URL: devnet.anvil.url, DATABASE_URL: dbUrl }),
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
    const db = new Client({ connectionString: dbUrl })
    await db.connect()
    let rss = 0
    try {
      for (;;) {
        if (child.exitCode !== null) throw new Error(`indexer exited with ${child.exitCode}: ${stderr}`)
        rss = Math.max(rss, peakRss(child.pid!))
        const r = await db.query<{ height: number }>(`SELECT height FROM indexer_status`).catch(() => ({ rows: [] as { height: number }[] }))
        if (r.rows[0] && r.rows[0].height >= blocks) break
        await new Promise((res) => setTimeout(res, 100))
      }
    } finally {
      await db.end()
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9
    rss = Math.max(rss, peakRss(child.pid!))
    child.kill('SIGTERM')
    const result = {
      date: new Date().toISOString(),
      command: `npm run bench:ingest -- --scale ${scale} --eras ${eras} --seed ${seed}`,
      machine: `${os.cpus().length} cores, Node ${process.version}`,
      scale, eras, seed, blocks, events,
      fullIndexing: {
        seconds: Number(seconds.toFixed(2)),
        eventsPerSecond: Math.round(events / seconds),
        blocksPerSecond: Math.round(blocks / seconds),
        peakRssMiB: Math.round(rss / 2 ** 20),
      },
    }
    console.log(JSON.stringify(result, null, 2))
    const dir = path.join(PROJECT_DIR, 'bench', 'results')
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(path.join(dir, 'ingest.json'), JSON.stringify(result, null, 2) + '\n')
    const f = result.fullIndexing
    fs.writeFileSync(
      path.join(dir, 'ingest.md'),
      `# Ingestion benchmark\n\n\`${result.command}\` on ${result.date.slice(0, 10)} (${result.machine}): ${events} events in ${blocks} blocks.\n\n` +
        `| run | wall time | events/s | blocks/s | indexer peak RSS |\n|---|---|---|---|---|\n` +
        `| full indexing | ${f.seconds} s | ${f.eventsPerSecond} | ${f.blocksPerSecond} | ${f.peakRssMiB} MiB |\n`,
    )
  } finally {
    await pg.stop()
    await devnet.stop()
  }
}

main().catch((e: unknown) => {
  console.error(`bench:ingest: ${(e as Error).stack ?? String(e)}`)
  process.exit(1)
})
