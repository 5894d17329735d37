/**
 * `npm start` on a public chain checks it before it prints "running": an RPC
 * that does not answer, or serves another chain, stops it non-zero with one
 * line. A preset without a start block (as the shipped `base` preset) starts
 * at the token's deployment, found by bisection on eth_getCode, logged and
 * kept in the database, the preset file untouched; a node that cannot answer
 * past state (anvil --prune-history) is refused in one line.
 *
 * The chains are anvils with chain id 8453 (a preset's id that is not the
 * devnet's) where the token is deployed after 30 empty blocks.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { Client } from 'pg'
import { NetworkPreset } from '../../src/config'
import { embeddedDatabaseName, runningEmbeddedUrl } from '../../src/db/embedded'
import { Anvil } from '../../src/devnet/anvil'
import { DevChain } from '../../src/devnet/chain'
import { deployToken, GENESIS_TIME } from '../../src/devnet/deploy'
import { freePort } from '../../src/runtime/ports'
import { ROOT, waitFor } from '../helpers'

const EMPTY_BLOCKS = 30
const anvils: Anvil[] = []
const dirs: string[] = []
const children: number[] = []

afterAll(async () => {
  for (const pid of children) {
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // gone
    }
  }
  await Promise.all(anvils.map((a) => a.stop()))
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'icn-pf-'))
  // The embedded server runs as the postgres user when the tests run as root.
  fs.chmodSync(d, 0o755)
  dirs.push(d)
  return d
}

/** An anvil on chain `chainId` whose token is deployed after EMPTY_BLOCKS empty blocks. */
async function chainWithLateToken(o: { chainId: number; pruneHistory?: boolean }): Promise<{ anvil: Anvil; token: string; block: number }> {
  const anvil = await Anvil.start({ port: await freePort(), chainId: o.chainId, genesisTimestamp: GENESIS_TIME, preserveHistoricalStates: !o.pruneHistory, pruneHistory: o.pruneHistory })
  anvils.push(anvil)
  const chain = new DevChain(anvil.rpc)
  let t = GENESIS_TIME
  for (let i = 0; i < EMPTY_BLOCKS; i++) await chain.mine((t += 12))
  const { address, block } = await deployToken(chain, (t += 12))
  for (let i = 0; i < 5; i++) await chain.mine((t += 12))
  return { anvil, token: address, block }
}

/** A token-only preset as `base` ships: no start block. */
function presetFile(dir: string, token: string): string {
  const base = JSON.parse(fs.readFileSync(path.join(ROOT, 'config/networks/base.json'), 'utf8')) as NetworkPreset
  const file = path.join(dir, 'p.json')
  fs.writeFileSync(file, JSON.stringify({ ...base, name: 'late', contracts: { ...base.contracts, token }, startBlock: null }, null, 2) + '\n')
  return file
}

interface Started {
  out: () => string
  exited: Promise<number | null>
  pid: number
}

async function start(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [path.join(ROOT, 'lib/start.js')], {
    env: { PATH: process.env.PATH, API_PORT: String(await freePort()), INDEXER_METRICS_PORT: String(await freePort()), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  children.push(child.pid!)
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  return { out: () => out, pid: child.pid!, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) }
}

async function stop(s: Started): Promise<void> {
  process.kill(-s.pid, 'SIGINT')
  expect(await s.exited).toBe(0)
}

test('a preset without a start block starts at the token deployment, found once and kept; the preset file is untouched', async () => {
  const { anvil, token, block } = await chainWithLateToken({ chainId: 8453 })
  const dir = tempDir()
  const file = presetFile(dir, token)
  const text = fs.readFileSync(file, 'utf8')
  const env = { ICN_NETWORK: file, RPC_URL: anvil.url, DATA_DIR: dir }
  let s = await start(env)
  await waitFor('the index at the head', async () => {
    if ((await Promise.race([s.exited, Promise.resolve('running')])) !== 'running') throw new Error(`npm start exited: ${s.out()}`)
    return /icn-indexer reached the chain head/.test(s.out())
  }, 120_000)
  expect(s.out()).toContain(`preset "late" has no startBlock: the token ${token} was deployed at block ${block} (found by bisection on eth_getCode), so the index starts there (kept in the database)`)
  expect(s.out().indexOf('found by bisection')).toBeLessThan(s.out().indexOf('icn-indexer is running'))
  const db = new Client({ connectionString: runningEmbeddedUrl(path.join(dir, 'postgres'), embeddedDatabaseName(file)) })
  await db.connect()
  try {
    expect((await db.query(`SELECT id, block FROM index_start`)).rows).toEqual([{ id: `8453:${token}`, block }])
    // The token's mint is in its deployment block, and the index starts there.
    expect((await db.query(`SELECT min(height) AS first FROM block`)).rows[0].first).toBe(block)
    expect(Number((await db.query(`SELECT count(*) AS n FROM transfer WHERE block_number = $1`, [block])).rows[0].n)).toBe(1)
  } finally {
    await db.end()
  }
  await stop(s)
  // The next start reads it from the database: no search again.
  s = await start(env)
  await waitFor('the indexer resuming', async () => /indexer: resuming at block/.test(s.out()), 120_000)
  expect(s.out()).not.toContain('found by bisection')
  await stop(s)
  expect(fs.readFileSync(file, 'utf8')).toBe(text)
}, 300_000)

test('a node that cannot answer past state is refused in one line, before the banner', async () => {
  const { anvil, token } = await chainWithLateToken({ chainId: 8453, pruneHistory: true })
  const dir = tempDir()
  const s = await start({ ICN_NETWORK: presetFile(dir, token), RPC_URL: anvil.url, DATA_DIR: dir })
  expect(await s.exited).toBe(1)
  expect(s.out()).toContain(`start: preset "late" has no startBlock, and RPC_URL cannot answer state at past blocks (not an archive node), so the token's deployment block cannot be found: set startBlock in the preset, use an archive RPC, or set GATEWAY_URL`)
  expect(s.out()).not.toContain('is running')
}, 120_000)

test('an RPC on another chain is refused in one line, before the banner', async () => {
  const { anvil, token } = await chainWithLateToken({ chainId: 31337 })
  const dir = tempDir()
  const s = await start({ ICN_NETWORK: presetFile(dir, token), RPC_URL: anvil.url, DATA_DIR: dir })
  expect(await s.exited).toBe(1)
  expect(s.out()).toContain(`start: RPC_URL 127.0.0.1:${new URL(anvil.url).port} serves chain 31337, but preset "late" is chain 8453`)
  expect(s.out()).not.toContain('is running')
}, 60_000)

test('an RPC that does not answer stops the start within 30 s, non-zero, never "running"', async () => {
  // Accepts connections and never answers.
  const sockets: net.Socket[] = []
  const silent = net.createServer((c) => sockets.push(c))
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
  const port = (silent.address() as net.AddressInfo).port
  const dir = tempDir()
  try {
    const s = await start({ ICN_NETWORK: 'base', RPC_URL: `http://127.0.0.1:${port}`, DATA_DIR: dir })
    expect(await s.exited).toBe(1)
    expect(s.out()).toMatch(new RegExp(`start: RPC_URL 127\\.0\\.0\\.1:${port} does not answer eth_chainId within 30 s`))
    expect(s.out()).not.toContain('is running')
  } finally {
    for (const c of sockets) c.destroy()
    silent.close()
  }
}, 60_000)
