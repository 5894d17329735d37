/**
 * A reorg deeper than the preset's finality window would replace blocks the
 * index holds as final, which the SDK cannot roll back: it stops. This check,
 * run at every start, says so plainly instead of indexing on top of a block
 * the chain no longer has.
 */
import { Client } from 'pg'
import type { RpcClient } from './rpc'

export class DeepReorgError extends Error {}

export async function checkFinalizedBlock(databaseUrl: string, rpc: RpcClient, finality: number): Promise<{ head: number; final: number | null } | undefined> {
  const db = new Client({ connectionString: databaseUrl })
  await db.connect()
  let row: { head: number; height: number | null; hash: string | null } | undefined
  try {
    const exists = await db.query(`SELECT to_regclass('indexer_status') IS NOT NULL AND to_regclass('block') IS NOT NULL AS ok`)
    if (!exists.rows[0].ok) return undefined
    const r = await db.query<{ head: number; height: number | null; hash: string | null }>(
      `SELECT s.height AS head, b.height, b.hash FROM indexer_status s LEFT JOIN LATERAL (
         SELECT height, hash FROM block WHERE height <= s.finalized_height ORDER BY height DESC LIMIT 1) b ON true
       WHERE s.id = 'status'`,
    )
    row = r.rows[0]
  } finally {
    await db.end()
  }
  if (!row) return undefined
  if (row.height === null) return { head: row.head, final: null }
  const chain = await rpc.call<{ hash: string } | null>('eth_getBlockByNumber', ['0x' + row.height.toString(16), false])
  if (!chain || chain.hash !== row.hash) {
    throw new DeepReorgError(
      `the chain no longer has block ${row.height} ${row.hash}, which the index holds as final ` +
        `(chain: ${chain ? chain.hash : 'no such block'}): a reorg deeper than the preset's finality window of ${finality} blocks. ` +
        `Nothing was written past it. Re-index into a fresh database, and raise finalityConfirmations if this chain reorganises that deep.`,
    )
  }
  return { head: row.head, final: row.height }
}
