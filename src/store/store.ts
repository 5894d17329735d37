/**
 * What a batch needs from storage: read the rows its events touch, and hand
 * over its state to be written. Two implementations: the final path
 * (./final.ts: this project's own transaction, COPY and set-based upserts)
 * and the tracked path (./tracked.ts: the SDK's Store, whose change log
 * rolls hot blocks back on a reorg). The batch code (./batch.ts) does not
 * know which one it has.
 */
import type { Delegation, IndexerStatus, SupplyCheckpoint } from '../model'
import type { BatchState } from './state'

export interface Entity {
  id: string
}

export interface EntityClass<E extends Entity> {
  new (props?: Partial<E>): E
  readonly name: string
}

export interface BatchStore {
  /** 'final': the owned writer (blocks below the finality depth); 'tracked': the SDK's change-logged Store. */
  readonly path: 'final' | 'tracked'
  /** The rows of one entity class with these ids (any order; ids not stored are absent). */
  byIds<E extends Entity>(cls: EntityClass<E>, ids: readonly string[]): Promise<E[]>
  /** Positions on these nodes that a slash can still reach (ACTIVE or UNDELEGATED). */
  openDelegations(nodeIds: readonly string[]): Promise<Delegation[]>
  /** The latest supply checkpoint before this batch. */
  lastCheckpoint(): Promise<SupplyCheckpoint | undefined>
  /** The indexer's status row as the previous batch left it. */
  status(): Promise<IndexerStatus | undefined>
  /** Takes the batch's rows; called once, after every event is applied. */
  write(state: BatchState): Promise<void>
}
