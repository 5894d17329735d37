/**
 * Store floor of the ingestion benchmark (a child of bench/ingest.ts):
 *   node bench/lib/store-floor.js --to <last block> [--batch-blocks 10]
 * Isolates the database side. Before the clock starts it fetches every log
 * of the watched contracts and the headers of their blocks by plain JSON-RPC
 * and decodes them with the indexer's decoder. Timed: the indexer's own batch
 * code (`indexBatch`: BatchState load, applyEvents, flush) applied batch by
 * batch into a fresh database through the same TypeormDatabase the indexer
 * uses, one transaction per batch with its cursor, exactly as the processor
 * commits finalized batches. Batches are cut as the SDK's RPC ingestion cuts
 * them while syncing history: 10 blocks, counted from the start block.
 * Prints one JSON line at the end.
 */
import { exportDatabaseUrlForSdk, indexerConfig } from '../../lib/config'
import { applyMigrations } from '../../lib/db/migrate'
import { BlockData, DecodedBatch, decodeBatch, LogData } from '../../lib/mappings'
import { BatchBlock, indexBatch } from '../../lib/store/batch'
import { IndexDatabase } from '../../lib/store/database'
import { watchedAddresses } from '../../lib/processor'
import { RpcClient } from '../../lib/runtime/rpc'
import { argInt, peakRssBytes, resetPeakRss, rssBytes } from './util'

interface RpcLog {
  address: string
  blockNumber: string
  logIndex: string
  transactionHash: string
  topics: string[]
  data: string
}

interface PreparedBatch {
  blocks: BatchBlock[]
  decoded: DecodedBatch
  isHead: boolean
}

const hex = (n: number) => '0x' + n.toString(16)

/** Fetches and decodes blocks [from, to] as one batch: blocks with logs, and the last block. */
async function prepare(rpc: RpcClient, addresses: string[], token: string | undefined, from: number, to: number, isHead: boolean): Promise<PreparedBatch> {
  const raw = await rpc.call<RpcLog[]>('eth_getLogs', [{ fromBlock: hex(from), toBlock: hex(to), address: addresses }])
  const byBlock = new Map<number, LogData[]>()
  for (const l of raw) {
    const n = Number(l.blockNumber)
    let logs = byBlock.get(n)
    if (!logs) byBlock.set(n, (logs = []))
    logs.push({ address: l.address.toLowerCase(), logIndex: Number(l.logIndex), transactionHash: l.transactionHash, topics: l.topics, data: l.data })
  }
  const heights = [...new Set([...byBlock.keys(), to])].sort((a, b) => a - b)
  const headers = await rpc.batch<{ hash: string; timestamp: string }>(heights.map((h) => ({ method: 'eth_getBlockByNumber', params: [hex(h), false] })))
  const blocks: BlockData[] = heights.map((h, i) => ({
    header: { height: h, hash: headers[i].hash, timestamp: Number(headers[i].timestamp) * 1000 },
    logs: (byBlock.get(h) ?? []).sort((a, b) => a.logIndex - b.logIndex),
  }))
  const decoded = decodeBatch(blocks, token, (msg: string) => console.error(msg))
  // Keep only what indexBatch reads of a block (the decoded events carry the rest).
  return { blocks: blocks.map((b) => ({ header: b.header, logs: { length: b.logs.length } })), decoded, isHead }
}

async function main(): Promise<void> {
  const to = argInt('to', -1)
  if (to < 0) throw new Error('--to <last block> is required')
  const batchBlocks = argInt('batch-blocks', 10)
  const cfg = indexerConfig()
  exportDatabaseUrlForSdk(cfg.databaseUrl)
  const rpc = new RpcClient(cfg.rpcUrls[0])
  const addresses = watchedAddresses(cfg)
  const from = cfg.preset.startBlock ?? 0

  const p0 = process.hrtime.bigint()
  const batches: PreparedBatch[] = []
  for (let b = from; b <= to; b += batchBlocks) {
    const end = Math.min(to, b + batchBlocks - 1)
    batches.push(await prepare(rpc, addresses, cfg.preset.contracts.token, b, end, end === to))
  }
  const prepSeconds = Number(process.hrtime.bigint() - p0) / 1e9
  await applyMigrations()
  const db = new IndexDatabase(cfg.databaseUrl, {
    deferIndexes: true,
    onFatal: (e) => {
      console.error(`store-floor: a commit failed: ${(e as Error).stack ?? String(e)}`)
      process.exit(1)
    },
  })
  const state = await db.connect()
  let head = { height: state.height, hash: state.hash }
  if (head.height >= 0) throw new Error(`the database is not fresh (indexed to block ${head.height})`)

  global.gc?.()
  const rssBefore = rssBytes()
  const peakReset = resetPeakRss()
  const supply = { vesting: cfg.preset.contracts.vesting, staking: cfg.preset.contracts.staking }
  let events = 0
  let logs = 0
  let blocks = 0
  const t0 = process.hrtime.bigint()
  const cpu0 = process.cpuUsage()
  for (const batch of batches) {
    const last = batch.blocks[batch.blocks.length - 1].header
    const next = { height: last.height, hash: last.hash }
    await db.transact({ prevHead: head, nextHead: next, isOnTop: batch.isHead }, async (store) => {
      await indexBatch(store, batch.blocks, batch.decoded, {
        sla: cfg.preset.sla,
        supply,
        finality: cfg.preset.finalityConfirmations,
        isHead: batch.isHead,
        onSkip: (ev, why) => console.error(`skipped ${ev.kind} at block ${ev.blockNumber}: ${why}`),
        onInconsistency: (i) => console.error(`inconsistency at block ${i.blockNumber}: ${i.what}`),
      })
    })
    head = next
    events += batch.decoded.events.length
    blocks += batch.blocks.length
    for (const b of batch.blocks) logs += b.logs.length
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  const cpu = process.cpuUsage(cpu0)
  await db.disconnect()
  console.log(
    JSON.stringify({
      height: head.height,
      // Decoded events applied (Approval and ownership logs decode to nothing).
      events,
      logs,
      blocksWritten: blocks,
      batches: batches.length,
      batchBlocks,
      prepSeconds,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      writer: db.stats,
      rssBeforeBytes: rssBefore,
      peakRssBytes: peakRssBytes(),
      peakIsTimedPhase: peakReset,
    }),
  )
}

main().catch((e: unknown) => {
  console.error(`store-floor: ${(e as Error).stack ?? String(e)}`)
  process.exit(1)
})
