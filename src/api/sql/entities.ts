/** Batched lookups by id for the per-request DataLoaders. */
import { eventId } from '../../domain/ids'
import type { Db } from './db'
import { ACCOUNT_SELECT, AccountRow, DELEGATION_EVENT_SELECT, HYPERNODE_SELECT, HyperNodeRow, NODE_SELECT, NodeRow, StakingEventRow } from './lists'

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
    `SELECT ${DELEGATION_EVENT_SELECT} FROM delegation_event WHERE delegation_id = ANY($1::text[]) ORDER BY id`,
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

/** Balances of `addresses` after each height: rows (point, address, balance). */
export async function balancesAtHeights(db: Db, heights: number[], addresses: string[]): Promise<Map<number, Map<string, bigint>>> {
  const out = new Map<number, Map<string, bigint>>()
  if (addresses.length === 0 || heights.length === 0) return out
  const bounds = heights.map((h) => eventId(h, 999999))
  const rows = await db.query<{ ord: string; address: string; bal: string | null }>(
    `SELECT p.ord::text AS ord, a.address, (
        SELECT x.bal FROM (
          (SELECT t.id, t.from_balance_after AS bal FROM transfer t WHERE t.from_id = a.address AND t.id <= p.bound ORDER BY t.id DESC LIMIT 1)
          UNION ALL
          (SELECT t.id, t.to_balance_after FROM transfer t WHERE t.to_id = a.address AND t.id <= p.bound ORDER BY t.id DESC LIMIT 1)
        ) x ORDER BY x.id DESC LIMIT 1)::text AS bal
      FROM unnest($1::text[]) WITH ORDINALITY AS p(bound, ord) CROSS JOIN unnest($2::text[]) AS a(address)`,
    [bounds, addresses],
  )
  for (const r of rows) {
    const i = Number(r.ord) - 1
    let m = out.get(i)
    if (!m) out.set(i, (m = new Map()))
    m.set(r.address, BigInt(r.bal ?? '0'))
  }
  return out
}

/** An account's balance after the last transfer at or before `block`. */
export async function balanceAtBlock(db: Db, id: string, block: number): Promise<string> {
  return ((await balancesAtHeights(db, [block], [id])).get(0)?.get(id) ?? 0n).toString()
}
