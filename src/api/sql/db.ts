import { createHash } from 'node:crypto'
import { GraphQLError } from 'graphql'
import { Pool, QueryResultRow } from 'pg'

/** Errors that mean the server is away (down, restarting, unreachable), not that the statement is wrong. */
const AWAY = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006'])

export function databaseAway(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown } | null
  if (!err) return false
  if (typeof err.code === 'string' && AWAY.has(err.code)) return true
  return typeof err.message === 'string' && /Connection terminated|connection timeout|Client has encountered a connection error/i.test(err.message)
}

/** The database is away: HTTP 503 with a code, retried by clients; the pool reconnects on its own. */
export class DatabaseUnavailable extends GraphQLError {
  constructor(cause: unknown) {
    super('the database is unavailable (restarting or unreachable); retry shortly', {
      extensions: { code: 'DATABASE_UNAVAILABLE', http: { status: 503 } },
      originalError: cause instanceof Error ? cause : undefined,
    })
  }
}

/**
 * The API's database handle. Every statement goes through `query` with bound
 * parameters; the counter lets tests and benchmarks see how many statements a
 * request issued.
 */
export class Db {
  readonly pool: Pool
  statements = 0

  constructor(url: string, opts: { max?: number; statementTimeoutMs?: number } = {}) {
    this.pool = new Pool({
      connectionString: url,
      max: opts.max ?? 10,
      statement_timeout: opts.statementTimeoutMs ?? 5000,
      application_name: 'icn-indexer-api',
      // Fail fast while the server is away instead of queueing requests behind it.
      connectionTimeoutMillis: 3000,
    })
    // An idle client's error (the server restarted) must not crash the API.
    this.pool.on('error', () => {})
  }

  async query<R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    this.statements += 1
    try {
      // A named statement is parsed and planned once per connection (Postgres
      // then reuses the plan, generic when it costs no more): planning was
      // half the time of a page of a merged list. The texts are constants
      // with placeholders, so their number is bounded.
      const res = await this.pool.query<R>({ name: this.statementName(sql), text: sql, values: params })
      return res.rows
    } catch (e) {
      if (databaseAway(e)) throw new DatabaseUnavailable(e)
      throw e
    }
  }

  private readonly names = new Map<string, string>()

  /** A stable name for a statement text (what pg prepares it under on each connection). */
  private statementName(sql: string): string {
    let n = this.names.get(sql)
    if (n === undefined) {
      n = `icn_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`
      // Bounded like the texts themselves: a guard against a bug that would build unbounded ones.
      if (this.names.size < 10_000) this.names.set(sql, n)
    }
    return n
  }

  async close(): Promise<void> {
    await this.pool.end()
  }
}
