import { In } from 'typeorm'
import { Store } from '@subsquid/typeorm-store'
import { Account, IndexerStatus, Transfer } from '../model'

/**
 * Everything one batch changes. Handlers read and change these maps and push
 * event rows; nothing here outlives the batch, and only `flush` writes.
 */
export class BatchState {
  readonly accounts = new Map<string, Account>()
  readonly transfers: Transfer[] = []
  status?: IndexerStatus

  /** Loads every current-state row the batch's events touch, one query per entity type. */
  async load(store: Store, ids: { accounts: Set<string> }): Promise<void> {
    if (ids.accounts.size > 0) {
      for (const a of await store.findBy(Account, { id: In([...ids.accounts]) })) this.accounts.set(a.id, a)
    }
  }

  /** Writes the batch in foreign-key order: facts, then current state, then the status row. */
  async flush(store: Store): Promise<void> {
    await store.insert(this.transfers)
    await store.upsert([...this.accounts.values()])
    if (this.status) await store.upsert(this.status)
  }
}
