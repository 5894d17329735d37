import { In } from 'typeorm'
import { Store } from '@subsquid/typeorm-store'
import { insertRows, upsertRows } from '../db/bulk'
import { eraConsensus, SlaReport, SlaRules } from '../domain/sla'
import {
  Account,
  Block,
  Booking,
  BookingEvent,
  Delegation,
  DelegationEvent,
  Delegator,
  HyperNode,
  IndexerStatus,
  Node,
  NodeCapacityChange,
  NodeEra,
  NodeStatusChange,
  RewardClaim,
  SlaAttestation,
  SlaViolation,
  Slash,
  SupplyCheckpoint,
  TokensRelease,
  Transfer,
  VestingRevocation,
  VestingSchedule,
} from '../model'

/** Ids of the current-state rows a batch's events touch, collected before any is applied. */
export class TouchedIds {
  readonly accounts = new Set<string>()
  readonly schedules = new Set<string>()
  readonly nodes = new Set<string>()
  /** Nodes whose open positions a slash changes: every such position is loaded. */
  readonly slashedNodes = new Set<string>()
  readonly delegations = new Set<string>()
  readonly delegators = new Set<string>()
  readonly bookings = new Set<string>()
  readonly hyperNodes = new Set<string>()
  readonly nodeEras = new Set<string>()
}

/**
 * Everything one batch changes. Handlers read and change these maps and push
 * event rows; nothing here outlives the batch, and only `flush` writes.
 */
export class BatchState {
  readonly accounts = new Map<string, Account>()
  readonly schedules = new Map<string, VestingSchedule>()
  readonly nodes = new Map<string, Node>()
  readonly delegations = new Map<string, Delegation>()
  readonly delegators = new Map<string, Delegator>()
  readonly bookings = new Map<string, Booking>()
  readonly hyperNodes = new Map<string, HyperNode>()
  readonly nodeEras = new Map<string, NodeEra>()
  /** Node-eras that got reports in this batch: their consensus is computed once, before the flush. */
  readonly erasToRollUp = new Set<string>()

  readonly blocks: Block[] = []
  readonly transfers: Transfer[] = []
  readonly releases: TokensRelease[] = []
  readonly revocations: VestingRevocation[] = []
  readonly statusChanges: NodeStatusChange[] = []
  readonly capacityChanges: NodeCapacityChange[] = []
  readonly slashes: Slash[] = []
  readonly delegationEvents: DelegationEvent[] = []
  readonly rewardClaims: RewardClaim[] = []
  readonly bookingEvents: BookingEvent[] = []
  readonly attestations: SlaAttestation[] = []
  readonly violations: SlaViolation[] = []
  readonly checkpoints: SupplyCheckpoint[] = []
  /** The latest checkpoint before this batch (carries minted and burned forward). */
  lastCheckpoint?: SupplyCheckpoint
  /** Running totals of minted and burned ICNT, carried from the last checkpoint. */
  minted = 0n
  burned = 0n
  status?: IndexerStatus

  /** The preset's SLA thresholds and quorum, which the era rollups apply. */
  constructor(readonly sla: SlaRules) {}

  /** Loads every current-state row the batch's events touch: one query per entity type. */
  async load(store: Store, ids: TouchedIds): Promise<void> {
    const put = <E extends { id: string }>(map: Map<string, E>, rows: E[]) => {
      for (const r of rows) if (!map.has(r.id)) map.set(r.id, r)
    }
    const many = (s: Set<string>) => [...s]
    if (ids.accounts.size) put(this.accounts, await store.findBy(Account, { id: In(many(ids.accounts)) }))
    if (ids.schedules.size) put(this.schedules, await store.findBy(VestingSchedule, { id: In(many(ids.schedules)) }))
    if (ids.bookings.size) {
      put(this.bookings, await store.findBy(Booking, { id: In(many(ids.bookings)) }))
      for (const b of this.bookings.values()) ids.nodes.add(b.nodeId)
    }
    if (ids.delegations.size) {
      put(this.delegations, await store.findBy(Delegation, { id: In(many(ids.delegations)) }))
      for (const d of this.delegations.values()) ids.nodes.add(d.nodeId)
    }
    if (ids.slashedNodes.size) {
      put(this.delegations, await store.findBy(Delegation, { nodeId: In(many(ids.slashedNodes)), status: In(['ACTIVE', 'UNDELEGATED']) }))
    }
    if (ids.nodes.size) put(this.nodes, await store.findBy(Node, { id: In(many(ids.nodes)) }))
    if (ids.delegators.size) put(this.delegators, await store.findBy(Delegator, { id: In(many(ids.delegators)) }))
    if (ids.hyperNodes.size) put(this.hyperNodes, await store.findBy(HyperNode, { id: In(many(ids.hyperNodes)) }))
    if (ids.nodeEras.size) put(this.nodeEras, await store.findBy(NodeEra, { id: In(many(ids.nodeEras)) }))
    this.lastCheckpoint = await store.findOne(SupplyCheckpoint, { where: {}, order: { blockNumber: 'DESC' } })
    this.minted = this.lastCheckpoint?.minted ?? 0n
    this.burned = this.lastCheckpoint?.burned ?? 0n
  }

  /** Each reported node-era's consensus from its latest reports (src/domain/sla.ts). */
  rollUpEras(): void {
    for (const id of this.erasToRollUp) {
      const ne = this.nodeEras.get(id)!
      Object.assign(ne, eraConsensus(ne.reports as SlaReport[], this.sla))
    }
    this.erasToRollUp.clear()
  }

  /** Writes the batch: facts are inserted, current state upserted, then the status row. */
  async flush(store: Store): Promise<void> {
    this.rollUpEras()
    // Insert-only facts (block headers upserted: the last block of a batch may come again after a restart).
    if (this.blocks.length) await upsertRows(store, this.blocks)
    await insertAll(store, this.transfers)
    await insertAll(store, this.releases)
    await insertAll(store, this.revocations)
    await insertAll(store, this.statusChanges)
    await insertAll(store, this.capacityChanges)
    await insertAll(store, this.slashes)
    await insertAll(store, this.delegationEvents)
    await insertAll(store, this.rewardClaims)
    await insertAll(store, this.bookingEvents)
    await insertAll(store, this.attestations)
    await insertAll(store, this.violations)
    await insertAll(store, this.checkpoints)
    // Current state.
    await upsertAll(store, this.accounts)
    await upsertAll(store, this.schedules)
    await upsertAll(store, this.nodes)
    await upsertAll(store, this.delegations)
    await upsertAll(store, this.delegators)
    await upsertAll(store, this.bookings)
    await upsertAll(store, this.hyperNodes)
    await upsertAll(store, this.nodeEras)
    if (this.status) await store.upsert(this.status)
  }
}

async function insertAll<E extends { id: string }>(store: Store, rows: E[]): Promise<void> {
  if (rows.length > 0) await insertRows(store, rows)
}

async function upsertAll<E extends { id: string }>(store: Store, map: Map<string, E>): Promise<void> {
  if (map.size > 0) await upsertRows(store, [...map.values()])
}
