import type { Db } from './db'

export interface TransferRow {
  id: string
  block_number: number
  block_hash: string
  timestamp: Date
  tx_hash: string
  log_index: number
  from_id: string
  to_id: string
  value: string
  from_balance_after: string
  to_balance_after: string
}

const COLS = `id, block_number, block_hash, timestamp, tx_hash, log_index, from_id, to_id,
  value::text AS value, from_balance_after::text AS from_balance_after, to_balance_after::text AS to_balance_after`

export interface TransferPage {
  /** Keyset bounds in list order: rows strictly after `afterId` and strictly before `beforeId`. */
  afterId?: string
  beforeId?: string
  limit: number
  /** List order: true = newest first. */
  descending: boolean
  /** Read from the end of the range (for `last`): rows come back in list order all the same. */
  backward: boolean
}

/**
 * A page of one account's transfers (either side), by id (= chain order).
 * Keyset pagination: the cost does not depend on how deep the page is.
 */
export async function accountTransfers(db: Db, account: string, page: TransferPage): Promise<TransferRow[]> {
  // In a descending list "after" means a smaller id; scanning backward flips the scan direction.
  const afterOp = page.descending ? '<' : '>'
  const beforeOp = page.descending ? '>' : '<'
  const scanAsc = page.descending === page.backward
  const dir = scanAsc ? 'ASC' : 'DESC'
  // Ids are digits and '-': '' sorts before every id and '~' after, so an absent bound is open.
  const open = (op: string) => (op === '<' ? "'~'" : "''")
  const cond = ` AND id ${afterOp} COALESCE($2, ${open(afterOp)}) AND id ${beforeOp} COALESCE($3, ${open(beforeOp)})`
  const sql = `SELECT ${COLS} FROM (
      (SELECT * FROM transfer WHERE from_id = $1${cond} ORDER BY id ${dir} LIMIT $4)
      UNION
      (SELECT * FROM transfer WHERE to_id = $1${cond} ORDER BY id ${dir} LIMIT $4)
    ) t ORDER BY id ${dir} LIMIT $4`
  const rows = await db.query<TransferRow>(sql, [account, page.afterId ?? null, page.beforeId ?? null, page.limit])
  return page.backward ? rows.reverse() : rows
}
