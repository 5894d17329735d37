/**
 * The indexer's Database (the processor's public interface from
 * @subsquid/util-internal-processor-tools): final batches through this
 * project's own DataSource and transaction, hot ones through the SDK.
 *
 * - Final batches (below the finality depth, never rolled back) are merged
 *   into groups (./final.ts) and each group is one SERIALIZABLE transaction
 *   on our own connection: insert-only tables by COPY, current-state tables
 *   by one set-based upsert each, our status row, and the SDK's status row
 *   (squid_processor.status: height, hash, nonce + 1, checked against the
 *   head the group starts from), exactly as TypeormDatabase updates it, so
 *   the SDK reads the same head back. A group is committed while the next
 *   batches are decoded and applied; at the chain head the batch waits for
 *   its commit.
 * - Hot blocks (transactHot2), and any final batch while hot blocks are
 *   still recorded, go to TypeormDatabase({supportHotBlocks: true}), whose
 *   change log rolls them back on a reorg. Before handing over, every open
 *   group is committed. Whether hot blocks are recorded is known from what
 *   connect() returned and what each hot transaction left, never from the
 *   SDK's private fields; each final commit also checks the hot_block table
 *   is empty, and refuses otherwise.
 * - On a fresh database the secondary indexes of the written tables are
 *   dropped (their definitions kept in icn_indexer.deferred_index, so a
 *   restart still knows them) and rebuilt in the transaction that first
 *   reaches the head: /readyz turns ready only once they exist.
 * - A lost connection is retried (src/db/resilient.ts): a failed read
 *   re-runs the batch from its start; a failed commit is sent again from
 *   its encoded rows, unless the status row shows it committed. Any other
 *   error stops the indexer, the group uncommitted.
 */
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { createOrmConfig } from '@subsquid/typeorm-config'
import { Store, TypeormDatabase } from '@subsquid/typeorm-store'
import type { FinalTxInfo, HashAndHeight, HotDatabase, HotDatabaseState, HotTxInfo } from '@subsquid/util-internal-processor-tools'
import type { PoolClient } from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { DataSource, QueryRunner } from 'typeorm'
import { PROJECT_DIR, SINGLE_CHAIN_SCHEMAS, type ChainSchemas } from '../config'
import { isConnectionError, ResilientDatabase, retryOnConnectionLoss } from '../db/resilient'
import { log } from '../runtime/log'
import { encodeGroup, FinalStore, Group, Payload } from './final'
import type { BatchStore } from './store'
import { columnName, VERSIONED } from './state'
import { Tables } from './tables'
import { TrackedStore } from './tracked'
import { checkSdkVersions } from './versions'


/** Rows worth a commit of their own while Postgres has nothing else to do. */
const MIN_IDLE_COMMIT_ROWS = 5000

export interface IndexDatabaseOptions {
  /** Commit an open group once it holds this many rows (or at the chain head)... */
  groupRows?: number
  /** ...or once its first batch is this old (wall time: a slow sync still commits regularly). */
  groupAgeMs?: number
  /** Drop the written tables' secondary indexes on a fresh database and rebuild them at the head. */
  deferIndexes?: boolean
  /**
   * The chain's finalized height as the processor last saw it (its
   * sqd_processor_chain_height metric), when known: the deferred indexes are
   * rebuilt a little before the final batches end, so the last commit does
   * not wait for them.
   */
  finalizedHeight?: () => number | undefined
  /** A commit that nobody waits for failed: the indexer must stop. */
  onFatal: (e: unknown) => void
  /**
   * The SDK's state schema (passed to TypeormDatabase explicitly, so both
   * sides name the same one) and this writer's own bookkeeping schema;
   * default: the single-chain ones. The tables are the connection's (its search_path).
   */
  schemas?: Pick<ChainSchemas, 'state' | 'writer'>
}

export interface WriterStats {
  groups: number
  rows: number
  copies: number
  upserts: number
}

interface InFlight {
  group: Group
  done: Promise<void>
}

export class IndexDatabase implements HotDatabase<BatchStore> {
  readonly supportsHotBlocks = true as const
  private readonly tracked: ResilientDatabase
  private ds?: DataSource
  private tables?: Tables
  /** Hot blocks the SDK has recorded above its finalized head, as it left them. */
  private hotTop: HashAndHeight[] = []
  private open?: Group
  private inFlight?: InFlight
  private deferred = false
  /** A commit in flight builds the deferred indexes. */
  private rebuilding = false
  /** The first block this process wrote (for the blocks per commit). */
  private firstHeight = 0
  private stopping = false
  private active?: Promise<unknown>
  private readClient?: { qr: QueryRunner; client: PoolClient }
  readonly stats: WriterStats = { groups: 0, rows: 0, copies: 0, upserts: 0 }
  private readonly groupRows: number
  private readonly groupAgeMs: number
  private readonly stateSchema: string
  private readonly writerSchema: string

