import {
  BlockHeader,
  DataHandlerContext,
  EvmBatchProcessor,
  EvmBatchProcessorFields,
  Log as _Log,
} from '@subsquid/evm-processor'
import { Store } from '@subsquid/typeorm-store'
import type { IndexerConfig } from './config'
import { relayDeadlineMs } from './runtime/rpc-relay'

/** The processor of one network preset: every log of every watched contract. */
/**
 * `rpcUrl` is the indexer's relay (src/runtime/rpc-relay.ts) in front of the
 * configured endpoints; it retries and fails over itself, and answers 503
 * only when its deadline passes, which the processor then retries.
 */
export function makeProcessor(cfg: IndexerConfig, rpcUrl: string, sdkMetricsPort: number) {
  const { preset } = cfg
  const watched = watchedAddresses(cfg)
  const p = new EvmBatchProcessor()
    .setRpcEndpoint({
      url: rpcUrl,
      requestTimeout: relayDeadlineMs(cfg) + 5000,
      rateLimit: cfg.rpcRateLimit || undefined,
      maxBatchCallSize: 200,
    })
    .setRpcDataIngestionSettings({ headPollInterval: 500 })
    // >= 1: a confirmation depth of 0 crashes the processor on a reorg.
    .setFinalityConfirmation(Math.max(1, preset.finalityConfirmations))
    .setFields({
      block: { timestamp: true },
      log: { transactionHash: true, address: true, topics: true, data: true },
    })
    .setBlockRange({ from: preset.startBlock ?? 0 })
    // Every header of the range, events or not: supply and every point-in-time
    // answer at block N names N's own hash and time.
    .includeAllBlocks({ from: preset.startBlock ?? 0 })
    // The SDK's Prometheus server (chain height, last block, speed, ETA, RPC
    // requests and failures) on a loopback port; src/runtime/indexer-metrics.ts serves it with ours.
    .setPrometheusPort(sdkMetricsPort)
    // No topic filter: unknown events at watched addresses are counted, not missed.
    .addLog({ address: watched })
  if (cfg.gatewayUrl) p.setGateway(cfg.gatewayUrl)
  return p
}

/** Every address the preset names; one address may emit several families' events. */
export function watchedAddresses(cfg: IndexerConfig): string[] {
  const c = cfg.preset.contracts
  const all = [c.token, c.vesting, c.staking, c.market, c.slaOracle].filter((a): a is string => !!a)
  return [...new Set(all.map((a) => a.toLowerCase()))]
}

export type Processor = ReturnType<typeof makeProcessor>
export type Fields = EvmBatchProcessorFields<Processor>
export type Block = BlockHeader<Fields>
export type Log = _Log<Fields>
export type Context = DataHandlerContext<Store, Fields>
