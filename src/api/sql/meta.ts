import type { Db } from './db'

export interface StatusRow {
  height: number
  hash: string
  timestamp: Date
  finalized_height: number
  chain_head: number
  undecoded_logs: number
  inconsistencies: number
  warnings: { code: string; message: string }[]
  /** First block whose entity versions are complete (null: none). */
  versions_from: number | null
  unknown_events: { address: string; topic: string | null; count: number; firstBlock: number; lastBlock: number }[]
}

export async function indexerStatus(db: Db): Promise<StatusRow | undefined> {
  const rows = await db.query<StatusRow>(
    `SELECT height, hash, timestamp, finalized_height, chain_head, undecoded_logs, inconsistencies, unknown_events, warnings, versions_from FROM indexer_status WHERE id = 'status'`,
  )
  return rows[0]
}
