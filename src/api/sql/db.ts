import { Pool, QueryResultRow } from 'pg'

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
    })
    // An idle client's error (the server restarted) must not crash the API.
    this.pool.on('error', () => {})
  }

  async query<R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    this.statements += 1
    const res = await this.pool.query<R>(sql, params)
    return res.rows
  }

  async close(): Promise<void> {
    await this.pool.end()
  }
}
