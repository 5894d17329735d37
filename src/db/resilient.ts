/**
 * The processor's database, made to outlast a database that goes away: the
 * SDK's TypeormDatabase ends the process on the first failed transaction, so
 * this wrapper retries a transaction that failed because the connection was
 * lost (server restarted, network cut), with back-off, until the server is
 * back. A retried transaction is the whole batch again, from a fresh read of
 * the state, so nothing is lost or applied twice: the failed attempt was
 * rolled back by Postgres, or, when the connection dropped just as it
 * committed, it did commit, which the indexer's own status row (written in
 * the same transaction) shows, and the retry is skipped.
 */
import { Client } from 'pg'
import type { Store, TypeormDatabase } from '@subsquid/typeorm-store'
import type { FinalTxInfo, HashAndHeight, HotDatabaseState, HotTxInfo } from '@subsquid/util-internal-processor-tools'
import { log } from '../runtime/log'

/** SQLSTATE classes and socket errors that mean "the server or the connection went away", not "the statement is wrong". */
const CONNECTION_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'])
const CONNECTION_MESSAGES = /connection terminated|terminating connection|connection.*(closed|ended)|client has encountered a connection error|timeout exceeded when trying to connect|the database system is (starting up|shutting down)|Connection lost/i

/**
 * When the connection dies mid-transaction, TypeORM releases the query
 * runner, and the batch's other statements (through the runner, or through
 * its EntityManager) then fail with one of these errors rather than the
 * connection's own: a lost connection seen second-hand.
 */
const RELEASED_RUNNER = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError'])

function isReleasedRunner(e: unknown): boolean {
  return RELEASED_RUNNER.has((e as Error | undefined)?.name ?? '')
}

export function isConnectionError(e: unknown): boolean {
  const err = e as { code?: string; message?: string; driverError?: { code?: string; message?: string } } | undefined
  if (!err) return false
  if (isReleasedRunner(e)) return true
  const code = err.code ?? err.driverError?.code
  if (code && CONNECTION_CODES.has(code)) return true
  return CONNECTION_MESSAGES.test(err.message ?? '') || CONNECTION_MESSAGES.test(err.driverError?.message ?? '')
}

const BACKOFF_MS = [250, 500, 1000, 2000, 5000]

export class ResilientDatabase {
  readonly supportsHotBlocks = true as const

  constructor(
    private readonly inner: TypeormDatabase,
    private readonly databaseUrl: string,
  ) {}

  connect(): Promise<HotDatabaseState> {
    return this.retry('connect', async () => {
      try {
        return (await this.inner.connect()) as HotDatabaseState
      } catch (e) {
        // A failed connect leaves the SDK's data source half made: drop it so the next attempt starts clean.
        await this.inner.disconnect().catch(() => undefined)
        throw e
      }
    })
  }

  transact(info: FinalTxInfo, cb: (store: Store) => Promise<void>): Promise<void> {
    return this.retry(`batch up to block ${info.nextHead.height}`, () => this.inner.transact(info, cb), info.nextHead)
  }

  transactHot(info: HotTxInfo, cb: (store: Store, block: HashAndHeight) => Promise<void>): Promise<void> {
    return this.retry(`hot blocks up to ${info.finalizedHead.height}`, () => this.inner.transactHot(info, cb), info.newBlocks[info.newBlocks.length - 1])
  }

  transactHot2(info: HotTxInfo, cb: (store: Store, sliceBeg: number, sliceEnd: number) => Promise<void>): Promise<void> {
    const last = info.newBlocks[info.newBlocks.length - 1]
    return this.retry(`hot blocks up to ${last?.height ?? info.finalizedHead.height}`, () => this.inner.transactHot2(info, cb), last)
  }

  private retry<T>(what: string, op: () => Promise<T>, writes?: HashAndHeight): Promise<T> {
    return retryOnConnectionLoss(what, op, writes && (() => this.committed(writes)))
  }

  /** Whether indexer_status already records `block` (false when the database cannot tell yet). */
  private async committed(block: HashAndHeight): Promise<boolean> {
    const c = new Client({ connectionString: this.databaseUrl, connectionTimeoutMillis: 3000 })
    c.on('error', () => undefined)
    try {
      await c.connect()
      const r = await c.query<{ height: number; hash: string }>(`SELECT height, hash FROM indexer_status WHERE id = 'status'`)
      return r.rows[0]?.height === block.height && r.rows[0]?.hash === block.hash
    } catch {
      return false
    } finally {
      await c.end().catch(() => undefined)
    }
  }
}

/**
 * Runs `op` until it succeeds or fails for a reason other than the
 * connection, with back-off. `committed`: whether a transaction whose
 * connection dropped committed after all (then it is not run again).
 */
export async function retryOnConnectionLoss<T>(what: string, op: () => Promise<T>, committed?: () => Promise<boolean>): Promise<T> {
  let failures = 0
  let secondHand = 0
  for (;;) {
    try {
      const r = await op()
      if (failures > 0) log.info('indexer', `database is back: ${what} done after ${failures} failed attempt(s)`)
      return r
    } catch (e) {
      if (!isConnectionError(e)) throw e
      failures += 1
      // Only ever a released runner, again and again, is a bug rather than a lost connection: stop.
      secondHand = isReleasedRunner(e) ? secondHand + 1 : 0
      if (secondHand > 20) throw e
      const pause = BACKOFF_MS[Math.min(failures, BACKOFF_MS.length) - 1]
      log.warn('indexer', `database unavailable during ${what} (${(e as Error).message}); retrying in ${pause} ms (attempt ${failures})`, {
        reason: (e as Error).message,
        backoffMs: pause,
        attempt: failures,
      })
      await new Promise((r) => setTimeout(r, pause))
      if (committed && (await committed())) {
        log.info('indexer', `database is back: ${what} had committed before its connection dropped`)
        return undefined as T
      }
    }
  }
}
