/**
 * Fetch floor of the ingestion benchmark (a child of bench/ingest.ts):
 *   node bench/lib/fetch-floor.js --to <last block> [--direct]
 * The indexer's own processor and RPC relay (makeProcessor, startRelay: same RPC settings, same log
 * request, same fields) fetches the same block range, and its handler writes
 * nothing: the database is a stand-in that keeps no state and the handler
 * only counts. What this takes is what full indexing cannot go below while it
 * fetches through the same processor. With --direct the processor talks to
 * the RPC itself, without the relay: a plain EvmBatchProcessor with the
 * settings the baseline squid uses. Prints one JSON line at the end.
 */
import { indexerConfig } from '../../lib/config'
import { makeProcessor } from '../../lib/processor'
import { freePort } from '../../lib/runtime/ports'
import { startRelay } from '../../lib/runtime/rpc-relay'
import { argInt, peakRssBytes } from './util'

interface Head {
  height: number
  hash: string
}

/**
 * The processor's Database contract with no storage: every transaction runs
 * the handler and commits nothing. It claims hot-block support, as the
 * TypeormDatabase of the indexer does, so the processor takes the same paths
 * (finalized batches, then hot blocks at the head).
 */
class NullDatabase {
  readonly supportsHotBlocks = true as const

  async connect(): Promise<Head & { top: Head[] }> {
    return { height: -1, hash: '0x', top: [] }
  }

  async transact(_info: unknown, cb: (store: null) => Promise<void>): Promise<void> {
    await cb(null)
  }

  async transactHot(info: { newBlocks: Head[] }, cb: (store: null, block: Head) => Promise<void>): Promise<void> {
    for (const b of info.newBlocks) await cb(null, b)
  }

  async transactHot2(info: { newBlocks: Head[] }, cb: (store: null, start: number, end: number) => Promise<void>): Promise<void> {
    if (info.newBlocks.length) await cb(null, 0, info.newBlocks.length)
  }
}

async function main(): Promise<void> {
  const to = argInt('to', -1)
  if (to < 0) throw new Error('--to <last block> is required')
  const cfg = indexerConfig()
  // Through the indexer's RPC relay, as the indexer fetches (or straight to the RPC with --direct).
  const rpcUrl = process.argv.includes('--direct')
    ? cfg.rpcUrls[0]
    : await startRelay(cfg, (e) => {
        console.error(`fetch-floor: ${e.message}`)
        process.exit(1)
      })
  const processor = makeProcessor(cfg, rpcUrl, await freePort())
  let blocks = 0
  let logs = 0
  let batches = 0
  const t0 = process.hrtime.bigint()
  processor.run(new NullDatabase(), async (ctx) => {
    batches += 1
    blocks += ctx.blocks.length
    for (const b of ctx.blocks) logs += b.logs.length
    const last = ctx.blocks[ctx.blocks.length - 1].header.height
    if (last >= to) {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9
      const cpu = process.cpuUsage()
      console.log(JSON.stringify({ height: last, blocksWithLogs: blocks, logs, batches, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssBytes: peakRssBytes() }))
      process.exit(0)
    }
  })
}

main().catch((e: unknown) => {
  console.error(`fetch-floor: ${(e as Error).stack ?? String(e)}`)
  process.exit(1)
})