  constructor(
    databaseUrl: string,
    private readonly o: IndexDatabaseOptions,
  ) {
    this.stateSchema = o.schemas?.state ?? SINGLE_CHAIN_SCHEMAS.state
    this.writerSchema = o.schemas?.writer ?? SINGLE_CHAIN_SCHEMAS.writer
    this.tracked = new ResilientDatabase(new TypeormDatabase({ supportHotBlocks: true, stateSchema: this.stateSchema }), databaseUrl)
    this.groupRows = o.groupRows ?? 50_000
    this.groupAgeMs = o.groupAgeMs ?? 5000
  }

  async connect(): Promise<HotDatabaseState> {
    checkSdkVersions()
    const state = await this.tracked.connect()
    this.hotTop = [...state.top]
    this.firstHeight = state.height
    const ds = new DataSource(createOrmConfig({ projectDir: PROJECT_DIR }))
    await retryOnConnectionLoss('connect', () => ds.initialize())
    this.ds = ds
    this.tables = new Tables(ds)
    this.tables.checkVersionColumns(Object.values(VERSIONED), columnName)
    await ds.query(`CREATE SCHEMA IF NOT EXISTS ${this.writerSchema}`)
    await ds.query(`CREATE TABLE IF NOT EXISTS ${this.writerSchema}.deferred_index (name text PRIMARY KEY, definition text NOT NULL)`)
    if (state.height < 0 && state.top.length === 0 && this.o.deferIndexes) await this.dropSecondaryIndexes()
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM ${this.writerSchema}.deferred_index`)) as { n: number }[]
    this.deferred = n > 0
    return state
  }

  /**
   * Reads of final batches: one connection kept for them (a statement through
   * TypeORM's DataSource.query takes and returns a pooled runner each time,
   * measurable at thousands of reads). Dropped when its connection is lost.
   */
  private readonly reader = async (sql: string, params: unknown[]): Promise<Record<string, unknown>[]> => {
    if (!this.readClient) {
      const qr = this.ds!.createQueryRunner('master')
      const client = (await qr.connect()) as PoolClient
      const held = { qr, client }
      // A connection that dies while idle (a Postgres restart) is let go; the next read opens another.
      client.on('error', () => {
        if (this.readClient === held) this.readClient = undefined
      })
      this.readClient = held
    }
    const { qr, client } = this.readClient
    try {
      return (await client.query<Record<string, unknown>>(sql, params)).rows
    } catch (e) {
      if (isConnectionError(e)) {
        this.readClient = undefined
        await qr.release().catch(() => undefined)
      }
      throw e
    }
  }

  async disconnect(): Promise<void> {
    if (this.readClient) await this.readClient.qr.release().catch(() => undefined)
    this.readClient = undefined
    await this.ds?.destroy()
    this.ds = undefined
  }

  transact(info: FinalTxInfo, cb: (store: BatchStore) => Promise<void>): Promise<void> {
    return this.exclusive(async () => {
      if (this.hotTop.length > 0) {
        // The SDK rolls the recorded hot blocks back first; everything of ours must be in before.
        await this.drain()
        await this.tracked.transact(info, (store: Store) => cb(new TrackedStore(store)))
        this.hotTop = []
        return
      }
      if (this.open && this.open.next.hash !== info.prevHead.hash) throw new Error(`batch after block ${info.prevHead.height} does not follow the open group (ends at ${this.open.next.height})`)
      const group = (this.open ??= new Group(info.prevHead, this.tables!))
      const overlay = this.inFlight ? [group, this.inFlight.group] : [group]
      await retryOnConnectionLoss(`batch up to block ${info.nextHead.height}`, async () => {
        const store = new FinalStore(this.reader, this.tables!, overlay)
        try {
          await cb(store)
        } catch (e) {
          // A batch is re-run after a lost connection only if it has not written yet.
          if (store.wrote) throw new Error(`batch up to block ${info.nextHead.height} failed after its write: ${(e as Error).message}`, { cause: e })
          throw e
        }
        // A batch that wrote nothing is the SDK's own: with a start block above the
        // chain's finalized height it first moves its state up to that height in
        // an empty transaction (no block, no handler call); it commits as the SDK's status alone.
      })
      group.next = info.nextHead
      group.batches += 1
      // Postgres idle (no commit in flight) and a few thousand rows waiting: commit them now, so the writes
      // keep pace with the batches and the group left at the head is small. Otherwise up to groupRows.
      const idle = !this.inFlight && group.rows >= Math.min(MIN_IDLE_COMMIT_ROWS, this.groupRows)
      if (info.isOnTop || idle || group.rows >= this.groupRows || Date.now() - group.openedAt >= this.groupAgeMs) await this.submit(info.isOnTop, this.nearFinalHead(info.nextHead.height))
    })
  }

  transactHot(info: HotTxInfo, cb: (store: BatchStore, block: HashAndHeight) => Promise<void>): Promise<void> {
    return this.exclusive(async () => {
      await this.drain()
      await this.tracked.transactHot(info, (store: Store, block: HashAndHeight) => cb(new TrackedStore(store), block))
      this.afterHot(info)
    })
  }

  transactHot2(info: HotTxInfo, cb: (store: BatchStore, sliceBeg: number, sliceEnd: number) => Promise<void>): Promise<void> {
    return this.exclusive(async () => {
      await this.drain()
      await this.tracked.transactHot2(info, (store: Store, beg: number, end: number) => cb(new TrackedStore(store), beg, end))
      this.afterHot(info)
    })
  }

  /**
   * Commits whatever is open and lets no further batch in: for a graceful
   * stop. Resolves when the database holds every batch handed over so far,
   * with the height the status table then names (undefined before connect()).
   */
  async stop(): Promise<number | undefined> {
    this.stopping = true
    await this.active?.catch(() => undefined)
    await this.drain()
    if (!this.ds) return undefined
    // The final head, or the highest hot block recorded above it.
    const rows = (await this.ds.query(`SELECT greatest((SELECT height FROM ${this.stateSchema}.status WHERE id = 0), (SELECT max(height) FROM ${this.stateSchema}.hot_block)) AS height`)) as { height: number | null }[]
    return rows[0]?.height ?? undefined
  }

  /** The hot blocks the SDK keeps after a hot transaction: the chain up to its base, then the new blocks, above the finalized head. */
  private afterHot(info: HotTxInfo): void {
    const kept = this.hotTop.filter((b) => b.height <= info.baseHead.height)
    this.hotTop = [...kept, ...info.newBlocks].filter((b) => b.height > info.finalizedHead.height)
  }

  /** One transaction call at a time (the processor makes them one after another); none after stop(). */
  private exclusive(op: () => Promise<void>): Promise<void> {
    if (this.stopping) return new Promise<void>(() => undefined)
    const run = op()
    this.active = run
    return run
  }

  /**
   * Whether the final batches are about to end: within two commits' worth of
   * blocks of the chain's finalized height. The deferred indexes are then
   * built with the next commit, while the last batches are still applied.
   */
  private nearFinalHead(height: number): boolean {
    const final = this.o.finalizedHeight?.()
    if (!this.deferred || final === undefined || this.stats.groups === 0) return false
    const blocksPerCommit = (height - this.firstHeight) / this.stats.groups
    return final - height <= 2 * blocksPerCommit
  }

  /** Commits the open group, after the one in flight; waits for it when `wait`; builds the deferred indexes with it when `wait` or `rebuildNow`. */
  private async submit(wait: boolean, rebuildNow = false): Promise<void> {
    if (this.inFlight) await this.inFlight.done
    const group = this.open
    if (!group || group.batches === 0) return
    this.open = undefined
    const payload = encodeGroup(group, this.tables!)
    const rebuild = (wait || rebuildNow) && this.deferred && !this.rebuilding
    if (rebuild) this.rebuilding = true
    const done = retryOnConnectionLoss(`commit of blocks ${group.prev.height + 1}-${group.next.height}`, () => this.commit(group, payload, rebuild)).then(() => {
      if (rebuild) this.deferred = this.rebuilding = false
      if (this.inFlight?.group === group) this.inFlight = undefined
    })
    this.inFlight = { group, done }
    if (wait) return done
    done.catch((e: unknown) => this.o.onFatal(e))
  }

  /** Everything handed over is committed, and the deferred indexes exist. */
  private async drain(): Promise<void> {
    await this.submit(true)
    if (this.inFlight) await this.inFlight.done
    if (this.deferred) {
      await retryOnConnectionLoss('rebuilding indexes', () => this.inTransaction((c) => this.rebuildIndexes(c)))
      this.deferred = false
    }
  }

  private async commit(group: Group, payload: Payload, rebuild: boolean): Promise<void> {
    await this.inTransaction(async (c) => {
      const status = await c.query<{ height: number; hash: string; nonce: number }>(`SELECT height, hash, nonce FROM ${this.stateSchema}.status WHERE id = 0`)
      const s = status.rows[0]
      if (!s) throw new Error(`${this.stateSchema}.status has no row: connect() was not called`)
      // Sent again after a lost connection, and it had committed: nothing to do.
      if (s.height === group.next.height && s.hash === group.next.hash) return
      if (s.height !== group.prev.height || s.hash !== group.prev.hash) {
        throw new Error(`${this.stateSchema}.status is at block ${s.height} (${s.hash}), this group starts after ${group.prev.height} (${group.prev.hash}): another processor is writing this database`)
      }
      const hot = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${this.stateSchema}.hot_block`)
      if (hot.rows[0].n !== 0) throw new Error(`${this.stateSchema}.hot_block holds ${hot.rows[0].n} blocks: final batches must not bypass the change log while hot blocks are recorded`)
      for (const step of payload.copies) {
        await pipeline(Readable.from(step.text), c.query(copyFrom(step.sql)))
      }
      for (const step of payload.upserts) await c.query(step.sql, step.params)
      if (rebuild) await this.rebuildIndexes(c)
      const upd = await c.query(`UPDATE ${this.stateSchema}.status SET height = $1, hash = $2, nonce = nonce + 1 WHERE id = 0 AND nonce = $3`, [group.next.height, group.next.hash, s.nonce])
      if (upd.rowCount !== 1) throw new Error(`${this.stateSchema}.status changed during the commit: another processor is writing this database`)
    })
    this.stats.groups += 1
    this.stats.rows += payload.rows
    this.stats.copies += payload.copies.length
    this.stats.upserts += payload.upserts.length
  }

  /** A SERIALIZABLE transaction on one connection of our DataSource; retried on a serialization failure or a deadlock, as the SDK does. */
  private async inTransaction(fn: (c: PoolClient) => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const qr = this.ds!.createQueryRunner('master')
      try {
        const client = (await qr.connect()) as PoolClient
        await qr.startTransaction('SERIALIZABLE')
        try {
          await fn(client)
          await qr.commitTransaction()
        } catch (e) {
          if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined)
          throw e
        }
        return
      } catch (e) {
        // A serialization failure or a deadlock (two chains' writers share a server): the transaction is run again, after a pause.
        const code = (e as { code?: string }).code
        if ((code === '40001' || code === '40P01') && attempt < 10) {
          await new Promise((r) => setTimeout(r, 20 * (attempt + 1)))
          continue
        }
        throw e
      } finally {
        await qr.release().catch(() => undefined)
      }
    }
  }

  /** On a fresh database: records and drops the secondary (non-unique, non-primary) indexes of every written table. */
  private async dropSecondaryIndexes(): Promise<void> {
    await retryOnConnectionLoss('deferring indexes', () =>
      this.inTransaction(async (c) => {
        const r = await c.query<{ name: string; definition: string }>(
          `SELECT ic.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
             FROM pg_index i
             JOIN pg_class ic ON ic.oid = i.indexrelid
             JOIN pg_class t ON t.oid = i.indrelid
             JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = current_schema() AND NOT i.indisprimary AND NOT i.indisunique AND t.relname = ANY($1::text[])`,
          [this.tables!.names()],
        )
        for (const ix of r.rows) {
          await c.query(`INSERT INTO ${this.writerSchema}.deferred_index (name, definition) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [ix.name, ix.definition])
          await c.query(`DROP INDEX "${ix.name.replace(/"/g, '""')}"`)
        }
        if (r.rows.length) log.info('indexer', `fresh database: ${r.rows.length} secondary indexes deferred until the index reaches the chain head`)
      }),
    )
  }

  private async rebuildIndexes(c: PoolClient): Promise<void> {
    const r = await c.query<{ name: string; definition: string }>(`SELECT name, definition FROM ${this.writerSchema}.deferred_index ORDER BY name`)
    const t0 = process.hrtime.bigint()
    await c.query(`SET LOCAL maintenance_work_mem = '256MB'`)
    for (const ix of r.rows) await c.query(ix.definition)
    await c.query(`DELETE FROM ${this.writerSchema}.deferred_index`)
    if (r.rows.length) log.info('indexer', `rebuilt ${r.rows.length} deferred indexes in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s`)
  }
}
