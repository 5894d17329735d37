/**
 * Supply state at blocks or instants: one statement for any number of points,
 * each an indexed lookup of the state block, its checkpoint and the
 * labelled wallets' balance-after rows.
 */
import type { Db } from './db'

export interface SupplyStateRow {
  ord: string
  height: number | null
  hash: string | null
  timestamp: Date | null
  totalSupply: string
  minted: string
  burned: string
  vestingBalance: string
  staked: string
  released: string
}

const STATE = `
  LEFT JOIN LATERAL (SELECT c.total_supply, c.minted, c.burned, c.vesting_balance, c.staked FROM supply_checkpoint c
    WHERE c.block_number <= b.height ORDER BY c.block_number DESC LIMIT 1) cp ON true
  LEFT JOIN LATERAL (SELECT sum(r.amount) AS released FROM tokens_release r WHERE r.block_number <= b.height) rel ON true`

const COLS = `p.ord::text AS ord, b.height, b.hash, b.timestamp,
  coalesce(cp.total_supply, 0)::text AS "totalSupply", coalesce(cp.minted, 0)::text AS minted, coalesce(cp.burned, 0)::text AS burned,
  coalesce(cp.vesting_balance, 0)::text AS "vestingBalance", coalesce(cp.staked, 0)::text AS staked, coalesce(rel.released, 0)::text AS released`

/** The first indexed block: where the indexed range starts. */
export async function firstBlock(db: Db): Promise<{ height: number; timestamp: Date } | undefined> {
  const rows = await db.query<{ height: number; timestamp: Date }>(`SELECT height, timestamp FROM block ORDER BY height LIMIT 1`)
  return rows[0]
}

/**
 * The state at each height (in the order given): the block's own header (every
 * header of the indexed range is stored), the latest checkpoint at or below it.
 * A height whose header is missing answers a row with a null height.
 */
export async function supplyAtHeights(db: Db, heights: number[]): Promise<SupplyStateRow[]> {
  return db.query<SupplyStateRow>(
    `SELECT ${COLS} FROM unnest($1::int[]) WITH ORDINALITY AS p(h, ord)
       LEFT JOIN block b ON b.height = p.h
       ${STATE} ORDER BY p.ord`,
    [heights],
  )
}

/** The state after the latest seen block whose time is at or before each instant. */
export async function supplyAtTimes(db: Db, times: Date[]): Promise<SupplyStateRow[]> {
  return db.query<SupplyStateRow>(
    `SELECT ${COLS} FROM unnest($1::timestamptz[]) WITH ORDINALITY AS p(t, ord)
       LEFT JOIN LATERAL (SELECT height, hash, timestamp FROM block WHERE timestamp <= p.t ORDER BY timestamp DESC, height DESC LIMIT 1) b ON true
       ${STATE} ORDER BY p.ord`,
    [times],
  )
}

export interface ScheduleTermsRow {
  id: string
  scheduleId: string
  category: string
  beneficiary: string
  total: string
  immediate: string
  start: string
  cliff: string
  duration: string
  curve: string[] | null
  released: string
  revokedAt: string | null
  unvestedReturned: string | null
  createdBlock: number
  revokedBlock: number | null
  contract: string
  revoked: boolean
  createdAt: Date
}

/** Every schedule with its terms (few: one per grant). */
export async function allSchedules(db: Db): Promise<ScheduleTermsRow[]> {
  return db.query<ScheduleTermsRow>(
    `SELECT s.id, s.schedule_id::text AS "scheduleId", s.category, s.beneficiary, s.total::text AS total, s.immediate::text AS immediate,
        s.start::text AS start, s.cliff::text AS cliff, s.duration::text AS duration, s.curve, s.released::text AS released,
        s.contract, s.revoked, s.created_at AS "createdAt", s.revoked_at::text AS "revokedAt", s.unvested_returned::text AS "unvestedReturned", s.created_block AS "createdBlock",
        (SELECT min(v.block_number) FROM vesting_revocation v WHERE v.schedule_id = s.id) AS "revokedBlock"
       FROM vesting_schedule s ORDER BY s.id`,
  )
}

