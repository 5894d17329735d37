/**
 * The indexer: one batch = decode, load, apply in order, flush once.
 * Orchestration only; the work is in mappings/.
 */
import { TypeormDatabase } from '@subsquid/typeorm-store'
import { ConfigError, exportDatabaseUrlForSdk, indexerConfig } from './config'
import { applyMigrations } from './db/migrate'
import { ResilientDatabase } from './db/resilient'
import { decodeBatch, indexBatch, SupplyAddresses } from './mappings'
import { makeProcessor } from './processor'
import { IndexerMetrics } from './runtime/indexer-metrics'
import { log, setLogFormat } from './runtime/log'
import { freePort } from './runtime/ports'
import { checkFinalizedBlock, DeepReorgError } from './runtime/finality'
import { formatProgress, Progress } from './runtime/progress'
import { RpcClient } from './runtime/rpc'
import { startRelay } from './runtime/rpc-relay'

async function main(): Promise<void> {
  const cfg = indexerConfig()
  setLogFormat(cfg.logJson)
  exportDatabaseUrlForSdk(cfg.databaseUrl)
  // Every RPC request goes through the relay: checked answers, retries with back-off, fail-over, chain-id guard.
  const rpcUrl = await startRelay(cfg, (e) => {
    stopping = true
    log.error('indexer', `stopped: ${e.message}`)
    process.exit(1)
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
    const warn = (msg: string) => ctx.log.warn(msg)
    const decoded = decodeBatch(ctx.blocks, cfg.preset.contracts.token, warn)
    const { skipped, status } = await indexBatch(ctx.store, ctx.blocks, decoded, { sla: cfg.preset.sla, supply, finality: cfg.preset.finalityConfirmations, isHead: ctx.isHead, warn })
    const events = decoded.events.length
    const last = ctx.blocks[ctx.blocks.length - 1].header
    metrics.batch(ctx.blocks.length, events, Number(process.hrtime.bigint() - t0) / 1e9, decoded.undecoded + skipped, last.height)
    const line = progress.batch(last.height, status.chainHead, events, ctx.isHead)
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
