/**
 * Reorgs while indexing live: with the indexer caught up at the head, the last
 * `depth` blocks are replaced by a different, longer branch (evm_snapshot
 * before mining them, evm_revert, mine the other branch). The processor keeps
 * unfinalized blocks and rolls their changes back; the index it ends with must
 * be exactly the index of the new chain built from scratch, with no trace of
 * the abandoned branch.
 */
import * as icnt from '../../src/abi/ICNT'
import type { Devnet } from '../../src/devnet'
import { actor } from '../../src/devnet/actors'
import { DevChain } from '../../src/devnet/chain'
import { DEVNET_FINALITY } from '../../src/devnet/deploy'
import { canonicalDump, diffDumps } from '../helpers/dump'
import { ethCall, IndexerProcess, rollupDrift, runIndexer, sql, testDatabase, testDevnet, waitFor } from '../helpers'

const ICNT = 10n ** 18n

interface Head {
  number: number
  hash: string
  timestamp: number
}

let devnet: Devnet
let liveDb: string
let live: IndexerProcess
const others: IndexerProcess[] = []
/** Holders with a balance to spend, found once. */
let senders: string[] = []

async function latest(): Promise<Head> {
  const b = await devnet.anvil.rpc.call<{ number: string; hash: string; timestamp: string }>('eth_getBlockByNumber', ['latest', false])
  return { number: Number(b.number), hash: b.hash, timestamp: Number(b.timestamp) }
}

/** Waits until the index stands at the chain's head: same height and same hash. */
async function waitForHead(databaseUrl: string, indexer: IndexerProcess): Promise<Head> {
  const head = await latest()
  await waitFor(`index at block ${head.number} ${head.hash}`, async () => {
    if (indexer.child.exitCode !== null) throw new Error(`indexer exited: ${indexer.output()}`)
    const rows = await sql<{ height: number; hash: string }>(databaseUrl, `SELECT height, hash FROM indexer_status WHERE id = 'status'`).catch(() => [])
    return rows[0] && rows[0].height === head.number && rows[0].hash === head.hash
  }, 60_000)
  return head
}

/**
 * Mines `blocks` blocks after the head, each with ICNT transfers between
 * holders (one `transfer` and one `batchTransfer`), the senders and amounts
 * chosen by `salt` so that two branches carry different activity. Returns the
 * hashes of the transactions mined.
 */
async function mineBranch(blocks: number, timeOffset: number, salt: number): Promise<string[]> {
  // A fresh DevChain reads every sender's nonce from the chain: after a revert the cached ones are wrong.
  const chain = new DevChain(devnet.anvil.rpc)
  const token = devnet.deployment.token
  const t0 = (await latest()).timestamp
  const txs: string[] = []
  for (let i = 0; i < blocks; i++) {
    const k = salt * 7 + i
    const from = senders[k % senders.length]
    const other = senders[(k + 1) % senders.length]
    const to = actor(`holder:${100 + ((k * 3) % 50)}`) // also creates accounts the index has not seen
    chain.send({
      from,
      to: token,
      data: icnt.functions.transfer.encode({ to, value: ICNT + BigInt(salt * 1000 + i) }),
      gas: 100_000,
      label: 'reorg test transfer',
    })
    chain.send({
      from: other,
      to: token,
      data: icnt.functions.batchTransfer.encode({ to: [from, to, actor(`holder:${salt}`)], amounts: [BigInt(salt + 1), 2n * ICNT, BigInt(i + 1)] }),
      gas: 300_000,
      label: 'reorg test batch transfer',
    })
    const receipts = await chain.mine(t0 + timeOffset + i)
    txs.push(...receipts.map((r) => r.transactionHash))
  }
  return txs
}

async function transfersWithTx(databaseUrl: string, txs: string[]): Promise<number> {
  const rows = await sql<{ n: string }>(databaseUrl, `SELECT count(DISTINCT tx_hash) AS n FROM transfer WHERE tx_hash = ANY($1)`, [txs])
  return Number(rows[0].n)
}

