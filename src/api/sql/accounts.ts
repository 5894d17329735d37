import { eventId } from '../../domain/ids'
import type { Db } from './db'

export interface AccountRow {
  id: string
  balance: string
  transfers_in: number
  transfers_out: number
  first_seen_block: number
  last_active_block: number
}

export async function accountsByIds(db: Db, ids: readonly string[]): Promise<AccountRow[]> {
  return db.query<AccountRow>(
    `SELECT id, balance::text AS balance, transfers_in, transfers_out, first_seen_block, last_active_block
       FROM account WHERE id = ANY($1::text[])`,
    [ids],
  )
}

/** An account's balance after the last transfer at or before `block`: two index probes, one statement. */
export async function balanceAtBlock(db: Db, id: string, block: number): Promise<string> {
  const upTo = eventId(block, 999999)
  const rows = await db.query<{ bal: string }>(
    `SELECT bal FROM (
       (SELECT from_balance_after::text AS bal, id FROM transfer
         WHERE from_id = $1 AND id <= $2 ORDER BY id DESC LIMIT 1)
       UNION ALL
       (SELECT to_balance_after::text AS bal, id FROM transfer
         WHERE to_id = $1 AND id <= $2 ORDER BY id DESC LIMIT 1)
     ) t ORDER BY id DESC LIMIT 1`,
    [id, upTo],
  )
  return rows[0]?.bal ?? '0'
}
