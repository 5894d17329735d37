/**
 * The final write path: batches of final blocks, written by this project's
 * own transaction (./database.ts) instead of the SDK's Store.
 *
 * The processor hands over batches of 10 blocks; writing each in its own
 * transaction would cost a commit, a status update and a round of upserts
 * per 10 blocks. So batches are merged into a Group, written as one
 * transaction once the group is large enough (or at the chain head), while
 * the next batches are already decoded and applied. A batch reads what it
 * touches from the groups not yet committed first (the newest version of a
 * row), then from Postgres: a row a pending group touched is always in that
 * group, so what Postgres answers for any other row is its latest value.
 */
import type { HashAndHeight } from '@subsquid/util-internal-processor-tools'
import { Delegation, IndexerStatus, SupplyCheckpoint } from '../model'
import { BatchState, CURRENT_KEYS, CurrentState, FACT_KEYS, Facts } from './state'
import type { BatchStore, Entity, EntityClass } from './store'
import type { Table, Tables } from './tables'

/** The current-state map that holds each entity class's rows. */
const CURRENT_KEY_OF: Record<string, keyof CurrentState> = {
  Account: 'accounts',
  VestingSchedule: 'schedules',
  Node: 'nodes',
  Delegation: 'delegations',
  Delegator: 'delegators',
  Booking: 'bookings',
  HyperNode: 'hyperNodes',
  NodeEra: 'nodeEras',
}

/** The entity class of each fact list, by name (for its Table). */
const FACT_ENTITY: Record<keyof Facts, string> = {
  blocks: 'Block',
  transfers: 'Transfer',
  releases: 'TokensRelease',
  revocations: 'VestingRevocation',
  statusChanges: 'NodeStatusChange',
  capacityChanges: 'NodeCapacityChange',
  slashes: 'Slash',
  delegationEvents: 'DelegationEvent',
  rewardClaims: 'RewardClaim',
  bookingEvents: 'BookingEvent',
  attestations: 'SlaAttestation',
  violations: 'SlaViolation',
  checkpoints: 'SupplyCheckpoint',
  versions: 'EntityVersion',
}

function emptyCurrent(): CurrentState {
  return { accounts: new Map(), schedules: new Map(), nodes: new Map(), delegations: new Map(), delegators: new Map(), bookings: new Map(), hyperNodes: new Map(), nodeEras: new Map() }
}

/** Consecutive final batches, written together in one transaction. */
export class Group {
  readonly current = emptyCurrent()
  /**
   * Fact rows as COPY text, encoded as each batch is merged: facts never
   * change, and a row object that dies with its batch costs the garbage
   * collector far less than one kept until the commit.
   */
  readonly copies = new Map<keyof Facts, CopyStep>()
  status?: IndexerStatus
  lastCheckpoint?: SupplyCheckpoint
  /** The database's head before the group, and the group's last block. */
  next: HashAndHeight
  batches = 0
  rows = 0
  /** Wall time the group was opened (when to commit it, never what it holds). */
  readonly openedAt = Date.now()

  constructor(
    readonly prev: HashAndHeight,
    private readonly tables: Tables,
  ) {
    this.next = prev
  }

  /** Adds a batch's rows: facts encoded and appended, current state replaced by the newer version. */
  merge(state: BatchState): void {
    for (const key of FACT_KEYS) {
      const rows: Entity[] = state[key]
      if (rows.length === 0) continue
      let step = this.copies.get(key)
      if (!step) {
        const t = this.tables.of({ name: FACT_ENTITY[key] })
        this.copies.set(key, (step = { table: t.name, sql: t.copySql, text: [], rows: 0 }))
      }
      step.text.push(this.tables.of({ name: FACT_ENTITY[key] }).copyText(rows))
      step.rows += rows.length
      this.rows += rows.length
    }
    for (const key of CURRENT_KEYS) {
      const into = this.current[key] as Map<string, Entity>
      for (const [id, row] of state[key] as Map<string, Entity>) into.set(id, row)
    }
    if (state.checkpoints.length) this.lastCheckpoint = state.checkpoints[state.checkpoints.length - 1]
    if (state.status) this.status = state.status
  }
}

/** One COPY of an insert-only table. */
export interface CopyStep {
  table: string
  sql: string
  /** COPY text, a chunk per batch. */
  text: string[]
  rows: number
}

/** One set-based upsert of a current-state table. */
export interface UpsertStep {
  table: string
  sql: string
  params: (string | null)[][]
  rows: number
}

