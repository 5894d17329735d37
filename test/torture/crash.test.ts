/**
 * Crash safety: an indexer killed with SIGKILL at random moments of its sync
 * of a history of more than 100,000 events, and restarted each time, must end
 * with exactly the index of a run that was never interrupted, table by table.
 * Each batch commits its rows with the processor's cursor in one
 * transaction, so a kill can only lose a whole uncommitted batch, which the
 * restart then processes again. TORTURE_SOAK=1 kills it 50 times over a
 * longer history.
 */
import { Client } from 'pg'
import type { Devnet } from '../../src/devnet'
import { countLogs } from '../../src/devnet'
import { Rng } from '../../src/devnet/simulator'
import { canonicalDump, diffDumps } from '../helpers/dump'
import { blockNumber, IndexerProcess, runIndexer, testDatabase, testDevnet, waitForHeight } from '../helpers'

const SOAK = process.env.TORTURE_SOAK === '1'
/** Scale 4 over 300 eras: about 600 blocks and over 100,000 events, a sync of some ten seconds. */
const ERAS = SOAK ? 1500 : 300
const KILLS = SOAK ? 50 : 12
const SEED = 20240601
let events = 0

let devnet: Devnet
let head: number
const running: IndexerProcess[] = []

beforeAll(async () => {
  devnet = await testDevnet({ eras: ERAS, scale: 4 })
  head = await blockNumber(devnet.anvil.rpc)
  events = await countLogs(devnet.anvil.rpc, head)
}, 300_000)

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()))
  await devnet?.stop()
})

function start(databaseUrl: string): IndexerProcess {
  // Small commit groups (a batch or two each), so the sync has many commit points for the kills to land between.
  const p = runIndexer({ RPC_URL: devnet.anvil.url, DATABASE_URL: databaseUrl, INDEXER_COMMIT_ROWS: '2000' })
  running.push(p)
  return p
}

/** The committed height, or -1 before the first batch (or before the migrations made the table). */
async function height(c: Client): Promise<number> {
  try {
    const r = await c.query<{ height: number }>(`SELECT height FROM indexer_status WHERE id = 'status'`)
    return r.rows[0]?.height ?? -1
  } catch {
    return -1
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

const exited = (p: IndexerProcess) => p.child.exitCode !== null || p.child.signalCode !== null

async function sigkill(p: IndexerProcess): Promise<void> {
  if (exited(p)) return
  await new Promise<void>((resolve) => {
    p.child.once('exit', () => resolve())
    p.child.kill('SIGKILL')
  })
}

interface Kill {
  from: number
  target: number
  /** The committed height once the process was dead: what the restart resumes from. */
  killedAt: number
}

test(`an indexer SIGKILLed ${KILLS} times mid-sync and restarted ends with the index of an uninterrupted run`, async () => {
  expect(events).toBeGreaterThan(100_000)

  const dbA = await testDatabase()
  const a = start(dbA)
  await waitForHeight(dbA, head, a)
  await a.stop()

  const dbB = await testDatabase()
  const rng = new Rng(SEED)
  const kills: Kill[] = []
  const c = new Client({ connectionString: dbB })
  await c.connect()
  try {
    for (let k = 0; k < KILLS; k++) {
      const from = await height(c)
      // A random height in a share of what is left, so the next kills still have room.
      const left = head - Math.max(from, 0)
      const target = Math.max(from, 0) + rng.int(1, Math.max(1, Math.floor((2 * left) / (KILLS - k + 2))))
      const p = start(dbB)
      // Poll the committed height closely; once it passes the target, kill after a random
      // few milliseconds so the kill lands anywhere in the next batch (fetch, apply, commit).
      const deadline = Date.now() + 60_000
      while ((await height(c)) < target) {
        if (exited(p)) throw new Error(`indexer exited on its own: ${p.output()}`)
        if (Date.now() > deadline) throw new Error(`indexer did not reach block ${target}: ${p.output()}`)
        await pause(2)
      }
      await pause(rng.int(0, 30))
      await sigkill(p)
      kills.push({ from, target, killedAt: await height(c) })
    }
  } finally {
    await c.end()
  }
  const last = start(dbB)
  await waitForHeight(dbB, head, last)
  await last.stop()

  // Every kill landed while the sync was under way: after this run's first commit, before the head.
  const midSync = kills.filter((k) => k.killedAt > k.from && k.killedAt < head)
  expect({ midSync: midSync.length, kills }).toEqual({ midSync: KILLS, kills })

  const [dumpA, dumpB] = await Promise.all([canonicalDump(dbA), canonicalDump(dbB)])
  expect(dumpA.transfer.length).toBeGreaterThan(1000)
  expect(diffDumps(dumpA, dumpB)).toEqual([])
  console.log(`crash safety: ${KILLS} SIGKILLs survived over ${events} events in ${head} blocks; kills at ${kills.map((k) => k.killedAt).join(', ')}; nothing lost or doubled`)
}, SOAK ? 3_600_000 : 300_000)
