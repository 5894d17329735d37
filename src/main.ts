/**
 * The indexer: one batch = decode, load, apply in order, write once.
 * Orchestration only: the handlers are in mappings/, loading, batch state
 * and the writer in store/.
 */
import { ConfigError, exportDatabaseUrlForSdk, indexerConfig, indexerRole } from './config'
import { applyMigrations } from './db/migrate'
import { decodeBatch, HandlerError, SupplyAddresses } from './mappings'
import { makeProcessor } from './processor'
import { IndexerMetrics } from './runtime/indexer-metrics'
import { log, routeSdkLogs, setLogFormat } from './runtime/log'
import { freePort } from './runtime/ports'
import { RpcChainHead, SdkChainHeight } from './runtime/chain-height'
import { checkFinalizedBlock, DeepReorgError } from './runtime/finality'
import { formatProgress, Progress } from './runtime/progress'
import { RpcClient } from './runtime/rpc'
import { checkContracts, IndexWarning, PreflightError, resolveStartBlock, startBlockWarning } from './runtime/preflight'
import { startRelay } from './runtime/rpc-relay'
import { prepareChain, superviseChains } from './runtime/supervisor'
import { indexBatch } from './store/batch'
import { IndexDatabase } from './store/database'
import { checkSdkVersions, SdkVersionError } from './store/versions'

async function main(): Promise<void> {
  const role = indexerRole()
  if (role.kind === 'supervisor') {
    setLogFormat(role.logJson)
    return superviseChains({ network: role.network, databaseUrl: role.databaseUrl, rpcUrls: role.rpcUrls, metricsPort: role.metricsPort })
  }
  const cfg = indexerConfig()
  setLogFormat(cfg.logJson, cfg.chain)
  routeSdkLogs()
  checkSdkVersions()
  exportDatabaseUrlForSdk(cfg.databaseUrl)
  // Every RPC request goes through the relay: checked answers, retries with back-off, fail-over, chain-id guard.
  const rpcUrl = await startRelay(cfg, (e) => {
    stopping = true
    log.error('indexer', `stopped: ${e.message}`)
    process.exit(1)
  })
  if (cfg.rpcUrls.length > 1) log.info('indexer', `${cfg.rpcUrls.length} RPC endpoints, used in order with fail-over`)
  const rpc = new RpcClient(rpcUrl)
  await checkContracts(rpc, cfg.preset)
  const warnings: IndexWarning[] = []
  const late = await startBlockWarning(rpc, cfg.preset)
  if (late) {
    warnings.push(late)
    log.warn('indexer', late.message, { code: late.code })
  }
  // A chain of several: its schema, then the migrations there (the supervisor did both already, unless this indexer runs on its own).
  if (cfg.chain) await prepareChain(cfg.baseDatabaseUrl, cfg.chain)
  else await applyMigrations()
  // A preset without a start block starts at the token's deployment (found once, kept in the database).
  const startBlock = await resolveStartBlock(rpc, cfg.preset, cfg.databaseUrl, { gateway: cfg.gatewayUrl !== undefined, log: (m) => log.info('indexer', m) })
  cfg.preset = { ...cfg.preset, startBlock }
  const existing = await checkFinalizedBlock(cfg.databaseUrl, rpc, cfg.preset.finalityConfirmations)
  if (existing) log.info('indexer', `resuming at block ${existing.head + 1}: the index holds blocks up to ${existing.head}${existing.final === null ? '' : `, its final block ${existing.final} is the chain's`}`, existing)
  else log.info('indexer', `a new index, from block ${startBlock}`)
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
  const chainHeight = new SdkChainHeight(sdkMetricsPort).start()
  const chainHead = await new RpcChainHead(() => rpc.call<string>('eth_blockNumber')).start()
  const db = new IndexDatabase(cfg.databaseUrl, {
    finalizedHeight: () => chainHeight.get(),
    schemas: cfg.schemas,
    deferIndexes: cfg.deferIndexes,
    groupRows: cfg.commitRows,
    groupAgeMs: cfg.commitIntervalMs,
    onFatal: (e) => {
      stopping = true
      log.error('indexer', `stopped: a commit failed: ${(e as Error).stack ?? String(e)}`)
      process.exit(1)
    },
  })
  // SIGTERM (docker stop, Ctrl-C through npm start): commit what was handed over, then exit 0.
  const gracefulStop = (signal: string) => {
    if (stopping) return
    stopping = true
    log.info('indexer', `${signal}: committing the batches handed over, then exiting`)
    db.stop().then(
      (height) => {
        log.info('indexer', `${signal}: every batch handed over is committed, the index holds blocks up to ${height ?? 'none'}; exiting with code 0`, { height })
        process.exit(0)
      },
      (e: unknown) => {
        log.error('indexer', `stopped: the last commit failed: ${(e as Error).stack ?? String(e)}`)
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => gracefulStop('SIGTERM'))
  process.on('SIGINT', () => gracefulStop('SIGINT'))
  const supply: SupplyAddresses = { vesting: cfg.preset.contracts.vesting, staking: cfg.preset.contracts.staking }
  const progress = new Progress(cfg.progressIntervalMs)
  processor.run(db, async (ctx) => {
    const t0 = process.hrtime.bigint()
    // Hot batches can carry blocks below the preset's start block (the SDK walks
    // its hot window from the finalized height), without the requested fields: not ours.
    const blocks = ctx.blocks.filter((b) => b.header.height >= startBlock)
    if (blocks.length === 0) return
    const decoded = decodeBatch(blocks, cfg.preset.contracts.token, (msg) => log.warn('indexer', msg))
    let result
    try {
      result = await indexBatch(ctx.store, blocks, decoded, {
        sla: cfg.preset.sla,
        supply,
        finality: cfg.preset.finalityConfirmations,
        isHead: ctx.isHead,
        chainHead: () => chainHead.get(),
        warnings,
        onSkip: (ev, why) => log.warn('indexer', `event ${ev.kind} at block ${ev.blockNumber} log index ${ev.logIndex} skipped: ${why}`),
        onNewUnknown: (u) => log.info('indexer', `unknown event at ${u.address} (topic ${u.topic ?? 'none'}) from block ${u.firstBlock}: none of the spec's events; skipped and counted in _meta.unknownEvents`, { address: u.address, topic: u.topic, blockNumber: u.firstBlock }),
        onInconsistency: (i) => log.error('indexer', `inconsistency at block ${i.blockNumber} log index ${i.logIndex}: ${i.what}`, { blockNumber: i.blockNumber, logIndex: i.logIndex }),
      })
    } catch (e) {
      if (e instanceof HandlerError) {
        stopping = true
        log.error('indexer', `stopped, batch not committed: ${e.message}`, { blockNumber: e.event.blockNumber, logIndex: e.event.logIndex, event: e.event.kind })
      }
      throw e
    }
    const events = decoded.events.length
    const last = blocks[blocks.length - 1].header
    metrics.batch(blocks.length, events, Number(process.hrtime.bigint() - t0) / 1e9, decoded.undecoded + result.skipped, result.inconsistencies, last.height)
    const line = progress.batch(last.height, result.status.chainHead, events, ctx.isHead, Date.now(), chainHead.get() !== undefined)
    if (line) log.info('progress', formatProgress(line), { ...line })
  })
}

/** Set when this module ends the process itself (its own message is enough). */
let stopping = false

main().catch((e: unknown) => {
  stopping = true
  const msg = e instanceof ConfigError || e instanceof DeepReorgError || e instanceof SdkVersionError || e instanceof PreflightError ? e.message : (e as Error).stack ?? String(e)
  log.error('indexer', msg)
  process.exit(1)
})
