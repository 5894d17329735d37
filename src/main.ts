/**
 * The indexer: one batch = decode, load, apply in order, flush once.
 * Orchestration only; the work is in mappings/.
 */
import { TypeormDatabase } from '@subsquid/typeorm-store'
import { ConfigError, exportDatabaseUrlForSdk, indexerConfig, IndexerConfig } from './config'
import { applyMigrations } from './db/migrate'
import { decodeBatch, indexBatch, SupplyAddresses } from './mappings'
import { makeProcessor } from './processor'
import { IndexerMetrics } from './runtime/indexer-metrics'
import { log, setLogFormat } from './runtime/log'
import { freePort } from './runtime/ports'
import { checkFinalizedBlock, DeepReorgError } from './runtime/finality'
import { formatProgress, Progress } from './runtime/progress'
import { RpcClient } from './runtime/rpc'

async function checkChainId(cfg: IndexerConfig): Promise<void> {
  for (const url of cfg.rpcUrls) {
    let got: number
    try {
      got = Number(BigInt(await new RpcClient(url).call<string>('eth_chainId')))
    } catch (e) {
      throw new ConfigError(`RPC ${redact(url)} did not answer eth_chainId: ${(e as Error).message}`)
    }
    if (got !== cfg.preset.chainId) {
      throw new ConfigError(
        `RPC ${redact(url)} is chain ${got}, but preset "${cfg.preset.name}" is chain ${cfg.preset.chainId}: refusing to index`,
      )
    }
  }
}

/** An RPC URL may carry an API key in its path or credentials: print only its origin. */
export function redact(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return '(invalid url)'
  }
}

async function main(): Promise<void> {
  const cfg = indexerConfig()
  setLogFormat(cfg.logJson)
  exportDatabaseUrlForSdk(cfg.databaseUrl)
  await checkChainId(cfg)
  await applyMigrations()
  await checkFinalizedBlock(cfg.databaseUrl, new RpcClient(cfg.rpcUrls[0]), cfg.preset.finalityConfirmations)
  // The SDK ends the process itself on an error in its ingestion (e.g. a reorg below the finalized block).
  process.on('exit', (code) => {
    if (code !== 0 && !stopping) log.error('indexer', 'stopped by the error above; if the chain reorganised deeper than the finality window, the next start checks the final block against the chain and says so')
  })
  const metrics = new IndexerMetrics()
  const sdkMetricsPort = await freePort()
  const processor = makeProcessor(cfg, sdkMetricsPort)
  const metricsPort = await metrics.serve(cfg.metricsPort, sdkMetricsPort).catch((e: NodeJS.ErrnoException) => {
    throw new ConfigError(`INDEXER_METRICS_PORT ${cfg.metricsPort} cannot be used: ${e.code ?? e.message}`)
  })
  log.info('indexer', `metrics on port ${metricsPort} (/metrics)`, { metricsPort })
  const db = new TypeormDatabase({ supportHotBlocks: true })
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
