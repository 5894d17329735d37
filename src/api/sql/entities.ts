/** Batched lookups by id for the per-request DataLoaders. */
import { eventId } from '../../domain/ids'
import type { Db } from './db'
import { ACCOUNT_SELECT, AccountRow, HYPERNODE_SELECT, HyperNodeRow, NODE_SELECT, NodeRow, StakingEventRow } from './lists'

const keyed = <R extends { id: string }>(rows: R[]) => new Map(rows.map((r) => [r.id, r]))

export async function accountsByIds(db: Db, ids: readonly string[]): Promise<Map<string, AccountRow>> {
  return keyed(await db.query<AccountRow>(`SELECT ${ACCOUNT_SELECT} FROM account WHERE id = ANY($1::text[])`, [ids]))
}

export async function nodesByIds(db: Db, ids: readonly string[]): Promise<Map<string, NodeRow>> {
  return keyed(await db.query<NodeRow>(`SELECT ${NODE_SELECT} FROM node WHERE id = ANY($1::text[])`, [ids]))
}

export async function hyperNodesByIds(db: Db, ids: readonly string[]): Promise<Map<string, HyperNodeRow>> {
  return keyed(await db.query<HyperNodeRow>(`SELECT ${HYPERNODE_SELECT} FROM hyper_node WHERE id = ANY($1::text[])`, [ids]))
}

/** Capacity of each node's bookings active at the indexed head's block time. */
export async function bookedCapacityByNodes(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await db.query<{ node_id: string; booked: string }>(
    `SELECT b.node_id, sum(b.capacity)::text AS booked FROM booking b
      WHERE b.node_id = ANY($1::text[]) AND NOT b.ended
        AND b.end_time > (SELECT extract(epoch FROM s.timestamp) FROM indexer_status s WHERE s.id = 'status')
      GROUP BY b.node_id`,
    [ids],
  )
  return new Map(rows.map((r) => [r.node_id, r.booked]))
}

export async function delegationEventsByDelegations(db: Db, ids: readonly string[]): Promise<Map<string, (StakingEventRow & { delegator: string })[]>> {
  const rows = await db.query<StakingEventRow & { delegator: string; delegationId: string }>(
    `SELECT id, kind, amount::text AS amount, node_id AS "nodeId", delegation_id AS "delegationId", delegator,
            block_number AS "blockNumber", timestamp, tx_hash AS "txHash"
       FROM delegation_event WHERE delegation_id = ANY($1::text[]) ORDER BY id`,
    [ids],
  )
  const out = new Map<string, (StakingEventRow & { delegator: string })[]>()
  for (const r of rows) {
    const list = out.get(r.delegationId) ?? []
    list.push(r)
    out.set(r.delegationId, list)
  }
  return out
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
