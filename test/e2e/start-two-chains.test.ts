/**
 * `ICN_NETWORK=devnet-2chain npm start`: two devnet chains (the L1 on
 * DEVNET_PORT, the L2 on the next), one indexer per chain under the
 * supervisor, the API over both; the banner names both chains, the API
 * answers the network's supply and each chain's head, and a second start
 * on the same data folder resumes both chains and their index.
 */
import { ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort, portIsFree } from '../../src/runtime/ports'
import { ROOT, waitFor } from '../helpers'

let dataDir: string

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'icn-start-2chain-'))
  // The embedded server runs as the postgres user when the tests run as root.
  fs.chmodSync(dataDir, 0o755)
})

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))

/** A free port whose next one is free too (the L2's). */
async function pairOfPorts(): Promise<number> {
  for (;;) {
    const p = await freePort()
    if (p < 65535 && (await portIsFree(p + 1))) return p
  }
}

interface Run {
  child: ChildProcess
  out: () => string
  apiPort: number
  exited: Promise<number | null>
}

async function start(): Promise<Run> {
  const apiPort = await freePort()
  const child = spawn(process.execPath, [path.join(ROOT, 'lib/start.js')], {
    env: { PATH: process.env.PATH, ICN_NETWORK: 'devnet-2chain', DATA_DIR: dataDir, API_PORT: String(apiPort), DEVNET_PORT: String(await pairOfPorts()), SIM_HISTORY_ERAS: '6', SIM_LIVE_INTERVAL_MS: '400' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  await waitFor('both chains at their heads', async () => {
    if (child.exitCode !== null) throw new Error(`npm start exited: ${out}`)
    return /icn-indexer reached the chain heads \(L1 block \d+, L2 block \d+\)/.test(out)
  }, 180_000)
  return { child, out: () => out, apiPort, exited }
}

async function stop(r: Run): Promise<number | null> {
  process.kill(-r.child.pid!, 'SIGTERM')
  return r.exited
}

async function query(r: Run, q: string): Promise<{ data?: ReturnType<typeof JSON.parse>; errors?: unknown[] }> {
  const res = await fetch(`http://127.0.0.1:${r.apiPort}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: q }) })
  return (await res.json()) as { data?: ReturnType<typeof JSON.parse>; errors?: unknown[] }
}

test('npm start on devnet-2chain runs both chains, one indexer each, the API over both, and resumes', async () => {
  const first = await start()
  let heights: number[]
  try {
    expect(first.out()).toMatch(/Devnet RPC: {3}http:\/\/127\.0\.0\.1:\d+ {2}\(L1, chain id 31337\)\n {16}http:\/\/127\.0\.0\.1:\d+ {2}\(L2, chain id 31338\)/)
    const ready = await fetch(`http://127.0.0.1:${first.apiPort}/readyz`)
    expect(ready.status).toBe(200)
    const r = await query(first, '{ _meta { chain chains { chain height } } supply { totalSupply escrowed bridged inFlight inconsistencies chains { chain totalSupply } } nodes(first: 1) { nodes { chain } } }')
    expect(r.errors).toBeUndefined()
    expect(r.data!._meta.chain).toBe('devnet-2chain')
    expect(r.data!._meta.chains.map((c: { chain: string }) => c.chain)).toEqual(['l1', 'l2'])
    // The L1's totalSupply: 700M less whatever the simulator's live eras burned by now (a burn in 3% of them).
    expect(r.data!.supply.totalSupply).toBe(r.data!.supply.chains.find((c: { chain: string }) => c.chain === 'l1').totalSupply)
    expect(BigInt(r.data!.supply.totalSupply)).toBeLessThanOrEqual(700_000_000n * 10n ** 18n)
    expect(BigInt(r.data!.supply.totalSupply)).toBeGreaterThan(699_000_000n * 10n ** 18n)
    expect(BigInt(r.data!.supply.escrowed)).toBeGreaterThan(0n)
    expect(r.data!.supply.inconsistencies).toEqual([])
    expect(r.data!.nodes.nodes).toEqual([{ chain: 'l2' }])
    // The network's total as a bare decimal: 700M less the live eras' burns so far.
    const total = await fetch(`http://127.0.0.1:${first.apiPort}/supply/total`).then((x) => x.text())
    expect(total).toMatch(/^(700000000|699\d{6}(\.\d*[1-9])?)$/)
    heights = r.data!._meta.chains.map((c: { height: number }) => c.height)
  } finally {
    expect(await stop(first)).toBe(0)
  }
  expect(first.out()).toMatch(/devnet saved to .* at block \d+/)

  const second = await start()
  try {
    expect(second.out()).toMatch(/resuming the devnet saved in/)
    expect(second.out()).not.toMatch(/cannot be resumed|starts over/)
    const r = await query(second, '{ _meta { chains { chain height } } }')
    const now = r.data!._meta.chains.map((c: { height: number }) => c.height)
    // Both chains went on from where they were saved, their index kept.
    expect(now[0]).toBeGreaterThanOrEqual(heights[0])
    expect(now[1]).toBeGreaterThanOrEqual(heights[1])
    expect(second.out()).not.toMatch(/indexer\[l[12]\]: a new index/)
  } finally {
    expect(await stop(second)).toBe(0)
  }
}, 420_000)