beforeAll(async () => {
  devnet = await testDevnet({ eras: 30 })
  const holders = Array.from({ length: 40 }, (_, i) => actor(`holder:${i}`))
  const balances = await Promise.all(holders.map((h) => ethCall(devnet.anvil.rpc, devnet.deployment.token, icnt.functions.balanceOf, { account: h })))
  senders = holders.filter((_, i) => balances[i] > 1000n * ICNT)
  liveDb = await testDatabase()
  live = runIndexer({ RPC_URL: devnet.anvil.url, DATABASE_URL: liveDb })
  await waitForHead(liveDb, live)
})

afterAll(async () => {
  await Promise.all([live, ...others].map((p) => p?.stop()))
  await devnet?.stop()
})

test('the devnet has senders and its finality is the preset the indexer uses', () => {
  expect(senders.length).toBeGreaterThanOrEqual(10)
  expect(devnet.preset.finalityConfirmations).toBe(DEVNET_FINALITY)
})

// Every depth from 1 to the finality window; the deepest replaces every unfinalized block: the fork point is the indexer's finalized head.
test.each(Array.from({ length: DEVNET_FINALITY }, (_, i) => i + 1))('a reorg of depth %i while indexing live ends with the index of the new chain built from scratch', async (depth) => {
  const base = await waitForHead(liveDb, live)

  // The old branch: `depth` blocks on top of the snapshot, indexed live.
  const snapshot = await devnet.anvil.rpc.call<string>('evm_snapshot')
  const oldTxs = await mineBranch(depth, 10, depth)
  const oldHead = await waitForHead(liveDb, live)
  expect(oldHead.number).toBe(base.number + depth)
  expect(await transfersWithTx(liveDb, oldTxs)).toBe(oldTxs.length)

  // The new branch: back to the base, then one block longer than the old one, with other transfers.
  expect(await devnet.anvil.rpc.call<boolean>('evm_revert', [snapshot])).toBe(true)
  expect(await latest()).toEqual(base)
  const newTxs = await mineBranch(depth + 1, 20, depth + 100)
  const newHead = await waitForHead(liveDb, live)
  expect(newHead.number).toBe(oldHead.number + 1)
  expect(newTxs.filter((h) => oldTxs.includes(h))).toEqual([])

  expect(await transfersWithTx(liveDb, oldTxs)).toBe(0)
  expect(await transfersWithTx(liveDb, newTxs)).toBe(newTxs.length)
  const stale = await sql<{ id: string }>(liveDb, `SELECT id FROM transfer WHERE block_number > $1 AND block_hash <> ALL($2)`, [
    base.number,
    await blockHashes(base.number + 1, newHead.number),
  ])
  expect(stale).toEqual([])

  // The same chain indexed from scratch, in one go.
  const freshDb = await testDatabase()
  const fresh = runIndexer({ RPC_URL: devnet.anvil.url, DATABASE_URL: freshDb })
  others.push(fresh)
  await waitForHead(freshDb, fresh)
  await fresh.stop()
  const [dumpLive, dumpFresh] = await Promise.all([canonicalDump(liveDb), canonicalDump(freshDb)])
  expect(diffDumps(dumpLive, dumpFresh)).toEqual([])
})

async function blockHashes(from: number, to: number): Promise<string[]> {
  const calls = []
  for (let n = from; n <= to; n++) calls.push({ method: 'eth_getBlockByNumber', params: ['0x' + n.toString(16), false] })
  return (await devnet.anvil.rpc.batch<{ hash: string }>(calls)).map((b) => b.hash)
}

/** Ids of each kind's rows above `above`, to tell two branches' rows apart. */
async function rowsAbove(databaseUrl: string, above: number): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  for (const t of ['transfer', 'delegation_event', 'booking_event', 'sla_attestation']) {
    const rows = await sql<{ id: string }>(databaseUrl, `SELECT id FROM ${t} WHERE block_number > $1 ORDER BY id`, [above])
    out[t] = rows.map((r) => r.id)
  }
  return out
}

