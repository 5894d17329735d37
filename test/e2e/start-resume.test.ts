/**
 * `npm start` twice on one data folder resumes the second time: the devnet
 * is saved on stop (chain with its historical states, and what rebuilds the
 * simulator), loaded on start, its traffic continues without a reverted
 * transaction, the index is kept (not rebuilt) and `verify` works at a block
 * from before the restart. A saved chain behind the index is said in one line
 * and the index starts over; `--fresh` starts a new devnet.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '../../src/runtime/ports'
import { ROOT, waitFor } from '../helpers'

let dataDir: string

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'icn-start-resume-'))
  // The embedded server runs as the postgres user when the tests run as root.
  fs.chmodSync(dataDir, 0o755)
})

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))

interface Run {
  child: ChildProcess
  out: () => string
  apiPort: number
  devnetPort: number
  exited: Promise<number | null>
}

async function start(args: string[] = []): Promise<Run> {
  const apiPort = await freePort()
  const devnetPort = await freePort()
  const child = spawn(process.execPath, [path.join(ROOT, 'lib/start.js'), ...args], {
    env: {
      PATH: process.env.PATH,
      DATA_DIR: dataDir,
      API_PORT: String(apiPort),
      DEVNET_PORT: String(devnetPort),
      SIM_HISTORY_ERAS: '6',
      SIM_LIVE_INTERVAL_MS: '300',
      INDEXER_METRICS_PORT: String(await freePort()),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const run = { child, out: () => out, apiPort, devnetPort, exited }
  await waitFor('the stack at the head', async () => {
    if (child.exitCode !== null) throw new Error(`npm start exited: ${out}`)
    return /icn-indexer reached the chain head/.test(out)
  }, 150_000)
  return run
}

async function height(r: Run): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${r.apiPort}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ _meta { height } }' }) })
  return ((await res.json()) as { data: { _meta: { height: number } } }).data._meta.height
}

/** Ctrl-C, as a terminal sends it (SIGINT to the process group); the stack exits 0. */
async function stop(r: Run): Promise<void> {
  process.kill(-r.child.pid!, 'SIGINT')
  const code = await r.exited
  if (code !== 0) console.error(r.out())
  expect(code).toBe(0)
}

const kill = (r: Run | undefined) => {
  try {
    if (r) process.kill(-r.child.pid!, 'SIGKILL')
  } catch {
    // already gone
  }
}

test('a restart resumes the devnet and the index; a saved chain behind the index, and --fresh, start over', async () => {
  const saved = path.join(dataDir, 'devnet')
  let run: Run | undefined
  try {
    // First start: a new devnet, saved on stop.
    run = await start()
    expect(run.out()).toMatch(/starting devnet on/)
    await waitFor('live traffic', async () => (await height(run!)) > 30, 60_000)
    await stop(run)
    const first = run.out()
    expect(first).toMatch(/devnet saved to \S+ at block \d+/)
    const savedAt = Number(/devnet saved to \S+ at block (\d+)/.exec(first)![1])
    const earlier = path.join(dataDir, 'devnet-earlier')
    fs.cpSync(saved, earlier, { recursive: true })

    // Second start: the same chain and index, continued.
    run = await start()
    const second = run.out()
    expect(second).not.toMatch(/starting devnet on|cannot be resumed|starts over/)
    expect(second).toMatch(new RegExp(`devnet resumed in [\\d.]+ s at block ${savedAt}\\b`))
    // The index was kept: the indexer resumed after the saved head instead of from the token's deployment.
    expect(second).toMatch(/indexer: resuming at block \d+/)
    await waitFor('traffic after the restart', async () => (await height(run!)) > savedAt + 10, 60_000)
    expect(second).not.toMatch(/simulator:/) // no reverted transaction
    // verify at a block from before the restart: the chain kept its historical states.
    const v = spawnSync(process.execPath, [path.join(ROOT, 'lib/verify/main.js'), String(savedAt - 5)], {
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, RPC_URL: `http://127.0.0.1:${run.devnetPort}` },
      encoding: 'utf8',
    })
    expect({ status: v.status, out: v.stdout + v.stderr }).toEqual({ status: 0, out: expect.stringMatching(new RegExp(`verify: block ${savedAt - 5}: \\d+ figures compared, 0 difference`)) })
    await stop(run)

    // Third start on the earlier save: the index is ahead of that chain, and starts over on it.
    fs.rmSync(saved, { recursive: true })
    fs.renameSync(earlier, saved)
    run = await start()
    expect(run.out()).toMatch(new RegExp(`the index is at block \\d+, ahead of the saved devnet \\(block ${savedAt}\\): the index starts over on the saved devnet`))
    await stop(run)

    // --fresh: a new devnet and an empty index, whatever was saved.
    run = await start(['--fresh'])
    expect(run.out()).toMatch(/--fresh: a new devnet and an empty index[^]*starting devnet on/)
    expect(run.out()).not.toMatch(/resuming/)
    await stop(run)
  } finally {
    kill(run)
  }
}, 600_000)
