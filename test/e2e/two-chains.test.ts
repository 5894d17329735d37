/**
 * One index over two chains: `lib/main.js` on the two-chain devnet's preset
 * supervises one indexer per chain, each in schemas of its own of one
 * database. Each chain's index is proved against its own chain (verify), a
 * reorg on the L2 leaves the L1's rows as they were, and killing either
 * chain's indexer mid-sync loses nothing.
 */
import { ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { Client } from 'pg'
import * as l2icnt from '../../src/abi/OptimismMintableERC20'
import { chainSchemas, withSearchPath } from '../../src/config'
import { chainPreset, loadMultiChainPreset } from '../../src/config/preset'
import { Devnet, startDevnet } from '../../src/devnet'
import { DevChain } from '../../src/devnet/chain'
import { devnetNetwork } from '../../src/devnet/deploy'
import { freePort } from '../../src/runtime/ports'
import { verify } from '../../src/verify'
import { canonicalDump, diffDumps } from '../helpers/dump'
import { ROOT, sql, testDatabase, waitFor } from '../helpers'

let devnet: Devnet
let dbUrl: string
const running: Supervisor[] = []

interface Supervisor {
  child: ChildProcess
  output(): string
  exited: Promise<number | null>
}

function supervise(databaseUrl: string): Supervisor {
  let out = ''
  const child = spawn(process.execPath, [path.join(ROOT, 'lib/main.js')], {
    env: { ...process.env, ICN_NETWORK: 'devnet-2chain', DATABASE_URL: databaseUrl, RPC_URL_L1: devnet.anvil.url, RPC_URL_L2: devnet.l2!.anvil.url, PROGRESS_INTERVAL_MS: '100000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const s = { child, output: () => out, exited }
  running.push(s)
  return s
}

async function stop(s: Supervisor): Promise<number | null> {
  if (s.child.exitCode === null) s.child.kill('SIGTERM')
  return s.exited
}

const schema = (chain: string) => chainSchemas(chain).data!

async function status(databaseUrl: string, chain: string): Promise<{ height: number; hash: string } | undefined> {
  const rows = await sql<{ height: number; hash: string }>(databaseUrl, `SELECT height, hash FROM ${schema(chain)}.indexer_status WHERE id = 'status'`).catch(() => [])
  return rows[0]
}

/** Until both chains' indexes stand at their chain's head: same height, same hash. */
async function waitForHeads(databaseUrl: string, s: Supervisor): Promise<void> {
  for (const [chain, d] of [['l1', devnet.anvil], ['l2', devnet.l2!.anvil]] as const) {
    const head = await d.rpc.call<{ number: string; hash: string }>('eth_getBlockByNumber', ['latest', false])
    await waitFor(`chain ${chain} indexed to block ${Number(head.number)}`, async () => {
      if (s.child.exitCode !== null) throw new Error(`the supervisor exited: ${s.output()}`)
      const st = await status(databaseUrl, chain)
      return st && st.height === Number(head.number) && st.hash === head.hash
    }, 90_000)
  }
}

async function verifyChain(databaseUrl: string, chain: string): Promise<{ checked: number; differences: unknown[] }> {
  const db = new Client({ connectionString: withSearchPath(databaseUrl, schema(chain)) })
  await db.connect()
  try {
    const rpc = chain === 'l1' ? devnet.anvil.rpc : devnet.l2!.anvil.rpc
    return await verify(db, rpc, chainPreset(devnet.network!, chain))
  } finally {
    await db.end()
  }
}

/** The pids of `pid`'s child processes (Linux /proc). */
function childPids(pid: number): number[] {
  const file = `/proc/${pid}/task/${pid}/children`
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number) : []
}

function chainOf(pid: number): string | undefined {
  const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')
  return env.find((e) => e.startsWith('ICN_CHAIN='))?.slice('ICN_CHAIN='.length)
}

beforeAll(async () => {
  devnet = await startDevnet({ port: await freePort(), l2Port: await freePort(), seed: 2, scale: 1, historyEras: 48, preserveHistoricalStates: true })
  dbUrl = await testDatabase()
})

afterAll(async () => {
  await Promise.all(running.map(stop))
  await devnet?.stop()
})

describe('two chains, one index', () => {
  test('the committed preset is the devnet deployment, one indexer per chain, each chain proved against its own', async () => {
    expect(loadMultiChainPreset('devnet-2chain')).toEqual(devnetNetwork(devnet.deployment))
    const s = supervise(dbUrl)
    await waitForHeads(dbUrl, s)
    for (const chain of ['l1', 'l2']) {
      const r = await verifyChain(dbUrl, chain)
      expect({ chain, differences: r.differences }).toEqual({ chain, differences: [] })
      expect(r.checked).toBeGreaterThan(50)
    }
    const count = async (chain: string, table: string) => Number((await sql<{ n: string }>(dbUrl, `SELECT count(*) AS n FROM ${schema(chain)}.${table}`))[0].n)
    // ICNT on both chains; the protocol on the L2 alone; nothing in the default schema.
    expect(await count('l1', 'transfer')).toBeGreaterThan(100)
    expect(await count('l2', 'transfer')).toBeGreaterThan(100)
    expect(await count('l2', 'node')).toBeGreaterThan(0)
    expect(await count('l1', 'node')).toBe(0)
    expect(await sql(dbUrl, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`)).toEqual([])
    // The bridged token's Mint and Burn are known events (balances come from their Transfers), not unknown ones.
    const unknown = await sql<{ unknown_events: Array<{ topic: string }> }>(dbUrl, `SELECT unknown_events FROM ${schema('l2')}.indexer_status`)
    const topics = unknown[0].unknown_events.map((u) => u.topic)
    expect(topics).not.toContain(l2icnt.events.Mint.topic)
    expect(topics).not.toContain(l2icnt.events.Burn.topic)
    // Each chain's log lines name it.
    expect(s.output()).toMatch(/indexer\[l1\]: /)
    expect(s.output()).toMatch(/indexer\[l2\]: /)
    expect(await stop(s)).toBe(0)
  })

  test("a reorg on the L2 leaves the L1's rows as they were", async () => {
    const s = supervise(dbUrl)
    await waitForHeads(dbUrl, s)
    const l1Before = await canonicalDump(dbUrl, schema('l1'))
    const l1Status = await status(dbUrl, 'l1')
    const l2 = devnet.l2!.anvil.rpc
    // Two holders of bridged ICNT pass an amount back and forth: no balance the simulator mirrors changes.
    const [a, b] = devnet.simulator.mirroredL2Balances().filter(([addr, v]) => BigInt(addr) !== 0n && v > 10n ** 18n).map(([addr]) => addr)
    const branch = async (blocks: number, salt: bigint): Promise<string[]> => {
      const chain = new DevChain(l2)
      const t0 = await chain.latestTimestamp()
      const hashes: string[] = []
      for (let i = 0; i < blocks; i++) {
        const value = salt * 1000n + BigInt(i)
        chain.send({ from: a, to: devnet.deployment.bridge!.l2Token, data: l2icnt.functions.transfer.encode({ to: b, value }), gas: 100_000, label: 'reorg transfer' })
        chain.send({ from: b, to: devnet.deployment.bridge!.l2Token, data: l2icnt.functions.transfer.encode({ to: a, value }), gas: 100_000, label: 'reorg transfer back' })
        hashes.push(...(await chain.mine(t0 + 1 + i)).map((r) => r.transactionHash))
      }
      return hashes
    }
    const snapshot = await l2.call<string>('evm_snapshot')
    const abandoned = await branch(3, 1n)
    await waitForHeads(dbUrl, s)
    expect(Number((await sql<{ n: string }>(dbUrl, `SELECT count(*) AS n FROM ${schema('l2')}.transfer WHERE tx_hash = ANY($1)`, [abandoned]))[0].n)).toBe(6)
    await l2.call('evm_revert', [snapshot])
    await branch(5, 2n)
    await waitForHeads(dbUrl, s)
    expect(await sql(dbUrl, `SELECT id FROM ${schema('l2')}.transfer WHERE tx_hash = ANY($1)`, [abandoned])).toEqual([])
    expect((await verifyChain(dbUrl, 'l2')).differences).toEqual([])
    expect(await status(dbUrl, 'l1')).toEqual(l1Status)
    expect(diffDumps(l1Before, await canonicalDump(dbUrl, schema('l1')))).toEqual([])
    expect(await stop(s)).toBe(0)
    // The branch's senders sent from another client: the simulator reads their nonces again.
    devnet.l2!.chain.forgetNonces()
  })

  test("killing either chain's indexer mid-sync loses nothing", async () => {
    // More history while nothing indexes, so there is a sync to interrupt.
    for (let e = 0; e < 36; e++) await devnet.simulator.step()
    for (const victim of ['l2', 'l1']) {
      const before = (await status(dbUrl, victim))!.height
      const s = supervise(dbUrl)
      const pid = await waitFor(`the indexer of ${victim} indexing`, async () => {
        const p = childPids(s.child.pid!).find((c) => chainOf(c) === victim)
        const st = await status(dbUrl, victim)
        return p !== undefined && st !== undefined && st.height > before ? p : undefined
      })
      process.kill(pid, 'SIGKILL')
      // One chain down stops the network's indexer, non-zero, saying which.
      expect(await s.exited).toBe(1)
      expect(s.output()).toContain(`the indexer of chain ${victim} stopped`)
      for (let e = 0; e < 6; e++) await devnet.simulator.step()
    }
    const s = supervise(dbUrl)
    await waitForHeads(dbUrl, s)
    expect(await stop(s)).toBe(0)
    // The interrupted index equals one built in a single run from an empty database.
    const fresh = await testDatabase()
    const f = supervise(fresh)
    await waitForHeads(fresh, f)
    expect(await stop(f)).toBe(0)
    for (const chain of ['l1', 'l2']) {
      expect({ chain, diff: diffDumps(await canonicalDump(fresh, schema(chain)), await canonicalDump(dbUrl, schema(chain))) }).toEqual({ chain, diff: [] })
      expect((await verifyChain(dbUrl, chain)).differences).toEqual([])
    }
  })
})
