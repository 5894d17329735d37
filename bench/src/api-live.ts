/**
 * `bench:api --live`: the queries are loaded while the chain moves, as in
 * production. The ICN workload's chain (the snapshot `bench:ingest` made) is
 * loaded into anvil, its simulator replayed to the snapshot's era, and the
 * real indexer (lib/main.js) follows it into a copy of the bench database
 * (`<database>_live`, a template copy made at start and dropped at the end;
 * the static database is never written). Every `intervalMs` the simulator
 * mines one more era (several blocks of SLA reports, transfers, delegations,
 * bookings), the indexer indexes it, and each new head invalidates the API's
 * per-head caches.
 */
import { ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { Client } from 'pg'
import { childEnv, PROJECT_DIR } from '../../lib/config'
import { createDatabase, dropDatabase } from '../../lib/db/embedded'
import { DevChain } from '../../lib/devnet/chain'
import { GENESIS_TIME } from '../../lib/devnet/deploy'
import { simulatorOptions } from '../../lib/devnet'
import { Simulator } from '../../lib/devnet/simulator'
import { deploymentOf, devnetFromSnapshot, LoadedDevnet, SnapshotKey } from '../../lib/devnet/snapshot'
import { freePort } from '../../lib/runtime/ports'

export interface LiveStats {
  intervalMs: number
  /** Eras the simulator mined while the queries ran. */
  eras: number
  fromBlock: number
  toBlock: number
  /** Indexed height when the stats were taken (it trails the chain by at most one era while following). */
  indexedBlock: number
  /** Steps that failed (each logged); a live run with failures is reported, not hidden. */
  failedSteps: number
}

export interface Live {
  /** The live copy's admin URL (the indexer writes it; the servers read it). */
  databaseUrl: string
  database: string
  stats(): Promise<LiveStats>
  stop(): Promise<void>
}

async function indexedHeight(url: string): Promise<number> {
  const c = new Client({ connectionString: url })
  await c.connect()
  try {
    return (await c.query<{ height: number }>(`SELECT height FROM indexer_status WHERE id = 'status'`)).rows[0]?.height ?? -1
  } finally {
    await c.end()
  }
}

/**
 * Starts the chain, the indexer on a copy of `database`, and (with `begin()`
 * called) an era every `intervalMs`. Refuses when the database was not
 * indexed from this snapshot (its head is not the snapshot's).
 */
export async function startLive(o: {
  /** The server's admin URL (its `postgres` database). */
  adminUrl: string
  /** The static database, indexed from the snapshot, and its URL. */
  database: string
  staticUrl: string
  chainDir: string
  key: SnapshotKey
  intervalMs: number
  log: (msg: string) => void
}): Promise<Live & { begin(): void }> {
  const database = `${o.database}_live`
  const staticHead = await indexedHeight(o.staticUrl)
  let devnet: LoadedDevnet | undefined
  let indexer: ChildProcess | undefined
  let out = ''
  let timer: NodeJS.Timeout | undefined
  let ticking: Promise<void> | undefined
  let stopping = false
  let failedSteps = 0
  const stop = async () => {
    stopping = true
    if (timer) clearTimeout(timer)
    await ticking
    if (indexer && indexer.exitCode === null && indexer.signalCode === null) {
      const child = indexer
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref()
      })
    }
    await devnet?.anvil.stop()
    await dropDatabase(o.adminUrl, database)
  }
  try {
    devnet = await devnetFromSnapshot(o.chainDir, o.key, { port: await freePort(), log: o.log })
    if (!devnet.cached) throw new Error(`no cached chain for --scale ${o.key.scale} --eras ${o.key.eras} --seed ${o.key.seed} (one was generated now): index it with npm run bench:ingest first`)
    if (devnet.meta.blocks !== staticHead) {
      throw new Error(`database ${o.database} is indexed to block ${staticHead}, the chain for --scale ${o.key.scale} --eras ${o.key.eras} --seed ${o.key.seed} ends at ${devnet.meta.blocks}: run npm run bench:ingest with those settings, or pass them to bench:api`)
    }
    const t0 = Date.now()
    const chain = new DevChain(devnet.anvil.rpc)
    const simulator = await Simulator.replayed(chain, deploymentOf(devnet.meta), GENESIS_TIME, simulatorOptions(o.key.seed, o.key.scale, o.key.eras), o.key.eras)
    o.log(`live: simulator replayed to era ${o.key.eras} in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
    // A copy the indexer may write: CREATE DATABASE … TEMPLATE copies the files (seconds), with no session on the template.
    const url = await createDatabase(o.adminUrl, database, true, { template: o.database })
    indexer = spawn(process.execPath, [path.join(PROJECT_DIR, 'lib', 'main.js')], {
      cwd: PROJECT_DIR,
      env: childEnv({ NODE_ENV: 'production', ICN_NETWORK: 'devnet', DATABASE_URL: url, RPC_URL: devnet.anvil.url }),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const keep = (d: Buffer) => (out = (out + d.toString()).slice(-8000))
    indexer.stdout!.on('data', keep)
    indexer.stderr!.on('data', keep)
    const child = indexer
    child.once('exit', (code, signal) => {
      if (!stopping) o.log(`live: the indexer exited (${code ?? signal}) while the chain moved:\n${out}`)
    })
    const fromBlock = devnet.meta.blocks
    // Steps start every intervalMs (start to start; at once when one took longer).
    const schedule = (delay: number) => {
      timer = setTimeout(() => {
        const t = Date.now()
        ticking = simulator
          .step()
          .catch((e: Error) => {
            failedSteps += 1
            o.log(`live: simulator step failed: ${e.message}`)
          })
          .finally(() => {
            ticking = undefined
            if (!stopping) schedule(Math.max(0, o.intervalMs - (Date.now() - t)))
          })
      }, delay)
    }
    let erasAtBegin = simulator.era
    return {
      databaseUrl: url,
      database,
      begin: () => {
        erasAtBegin = simulator.era
        schedule(o.intervalMs)
      },
      async stats() {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the live indexer exited (${child.exitCode ?? child.signalCode}): ${out}`)
        return {
          intervalMs: o.intervalMs,
          eras: simulator.era - erasAtBegin,
          fromBlock,
          toBlock: await chain.blockNumber(),
          indexedBlock: await indexedHeight(url),
          failedSteps,
        }
      },
      stop,
    }
  } catch (e) {
    await stop().catch(() => {})
    throw e
  }
}
