/**
 * What the live feed (src/api/live/) reads: the index's head, which of the
 * heads it delivered are still indexed, and the event rows of a block range.
 * The feed runs these on its own connection inside one REPEATABLE READ
 * transaction per step, so every read of a step sees the same commit.
 */
import type { ClientBase, QueryResultRow } from 'pg'
import { pad } from '../../domain/ids'
import type { SlaAttestationRow, StakingEventRow, TransferRow } from './lists'
import { ATTESTATION_SELECT, DELEGATION_EVENT_SELECT, TRANSFER_SELECT } from './lists'

async function rows<R extends QueryResultRow>(c: ClientBase, sql: string, params: unknown[]): Promise<R[]> {
  return (await c.query<R>(sql, params)).rows
}

export interface Head {
  height: number
  hash: string
  timestamp: Date
}

/** The index's head: the last block of the last batch committed. */
export async function indexedHead(c: ClientBase): Promise<Head | undefined> {
  const r = await rows<Head>(c, `SELECT height, hash, timestamp FROM indexer_status WHERE id = $1`, ['status'])
  return r[0]
}

/**
 * The hash indexed at each of `heights` (the `block` table keeps the last
 * block of every batch, so every head the index ever had, until a rollback
 * removes it). A height missing from the map is no longer indexed.
 */
export async function indexedHashes(c: ClientBase, heights: readonly number[]): Promise<Map<number, string>> {
  const r = await rows<{ height: number; hash: string }>(c, `SELECT height, hash FROM block WHERE height = ANY($1::int[])`, [[...heights]])
  return new Map(r.map((b) => [b.height, b.hash]))
}

export type DelegationEventRow = StakingEventRow & { delegator: string }

export interface EventRows {
  transfers: TransferRow
  delegationEvents: DelegationEventRow
  slaAttestations: SlaAttestationRow
}
export type EventTopic = keyof EventRows

const SOURCE: Record<EventTopic, string> = {
  transfers: `SELECT ${TRANSFER_SELECT} FROM transfer`,
  delegationEvents: `SELECT ${DELEGATION_EVENT_SELECT} FROM delegation_event`,
  slaAttestations: `SELECT ${ATTESTATION_SELECT} FROM sla_attestation`,
}

/**
 * A position in a table's id order. Event ids start with their block number
 * zero-padded to 10 digits (`eventId` in src/domain/ids.ts), so a block
 * range is an id range: a primary-key scan, in chain order, whatever the
 * collation (a shorter prefix sorts before every id that extends it).
 */
export interface EventCursor {
  id: string
  /** Whether the row with id `id` itself is still to come. */
  inclusive: boolean
}

/** Every event of blocks above `height` is still to come. */
export function afterBlock(height: number): EventCursor {
  return { id: height < 0 ? '' : pad(height + 1, 10), inclusive: true }
}

/** The next `limit` events of a table from `cursor` on, up to block `toHeight`, in chain order. */
export async function eventsPage<K extends EventTopic>(c: ClientBase, topic: K, cursor: EventCursor, toHeight: number, limit: number): Promise<EventRows[K][]> {
  const from = cursor.inclusive ? 'id >= $1' : 'id > $1'
  return rows<EventRows[K]>(c, `${SOURCE[topic]} WHERE ${from} AND id < $2 ORDER BY id LIMIT $3`, [cursor.id, pad(toHeight + 1, 10), limit])
}
