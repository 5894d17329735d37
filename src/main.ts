/**
 * The indexer: one batch = decode, load, apply in order, flush once.
 * Orchestration only; the work is in mappings/.
 */
import { TypeormDatabase } from '@subsquid/typeorm-store'
import { ConfigError, exportDatabaseUrlForSdk, indexerConfig } from './config'
import { applyMigrations } from './db/migrate'
import { ResilientDatabase } from './db/resilient'
import { applyEvents, BatchState, decodeBatch, SupplyAddresses, touchedIds } from './mappings'
import { padId } from './domain/ids'
import { Block, IndexerStatus } from './model'
import { makeProcessor, relayDeadlineMs } from './processor'
import { IndexerMetrics } from './runtime/indexer-metrics'
import { log, setLogFormat } from './runtime/log'
import { freePort } from './runtime/ports'
import { checkFinalizedBlock, DeepReorgError } from './runtime/finality'
import { formatProgress, Progress } from './runtime/progress'
import { RpcClient } from './runtime/rpc'
import { RpcFault, RpcRelay } from './runtime/rpc-relay'

async function main(): Promise<void> {
  const cfg = indexerConfig()
  setLogFormat(cfg.logJson)
  exportDatabaseUrlForSdk(cfg.databaseUrl)
  // Every RPC request goes through the relay: checked answers, retries with back-off, fail-over, chain-id guard.
  const relay = new RpcRelay({
    upstreams: cfg.rpcUrls,
    chainId: cfg.preset.chainId,
    timeoutMs: cfg.rpcTimeoutMs,
    deadlineMs: relayDeadlineMs(cfg),
    onFatal: (e) => {
      stopping = true
      log.error('indexer', `stopped: ${e.message}`)
      process.exit(1)
    },
  })
  const rpcUrl = await relay.start().catch((e: unknown) => {
    throw e instanceof RpcFault ? new ConfigError((e as Error).message) : e
  })
  if (cfg.rpcUrls.length > 1) log.info('indexer', `${cfg.rpcUrls.length} RPC endpoints, used in order with fail-over`)
  await applyMigrations()
  await checkFinalizedBlock(cfg.databaseUrl, new RpcClient(rpcUrl), cfg.preset.finalityConfirmations)
  // The SDK ends the process itself on an error in its ingestion (e.g. a reorg below the finalized block).
  process.on('exit', (code) => {
    if (code !== 0 && !stopping) log.error('indexer', 'stopped by the error above; if the chain reorganised deeper than the finality window, the next start checks the final block against the chain and says so')
  })
  const metrics = new IndexerMetrics()
  const sdkMetricsPort = await freePort()
  const processor = makeProcessor(cfg, rpcUrl, sdkMetricsPort)
  const metricsPort = await metrics.serve(cfg.metricsPort, sdkMetricsPort).catch((e: NodeJS.ErrnoException) => {
    throw new ConfigError(`INDEXER_METRICS_PORT ${cfg.metricsPort} cannot be used: ${e.code ?? e.message}`)
  })
  log.info('indexer', `metrics on port ${metricsPort} (/metrics)`, { metricsPort })
  // Retries a batch whose database connection was lost (a Postgres restart) instead of ending the process.
  const db = new ResilientDatabase(new TypeormDatabase({ supportHotBlocks: true }), cfg.databaseUrl)
  const supply: SupplyAddresses = { vesting: cfg.preset.contracts.vesting, staking: cfg.preset.contracts.staking }
  const progress = new Progress(cfg.progressIntervalMs)
  processor.run(db, async (ctx) => {
    const t0 = process.hrtime.bigint()
    const { events, undecoded } = decodeBatch(ctx, cfg)
    const state = new BatchState(cfg.preset.sla)
    await state.load(ctx.store, touchedIds(events, supply))
    let skipped = 0
    applyEvents(state, events, supply, (ev, e) => {
      skipped += 1
      ctx.log.warn(`event ${ev.kind} at block ${ev.blockNumber} log index ${ev.logIndex} not applied: ${e.message}`)
    })
    const last = ctx.blocks[ctx.blocks.length - 1].header
    for (const b of ctx.blocks) {
      if (b.logs.length > 0 || b.header === last) {
        state.blocks.push(new Block({ id: padId(b.header.height), height: b.header.height, hash: b.header.hash, timestamp: new Date(b.header.timestamp) }))
      }
    }
    const finality = cfg.preset.finalityConfirmations
    const prev = await ctx.store.get(IndexerStatus, 'status')
    state.status = new IndexerStatus({
      id: 'status',
      height: last.height,
      hash: last.hash,
      timestamp: new Date(last.timestamp),
      // This SDK does not hand the chain height to the handler. At the head it is
      // the last block; while syncing history the head is at least `finality`
      // blocks further (the batch is final), a lower bound kept until the head is reached.
      finalizedHeight: ctx.isHead ? Math.max(0, last.height - finality) : last.height,
      chainHead: ctx.isHead ? last.height : Math.max(prev?.chainHead ?? 0, last.height + finality),
      undecodedLogs: (prev?.undecodedLogs ?? 0) + undecoded + skipped,
    })
    await state.flush(ctx.store)
    metrics.batch(ctx.blocks.length, events.length, Number(process.hrtime.bigint() - t0) / 1e9, undecoded + skipped, last.height)
    const line = progress.batch(last.height, state.status.chainHead, events.length, ctx.isHead)
    if (line) console.log(formatProgress(line, cfg.logJson))
  })
}

/** Set when this module ends the process itself (its own message is enough). */
let stopping = false

main().catch((e: unknown) => {
  stopping = true
  const msg = e instanceof ConfigError || e instanceof DeepReorgError ? e.message : (e as Error).stack ?? String(e)
  log.error('indexer', msg)
  process.exit(1)
})