export interface HolderStats {
  count: number
  top10: string
  top100: string
  top1000: string
}

const ZERO = '0x0000000000000000000000000000000000000000'

export async function holderStats(db: Db): Promise<HolderStats> {
  const [r] = await db.query<{ n: string; top10: string; top100: string; top1000: string }>(
    `SELECT (SELECT count(*) FROM account WHERE balance > 0 AND id <> $1)::text AS n,
        coalesce(sum(balance) FILTER (WHERE rank <= 10), 0)::text AS top10,
        coalesce(sum(balance) FILTER (WHERE rank <= 100), 0)::text AS top100,
        coalesce(sum(balance), 0)::text AS top1000
       FROM (SELECT balance, row_number() OVER (ORDER BY balance DESC, id DESC) AS rank
               FROM account WHERE balance > 0 AND id <> $1 ORDER BY balance DESC, id DESC LIMIT 1000) t`,
    [ZERO],
  )
  return { count: Number(r.n), top10: r.top10, top100: r.top100, top1000: r.top1000 }
}

/**
 * For each window (from, to], the ICNT transferred to `address` in it: what
 * the supply's bridge check sums (deposits into the L1 escrow, burns on the
 * L2), one statement for every window.
 */
export async function receivedInWindows(db: Db, address: string, windows: Array<{ from: Date; to: Date }>): Promise<bigint[]> {
  if (windows.length === 0) return []
  const rows = await db.query<{ ord: string; total: string }>(
    `SELECT w.ord::text AS ord, (SELECT coalesce(sum(t.value), 0) FROM transfer t WHERE t.to_id = $1 AND t.timestamp > w.f AND t.timestamp <= w.t)::text AS total
       FROM unnest($2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS w(f, t, ord) ORDER BY w.ord`,
    [address, windows.map((w) => w.from), windows.map((w) => w.to)],
  )
  return rows.map((r) => BigInt(r.total))
}

/**
 * Holders of the whole network: each address's balances summed over the
 * chains' account tables (qualified by their schemas, constant names from
 * the preset), without `escrow` (the L1 bridge: what it holds is held on the
 * L2). The largest `top` and the distribution.
 */
export async function networkHolders(db: Db, schemas: string[], escrow: string, top: number): Promise<HolderStats & { top: Array<{ id: string; balance: string }> }> {
  const union = schemas.map((s) => `SELECT id, balance FROM "${s}".account`).join(' UNION ALL ')
  const rows = await db.query<{ id: string | null; balance: string; n: string; top10: string; top100: string; top1000: string }>(
    `WITH h AS (SELECT id, sum(balance) AS balance FROM (${union}) a WHERE id <> $1 AND id <> $2 GROUP BY id HAVING sum(balance) > 0),
          r AS (SELECT id, balance, row_number() OVER (ORDER BY balance DESC, id DESC) AS rank FROM h ORDER BY balance DESC, id DESC LIMIT 1000)
     SELECT NULL AS id, '0' AS balance, (SELECT count(*) FROM h)::text AS n,
            coalesce(sum(balance) FILTER (WHERE rank <= 10), 0)::text AS top10, coalesce(sum(balance) FILTER (WHERE rank <= 100), 0)::text AS top100,
            coalesce(sum(balance), 0)::text AS top1000 FROM r
     UNION ALL SELECT id, balance::text, rank::text, '0', '0', '0' FROM r WHERE rank <= $3`,
    [ZERO, escrow, top],
  )
  const stats = rows.find((r) => r.id === null)!
  const list = rows.filter((r) => r.id !== null).sort((a, b) => Number(a.n) - Number(b.n))
  return { count: Number(stats.n), top10: stats.top10, top100: stats.top100, top1000: stats.top1000, top: list.map((r) => ({ id: r.id!, balance: r.balance })) }
}