test('one reorg that changes transfers, delegations, bookings and SLA reports at once ends with the index of the new chain', async () => {
  const base = await waitForHead(liveDb, live)
  const snapshot = await devnet.anvil.rpc.call<string>('evm_snapshot')
  // The old branch: three eras of the simulator's full activity (six blocks: market activity, then reports).
  // The earlier tests sent from the simulator's holders with chains of their own.
  devnet.simulator.chain.forgetNonces()
  for (let i = 0; i < 3; i++) await devnet.simulator.step()
  const oldHead = await waitForHead(liveDb, live)
  const depth = oldHead.number - base.number
  expect(depth).toBeLessThanOrEqual(DEVNET_FINALITY)
  const oldRows = await rowsAbove(liveDb, base.number)
  for (const [t, ids] of Object.entries(oldRows)) expect([t, ids.length > 0]).toEqual([t, true])
  expect(await rollupDrift(liveDb)).toEqual([])
  const oldBlocks = await Promise.all(
    Array.from({ length: depth }, (_, i) =>
      devnet.anvil.rpc.call<{ timestamp: string; transactions: { from: string; to: string; input: string; gas: string }[] }>('eth_getBlockByNumber', ['0x' + (base.number + 1 + i).toString(16), true]),
    ),
  )

  // The new branch: the same blocks replayed a few seconds later with every third transaction left out
  // (and whatever then reverts), then one more block of transfers: every kind of row changes.
  expect(await devnet.anvil.rpc.call<boolean>('evm_revert', [snapshot])).toBe(true)
  let k = 0
  for (const b of oldBlocks) {
    for (const tx of b.transactions) {
      if (k++ % 3 === 2) continue
      await devnet.anvil.rpc.call('eth_sendTransaction', [{ from: tx.from, to: tx.to, data: tx.input, gas: tx.gas, gasPrice: '0x0' }])
    }
    await devnet.anvil.rpc.call('evm_setNextBlockTimestamp', ['0x' + (Number(b.timestamp) + 5).toString(16)])
    await devnet.anvil.rpc.call('evm_mine', [])
  }
  await mineBranch(1, 3600, 900)
  const newHead = await waitForHead(liveDb, live)
  expect(newHead.number).toBe(oldHead.number + 1)
  const newRows = await rowsAbove(liveDb, base.number)
  for (const t of Object.keys(oldRows)) {
    expect([t, newRows[t].length > 0, newRows[t].join() !== oldRows[t].join()]).toEqual([t, true, true])
  }

  const freshDb = await testDatabase()
  const fresh = runIndexer({ RPC_URL: devnet.anvil.url, DATABASE_URL: freshDb })
  others.push(fresh)
  await waitForHead(freshDb, fresh)
  await fresh.stop()
  expect(diffDumps(await canonicalDump(liveDb), await canonicalDump(freshDb))).toEqual([])
  // node_era_day, kept by triggers on node_era through the SDK's rollback of the old branch, is its definition.
  expect(await rollupDrift(liveDb)).toEqual([])
})

test('a reorg deeper than the finality window stops the indexer with a clear error and leaves the index as it was', async () => {
  const base = await waitForHead(liveDb, live)
  const depth = DEVNET_FINALITY + 3
  const snapshot = await devnet.anvil.rpc.call<string>('evm_snapshot')
  await mineBranch(depth, 10, 500)
  await waitForHead(liveDb, live)
  const before = await canonicalDump(liveDb)
  expect(await devnet.anvil.rpc.call<boolean>('evm_revert', [snapshot])).toBe(true)
  await mineBranch(depth + 1, 20, 600)
  await waitFor('the indexer to stop', async () => live.child.exitCode !== null, 60_000)
  expect(live.child.exitCode).not.toBe(0)
  expect(live.output()).toContain('if the chain reorganised deeper than the finality window')
  expect(diffDumps(await canonicalDump(liveDb), before)).toEqual([])
  // Started again, it names the problem and refuses, writing nothing.
  const again = runIndexer({ RPC_URL: devnet.anvil.url, DATABASE_URL: liveDb })
  others.push(again)
  await waitFor('the restarted indexer to refuse', async () => again.child.exitCode !== null, 60_000)
  expect(again.child.exitCode).toBe(1)
  expect(again.output()).toMatch(new RegExp(`which the index holds as final .*a reorg deeper than the preset's finality window of ${DEVNET_FINALITY} blocks`))
  expect(diffDumps(await canonicalDump(liveDb), before)).toEqual([])
  void base
})
