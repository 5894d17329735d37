/** Batched lookups by id for the per-request DataLoaders. */
import { eventId } from '../../domain/ids'
import type { Db } from './db'
import { Params } from './list'
import { ACCOUNT_SELECT, AccountRow, DELEGATION_EVENT_SELECT, HYPERNODE_SELECT, HyperNodeRow, NODE_SELECT, NodeRow, StakingEventRow, VersionedTable, versionsAt } from './lists'

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

/** Rows grouped by their position, in the order given. */
function byDelegation(rows: (StakingEventRow & { delegator: string; delegationId: string })[]): Map<string, (StakingEventRow & { delegator: string })[]> {
  const out = new Map<string, (StakingEventRow & { delegator: string })[]>()
  for (const r of rows) {
    const list = out.get(r.delegationId) ?? []
    list.push(r)
    out.set(r.delegationId, list)
  }
  return out
}

export async function delegationEventsByDelegations(db: Db, ids: readonly string[]): Promise<Map<string, (StakingEventRow & { delegator: string })[]>> {
  const rows = await db.query<StakingEventRow & { delegator: string; delegationId: string }>(
    `SELECT ${DELEGATION_EVENT_SELECT} FROM delegation_event WHERE delegation_id = ANY($1::text[]) ORDER BY id`,
    [ids],
  )
  return byDelegation(rows)
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

// ------------------------------------------------------------------ at a past block

/** Versioned rows with these ids as they stood after block `height`. */
async function versionedByIds<R extends { id: string }>(db: Db, table: VersionedTable, select: string, ids: readonly string[], height: number): Promise<Map<string, R>> {
  const p = new Params()
  const idsPh = p.add([...ids], 'text[]')
  return keyed(await db.query<R>(`SELECT ${select} FROM ${versionsAt(table, p, height, `v.entity_id = ANY(${idsPh})`)}`, p.values))
}

export const nodesAt = (db: Db, ids: readonly string[], height: number) => versionedByIds<NodeRow>(db, 'node', NODE_SELECT, ids, height)
export const hyperNodesAt = (db: Db, ids: readonly string[], height: number) => versionedByIds<HyperNodeRow>(db, 'hyper_node', HYPERNODE_SELECT, ids, height)

/**
 * Accounts as they stood after block `height`, from their transfers up to
 * it (accounts keep no versions: every change of one is a transfer). An
 * address with no transfer by then is absent.
 */
export async function accountsAt(db: Db, ids: readonly string[], height: number): Promise<Map<string, AccountRow>> {
  const rows = await db.query<AccountRow & { seen: number | null }>(
    `SELECT a.id, coalesce(b.bal, 0)::text AS balance, i.n AS "transfersIn", o.n AS "transfersOut",
        least(f1.block_number, f2.block_number) AS "firstSeenBlock", greatest(l1.block_number, l2.block_number) AS "lastActiveBlock"
      FROM unnest($1::text[]) AS a(id)
      CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM transfer t WHERE t.to_id = a.id AND t.id <= $2) i
      CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM transfer t WHERE t.from_id = a.id AND t.id <= $2) o
      LEFT JOIN LATERAL (SELECT t.block_number FROM transfer t WHERE t.from_id = a.id ORDER BY t.id LIMIT 1) f1 ON true
      LEFT JOIN LATERAL (SELECT t.block_number FROM transfer t WHERE t.to_id = a.id ORDER BY t.id LIMIT 1) f2 ON true
      LEFT JOIN LATERAL (SELECT t.id, t.block_number, t.from_balance_after AS bal FROM transfer t WHERE t.from_id = a.id AND t.id <= $2 ORDER BY t.id DESC LIMIT 1) l1 ON true
      LEFT JOIN LATERAL (SELECT t.id, t.block_number, t.to_balance_after AS bal FROM transfer t WHERE t.to_id = a.id AND t.id <= $2 ORDER BY t.id DESC LIMIT 1) l2 ON true
      CROSS JOIN LATERAL (SELECT CASE WHEN l2.id IS NULL OR (l1.id IS NOT NULL AND l1.id > l2.id) THEN l1.bal ELSE l2.bal END AS bal) b
      WHERE l1.id IS NOT NULL OR l2.id IS NOT NULL`,
    [ids, eventId(height, 999999)],
  )
  return keyed(rows)
}

/** Capacity of each node's bookings active at block `at` (its own time), as the bookings stood then. */
export async function bookedCapacityAt(db: Db, ids: readonly string[], at: { height: number; timestamp: Date }): Promise<Map<string, string>> {
  const p = new Params()
  const idsPh = p.add([...ids], 'text[]')
  const src = versionsAt('booking', p, at.height, `v.parent = ANY(${idsPh})`)
  const rows = await db.query<{ node_id: string; booked: string }>(
    `SELECT booking.node_id, sum(booking.capacity)::text AS booked FROM ${src}
      WHERE NOT booking.ended AND booking.end_time > ${p.add(Math.floor(at.timestamp.getTime() / 1000), 'numeric')} GROUP BY booking.node_id`,
    p.values,
  )
  return new Map(rows.map((r) => [r.node_id, r.booked]))
}

/** Each position's events up to block `height`. */
export async function delegationEventsAt(db: Db, ids: readonly string[], height: number): Promise<Map<string, (StakingEventRow & { delegator: string })[]>> {
  const rows = await db.query<StakingEventRow & { delegator: string; delegationId: string }>(
    `SELECT ${DELEGATION_EVENT_SELECT} FROM delegation_event WHERE delegation_id = ANY($1::text[]) AND block_number <= $2 ORDER BY id`,
    [ids, height],
  )
  return byDelegation(rows)
}

/** A block's header by height, or the last block at or before an instant. */
export async function blockByHeight(db: Db, height: number): Promise<{ height: number; hash: string; timestamp: Date } | undefined> {
  return (await db.query<{ height: number; hash: string; timestamp: Date }>(`SELECT height, hash, timestamp FROM block WHERE height = $1`, [height]))[0]
}

export async function blockAtTime(db: Db, t: Date): Promise<{ height: number; hash: string; timestamp: Date } | undefined> {
  return (await db.query<{ height: number; hash: string; timestamp: Date }>(`SELECT height, hash, timestamp FROM block WHERE timestamp <= $1 ORDER BY timestamp DESC, height DESC LIMIT 1`, [t]))[0]
}
