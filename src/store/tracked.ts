/**
 * The tracked write path: the SDK's own Store, for hot blocks (and any
 * batch while hot blocks are recorded). Every insert and upsert goes through
 * its change tracker, so a reorg rolls the rows back from hot_change_log.
 * Slower than the final path and used only for the few blocks near the head.
 */
import type { Store } from '@subsquid/typeorm-store'
import { FindOptionsWhere, In } from 'typeorm'
import { Delegation, IndexerStatus, SupplyCheckpoint } from '../model'
import { BatchState, CURRENT_KEYS, FACT_KEYS } from './state'
import type { BatchStore, Entity, EntityClass } from './store'

export class TrackedStore implements BatchStore {
  readonly path = 'tracked' as const

  constructor(private readonly store: Store) {}

  byIds<E extends Entity>(cls: EntityClass<E>, ids: readonly string[]): Promise<E[]> {
    return this.store.findBy(cls, { id: In([...ids]) } as FindOptionsWhere<E>)
  }

  openDelegations(nodeIds: readonly string[]): Promise<Delegation[]> {
    return this.store.findBy(Delegation, { nodeId: In([...nodeIds]), status: In(['ACTIVE', 'UNDELEGATED']) })
  }

  lastCheckpoint(): Promise<SupplyCheckpoint | undefined> {
    return this.store.findOne(SupplyCheckpoint, { where: {}, order: { blockNumber: 'DESC' } })
  }

  status(): Promise<IndexerStatus | undefined> {
    return this.store.get(IndexerStatus, 'status')
  }

  async write(state: BatchState): Promise<void> {
    for (const key of FACT_KEYS) {
      const rows: Entity[] = state[key]
      if (rows.length === 0) continue
      // A block header may already be there (the last block of a batch seen again after a restart).
      await (key === 'blocks' ? this.store.upsert(rows) : this.store.insert(rows))
    }
    for (const key of CURRENT_KEYS) {
      const rows: Entity[] = [...state[key].values()]
      if (rows.length) await this.store.upsert(rows)
    }
    if (state.status) await this.store.upsert(state.status)
  }
}
