/**
 * One batch of the indexer: load every row its events touch, apply the
 * events in order (src/mappings), record the block headers and the status
 * row, hand the state to the store's writer. The same function runs on both
 * write paths, in the indexer and in the ingestion bench's store floor.
 */
import { padId } from '../domain/ids'
import type { SlaRules } from '../domain/sla'
import { applyEvents, DecodedBatch, IndexedEvent, mergeUnknown, SupplyAddresses, touchedIds, UnknownEvents } from '../mappings'
import { Block, IndexerStatus } from '../model'
import type { BlockData } from '../mappings/types'
import { loadState } from './load'
import { BatchState, Inconsistency } from './state'
import type { BatchStore } from './store'
import type { IndexWarning } from '../runtime/preflight'

/** A block of the batch as `indexBatch` reads it: its header and how many logs it had. */
export interface BatchBlock {
  header: BlockData['header']
  logs: { length: number }
}

/** What one batch needs besides its blocks and their decoded events. */
export interface BatchOptions {
  sla: SlaRules
  supply: SupplyAddresses
  /** The preset's confirmations: how far below the head a block is final. */
  finality: number
  /** The batch ends at the chain head (the processor's `ctx.isHead`). */
  isHead: boolean
  /** The chain's head as the RPC last answered eth_blockNumber, when known. */
  chainHead?: () => number | undefined
  /** An event skipped because it names what the index never saw (CannotApply). */
  onSkip: (ev: IndexedEvent, why: string) => void
  /** A sum the chain states that the index does not reach. */
  onInconsistency: (i: Inconsistency) => void
  /** Warnings found at start (src/runtime/preflight.ts), kept in the status row. */
  warnings?: IndexWarning[]
  /** The first unknown event at an address with a topic the index had not seen there before. */
  onNewUnknown?: (u: UnknownEvents) => void
}

export interface BatchResult {
  skipped: number
  inconsistencies: number
  status: IndexerStatus
}

export async function indexBatch(store: BatchStore, blocks: readonly BatchBlock[], decoded: DecodedBatch, o: BatchOptions): Promise<BatchResult> {
  const { events, undecoded, unknown } = decoded
  const state = new BatchState(o.sla)
  await loadState(store, state, touchedIds(events, o.supply))
  const prev = await store.status()
  let skipped = 0
  applyEvents(state, events, o.supply, (ev, e) => {
    skipped += 1
    o.onSkip(ev, e.message)
  })
  for (const i of state.inconsistencies) o.onInconsistency(i)
  const prevUnknown = (prev?.unknownEvents ?? []) as UnknownEvents[]
  for (const u of unknown) if (!prevUnknown.some((p) => p.address === u.address && p.topic === u.topic)) o.onNewUnknown?.(u)
  const last = blocks[blocks.length - 1].header
  // Every header the processor hands over (it includes every block of the range).
  for (const b of blocks) state.blocks.push(new Block({ id: padId(b.header.height), height: b.header.height, hash: b.header.hash, timestamp: new Date(b.header.timestamp) }))
  state.status = new IndexerStatus({
    id: 'status',
    height: last.height,
    hash: last.hash,
    timestamp: new Date(last.timestamp),
    finalizedHeight: o.isHead ? Math.max(0, last.height - o.finality) : last.height,
    // The chain's own head (eth_blockNumber, polled), never below what the batch holds. Without
    // an answer: at the head the last block; while syncing a lower bound (the batch is final, so
    // the head is at least `finality` blocks further).
    chainHead: Math.max(last.height, o.chainHead?.() ?? (o.isHead ? last.height : Math.max(prev?.chainHead ?? 0, last.height + o.finality))),
    undecodedLogs: (prev?.undecodedLogs ?? 0) + undecoded + skipped,
    inconsistencies: (prev?.inconsistencies ?? 0) + state.inconsistencies.length,
    // An index built before versions were kept answers entities only from the block after its upgrade.
    versionsFrom: prev ? (prev.versionsFrom ?? last.height + 1) : blocks[0].header.height,
    unknownEvents: unknown.length ? mergeUnknown(prevUnknown, unknown) : prevUnknown,
    warnings: [
      ...(o.warnings ?? []),
      // At the head with nothing ever minted: almost surely not the token's address (or a start block after its mints).
      ...(o.isHead && state.minted === 0n
        ? [{ code: 'NO_TRANSFERS', message: `the index is at the chain head (block ${last.height}) and no Transfer has minted any token: is contracts.token the token's address?` }]
        : []),
    ],
  })
  state.rollUpEras()
  await store.write(state)
  return { skipped, inconsistencies: state.inconsistencies.length, status: state.status }
}