/** A group turned into statements; the current state all at once, at the commit: later batches may change the same row objects. */
export interface Payload {
  copies: CopyStep[]
  upserts: UpsertStep[]
  rows: number
}

export function encodeGroup(g: Group, tables: Tables): Payload {
  const copies = FACT_KEYS.map((k) => g.copies.get(k)).filter((c): c is CopyStep => c !== undefined)
  const upserts: UpsertStep[] = []
  const upsert = (t: Table, rows: Entity[]) => upserts.push({ table: t.name, sql: t.upsertSql, params: t.upsertParams(rows), rows: rows.length })
  for (const [name, key] of Object.entries(CURRENT_KEY_OF)) {
    const rows = [...(g.current[key] as Map<string, Entity>).values()]
    if (rows.length) upsert(tables.of({ name }), rows)
  }
  if (g.status) upsert(tables.of(IndexerStatus), [g.status])
  const rows = copies.reduce((n, c) => n + c.rows, 0) + upserts.reduce((n, u) => n + u.rows, 0)
  return { copies, upserts, rows }
}

/** Runs a read on committed state (outside any open transaction). */
export type Reader = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>

/**
 * The store a final batch sees: reads through the groups not yet committed
 * (newest first), then Postgres; its write adds the batch to the open group.
 */
export class FinalStore implements BatchStore {
  readonly path = 'final' as const
  private written = false

  /** `overlay`: the open group first, then the one being committed, if any. */
  constructor(
    private readonly read: Reader,
    private readonly tables: Tables,
    private readonly overlay: readonly Group[],
  ) {}

  get wrote(): boolean {
    return this.written
  }

  async byIds<E extends Entity>(cls: EntityClass<E>, ids: readonly string[]): Promise<E[]> {
    const key = CURRENT_KEY_OF[cls.name]
    if (!key) throw new Error(`${cls.name} is not a current-state entity`)
    const found: E[] = []
    const rest: string[] = []
    for (const id of ids) {
      let row: Entity | undefined
      for (const g of this.overlay) {
        row = (g.current[key] as Map<string, Entity>).get(id)
        if (row) break
      }
      if (row) found.push(row as E)
      else rest.push(id)
    }
    if (rest.length) {
      const t = this.tables.of(cls)
      const rows = await this.read(t.byIdsSql, [rest])
      for (const r of rows) found.push(t.hydrate(cls, r))
    }
    return found
  }

  async openDelegations(nodeIds: readonly string[]): Promise<Delegation[]> {
    const t = this.tables.of(Delegation)
    const rows = await this.read(`SELECT ${t.columns.map((c) => `"${c.name}"`).join(', ')} FROM "${t.name}" WHERE "node_id" = ANY($1::text[]) AND "status" IN ('ACTIVE', 'UNDELEGATED')`, [[...nodeIds]])
    const byId = new Map<string, Delegation>()
    for (const r of rows) {
      const d = t.hydrate(Delegation, r)
      byId.set(d.id, d)
    }
    // Newer versions (and positions created since the last commit) come from the groups, oldest group first.
    const nodes = new Set(nodeIds)
    for (let i = this.overlay.length - 1; i >= 0; i--) {
      for (const d of this.overlay[i].current.delegations.values()) if (nodes.has(d.nodeId)) byId.set(d.id, d)
    }
    return [...byId.values()].filter((d) => d.status === 'ACTIVE' || d.status === 'UNDELEGATED')
  }

  async lastCheckpoint(): Promise<SupplyCheckpoint | undefined> {
    for (const g of this.overlay) if (g.lastCheckpoint) return g.lastCheckpoint
    const t = this.tables.of(SupplyCheckpoint)
    const rows = await this.read(`SELECT ${t.columns.map((c) => `"${c.name}"`).join(', ')} FROM "${t.name}" ORDER BY "block_number" DESC LIMIT 1`, [])
    return rows[0] ? t.hydrate(SupplyCheckpoint, rows[0]) : undefined
  }

  async status(): Promise<IndexerStatus | undefined> {
    for (const g of this.overlay) if (g.status) return g.status
    const t = this.tables.of(IndexerStatus)
    const rows = await this.read(t.byIdsSql, [['status']])
    return rows[0] ? t.hydrate(IndexerStatus, rows[0]) : undefined
  }

  write(state: BatchState): Promise<void> {
    if (this.written) throw new Error('a batch writes once')
    this.written = true
    this.overlay[0].merge(state)
    return Promise.resolve()
  }
}
