/**
 * A hostile RPC between the indexer and anvil (test/helpers/fault-rpc.ts):
 * 5xx and 429 answers, time-outs, dropped connections, truncated JSON, JSON-RPC
 * rate-limit errors and a lagging node's view, at random. The indexer's relay
 * (src/runtime/rpc-relay.ts) retries each with back-off, or fails over to the
 * next endpoint, and the sync must end with exactly the index of a clean run.
 * An endpoint that turns out to serve another chain stops it with a clear error.
 */
import type { Devnet } from '../../src/devnet'
import { canonicalDump, diffDumps } from '../helpers/dump'
import { FaultProxy, FAULTS, randomPlan, startFaultProxy } from '../helpers/fault-rpc'
import { blockNumber, IndexerProcess, runIndexer, testDatabase, testDevnet, waitFor, waitForHeight } from '../helpers'

const SOAK = process.env.TORTURE_SOAK === '1'
const ERAS = SOAK ? 600 : 120

let devnet: Devnet
let head: number
let cleanDump: Awaited<ReturnType<typeof canonicalDump>>
const procs: IndexerProcess[] = []
const proxies: FaultProxy[] = []

function indexer(rpcUrl: string, databaseUrl: string): IndexerProcess {
  // A short per-attempt time-out so that held requests are given up quickly.
  const p = runIndexer({ RPC_URL: rpcUrl, DATABASE_URL: databaseUrl, RPC_TIMEOUT_MS: '2000' })
  procs.push(p)
  return p
}

async function proxy(...args: Parameters<typeof startFaultProxy>): Promise<FaultProxy> {
  const p = await startFaultProxy(...args)
  proxies.push(p)
  return p
}

beforeAll(async () => {
  devnet = await testDevnet({ eras: ERAS, seed: 8 })
  head = await blockNumber(devnet.anvil.rpc)
  const db = await testDatabase()
  const clean = indexer(devnet.anvil.url, db)
  await waitForHeight(db, head, clean)
  await clean.stop()
  cleanDump = await canonicalDump(db)
})

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()))
  await Promise.all(proxies.map((p) => p.stop()))
  await devnet?.stop()
})

test('through one faulty RPC the sync completes with the index of a clean run, every fault retried with back-off', async () => {
  expect(cleanDump.transfer.length).toBeGreaterThan(1000)
  // A quarter of all requests fail, each in one of the ways above; the first few pass so the start-up check succeeds.
  // From request 20, the next 8 that fetch blocks see a lagging node (the blocks asked for are missing), for sure.
  const random = randomPlan(101, 0.25, FAULTS, 2)
  let lagged = 0
  const rpc = await proxy(devnet.anvil.url, (n, body) => (n >= 20 && lagged < 8 && body.includes('eth_getBlockByNumber') ? (lagged++, 'lag') : random(n, body)), { timeoutHoldMs: 5000, lag: Math.floor(head / 2) })
  const db = await testDatabase()
  const p = indexer(rpc.url, db)
  await waitForHeight(db, head, p)
  await p.stop()
  const out = p.output()
  // Every kind of fault was injected at least once (a kind never drawn would prove nothing).
  expect(FAULTS.filter((f) => !(rpc.counts.get(f) ?? 0))).toEqual([])
  // Each kind of fault is named in the log with the back-off taken.
  for (const m of ['HTTP 500', 'HTTP 502', 'HTTP 503', 'rate limited (HTTP 429)', 'rate limited (Too Many Requests', 'timed out after 2000 ms', 'invalid JSON', 'lagging node']) {
    expect([m, out.includes(m)]).toEqual([m, true])
  }
  expect(out).toMatch(/retrying after \d+ ms back-off/)
  expect(out).not.toMatch(/TypeError|AssertionError|stopped/)
  expect(diffDumps(cleanDump, await canonicalDump(db))).toEqual([])
  console.log(`hostile RPC: ${rpc.requests()} requests, faults injected ${JSON.stringify(Object.fromEntries(rpc.counts))}; relay retries logged ${(out.match(/retrying after/g) ?? []).length}, of them lagging node ${(out.match(/lagging node/g) ?? []).length}`)
})

test('with several RPC URLs, a failing endpoint is failed over to the next and the index is still exact', async () => {
  // The first endpoint fails half of its requests and is dead (connections dropped) for a stretch; the second is sound.
  let dead = false
  const faulty = await proxy(devnet.anvil.url, randomPlan(202, 0.5, FAULTS, 2), { timeoutHoldMs: 5000 })
  const sound = await proxy(devnet.anvil.url, () => 'ok')
  const plan = randomPlan(203, 0.5, FAULTS, 2)
  faulty.setPlan((n, body) => (dead ? 'drop' : plan(n, body)))
  const db = await testDatabase()
  const p = indexer(`${faulty.url},${sound.url}`, db)
  await waitForHeight(db, Math.floor(head / 3), p)
  dead = true
  await waitForHeight(db, Math.floor((2 * head) / 3), p)
  dead = false
  await waitForHeight(db, head, p)
  await p.stop()
  expect(p.output()).toContain('2 RPC endpoints, used in order with fail-over')
  expect(p.output()).toContain('failing over')
  expect(faulty.requests()).toBeGreaterThan(0)
  expect(sound.requests()).toBeGreaterThan(0)
  expect(diffDumps(cleanDump, await canonicalDump(db))).toEqual([])
})

test('an endpoint that starts answering another chain id stops the indexer with a clear error', async () => {
  const rpc = await proxy(devnet.anvil.url, () => 'ok', { otherChainId: 8453 })
  const db = await testDatabase()
  const p = indexer(rpc.url, db)
  await waitForHeight(db, 10, p)
  rpc.setPlan(() => 'chainId')
  await waitFor('the indexer to stop', async () => p.child.exitCode !== null, 60_000)
  expect(p.child.exitCode).toBe(1)
  expect(p.output()).toMatch(/RPC http:\/\/127\.0\.0\.1:\d+ answers chain id 8453, but the preset is chain 31337: refusing to index another chain's blocks/)
})

test('at the head, new blocks through a faulty RPC (a lagging node among the faults) are indexed exactly', async () => {
  // Runs last: it grows the chain the tests above compared against.
  const random = randomPlan(303, 0.3, FAULTS, 2)
  const rpc = await proxy(devnet.anvil.url, random, { timeoutHoldMs: 5000, lag: 3 })
  const db = await testDatabase()
  const p = indexer(rpc.url, db)
  await waitForHeight(db, head, p)
  // Live: the processor polls the head every half second and fetches each new block on its own.
  devnet.simulator.chain.forgetNonces()
  for (let i = 0; i < 6; i++) {
    await devnet.simulator.step()
    await new Promise((r) => setTimeout(r, 700))
  }
  const newHead = await blockNumber(devnet.anvil.rpc)
  await waitForHeight(db, newHead, p)
  await p.stop()
  const cleanDb = await testDatabase()
  const clean = indexer(devnet.anvil.url, cleanDb)
  await waitForHeight(cleanDb, newHead, clean)
  await clean.stop()
  expect(rpc.counts.get('lag') ?? 0).toBeGreaterThan(0)
  expect(diffDumps(await canonicalDump(cleanDb), await canonicalDump(db))).toEqual([])
  console.log(`hostile RPC at the head: ${rpc.requests()} requests, faults injected ${JSON.stringify(Object.fromEntries(rpc.counts))}`)
})
