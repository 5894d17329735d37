/**
 * What one batch changes, in memory: the current-state rows its events
 * touch (loaded before any event is applied) and the fact rows they push.
 * Handlers (src/mappings) read and change this; nothing here does I/O and
 * nothing outlives the batch. The writer (./writer.ts, ./tracked.ts) turns
 * it into rows.
 */
import { eraConsensus, packReports, SlaReport, SlaRules } from '../domain/sla'
import {
  Account,
  Block,
  Booking,
  BookingEvent,
  Delegation,
  DelegationEvent,
  Delegator,
  EntityVersion,
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

/** The current-state tables: rows upserted by id. */
export interface CurrentState {
  accounts: Map<string, Account>
  schedules: Map<string, VestingSchedule>
  nodes: Map<string, Node>
  delegations: Map<string, Delegation>
  delegators: Map<string, Delegator>
  bookings: Map<string, Booking>
  hyperNodes: Map<string, HyperNode>
  nodeEras: Map<string, NodeEra>
}

/** The insert-only tables: facts, each row written once. */
export interface Facts {
  blocks: Block[]
  transfers: Transfer[]
  releases: TokensRelease[]
  revocations: VestingRevocation[]
  statusChanges: NodeStatusChange[]
  capacityChanges: NodeCapacityChange[]
  slashes: Slash[]
  delegationEvents: DelegationEvent[]
  rewardClaims: RewardClaim[]
  bookingEvents: BookingEvent[]
  attestations: SlaAttestation[]
  violations: SlaViolation[]
  checkpoints: SupplyCheckpoint[]
  versions: EntityVersion[]
}

export const CURRENT_KEYS = ['accounts', 'schedules', 'nodes', 'delegations', 'delegators', 'bookings', 'hyperNodes', 'nodeEras'] as const satisfies readonly (keyof CurrentState)[]
export const FACT_KEYS = [
  'blocks',
  'transfers',
  'releases',
  'revocations',
  'statusChanges',
  'capacityChanges',
  'slashes',
  'delegationEvents',
  'rewardClaims',
  'bookingEvents',
  'attestations',
  'violations',
  'checkpoints',
  'versions',
] as const satisfies readonly (keyof Facts)[]

/**
 * The current-state maps whose rows keep a version per block that changes
 * them (EntityVersion), with their tables: what the API's block: arguments
 * answer from. Accounts are not among them (an account at a block is
 * computed from its transfers), nor delegators (not served) or node eras
 * (computed from the reports at the block).
 */
export const VERSIONED = { schedules: 'vesting_schedule', nodes: 'node', delegations: 'delegation', bookings: 'booking', hyperNodes: 'hyper_node' } as const
export type VersionedKey = keyof typeof VERSIONED

/** Each versioned row's node (parent) and account (owner), which never change: a list at a block under one of them reads only its versions. */
const VERSION_KEYS: Record<VersionedKey, (e: never) => { parent: string | null; owner: string | null }> = {
  schedules: (s: VestingSchedule) => ({ parent: null, owner: s.beneficiary }),
  nodes: (n: Node) => ({ parent: null, owner: n.hardwareProvider }),
  delegations: (d: Delegation) => ({ parent: d.nodeId, owner: d.delegator }),
  bookings: (b: Booking) => ({ parent: b.nodeId, owner: b.serviceProvider }),
  hyperNodes: (h: HyperNode) => ({ parent: null, owner: h.operator }),
}
const VERSIONED_KEYS = Object.keys(VERSIONED) as VersionedKey[]

const columnNames = new Map<string, string>()
/** A property's column name (the SDK's snake-case naming; the writer checks it against the DataSource's metadata at start). */
export function columnName(prop: string): string {
  let c = columnNames.get(prop)
  if (c === undefined) columnNames.set(prop, (c = prop.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`)))
  return c
}

/** A row's columns in Postgres's text input form (bigints and times as strings), keyed by column name in name order. */
export function versionState(e: object): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(e).sort()) {
    const v = (e as Record<string, unknown>)[k]
    out[columnName(k)] = typeof v === 'bigint' ? v.toString() : v instanceof Date ? v.toISOString() : Array.isArray(v) ? v.map((x) => (typeof x === 'bigint' ? x.toString() : x)) : (v ?? null)
  }
  return out
}

/** Where the chain stated a sum that the index's own arithmetic does not reach (e.g. a slash's losses). */
export interface Inconsistency {
  blockNumber: number
  logIndex: number
  what: string
}

export class BatchState implements CurrentState, Facts {
  readonly accounts = new Map<string, Account>()
  readonly schedules = new Map<string, VestingSchedule>()
  readonly nodes = new Map<string, Node>()
  readonly delegations = new Map<string, Delegation>()
  readonly delegators = new Map<string, Delegator>()
  readonly bookings = new Map<string, Booking>()
  readonly hyperNodes = new Map<string, HyperNode>()
  readonly nodeEras = new Map<string, NodeEra>()
  /** The reports of node-eras that got reports in this batch, unpacked: their consensus is computed once, before the write. */
  readonly eraReports = new Map<string, SlaReport[]>()

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
  readonly versions: EntityVersion[] = []
  readonly inconsistencies: Inconsistency[] = []
  /** Running totals of minted and burned ICNT, carried from the last checkpoint before the batch. */
  minted = 0n
  burned = 0n
  status?: IndexerStatus

  /** Versioned rows changed in the block being applied. */
  private readonly dirty = new Map<object, VersionedKey>()
  /** Each versioned row's state as loaded, then as of its latest version (JSON): what checkVersions holds the rows to. */
  private readonly known = new Map<object, string>()

  /** The preset's SLA thresholds and quorum, which the era rollups apply. */
  constructor(readonly sla: SlaRules) {}

  /** A handler changed (or created) a versioned row in the current block. */
  touch(key: VersionedKey, e: { id: string }): void {
    this.dirty.set(e, key)
  }

  /** After loading: the versioned rows' state as Postgres has it. */
  recordLoaded(): void {
    for (const key of VERSIONED_KEYS) for (const e of this[key].values()) this.known.set(e, JSON.stringify(versionState(e)))
  }

  /** The end of a block's events: a version of every row its handlers touched. */
  endBlock(height: number): void {
    for (const [e, key] of this.dirty) {
      const state = versionState(e)
      const id = (e as { id: string }).id
      this.versions.push(new EntityVersion({ id: `${VERSIONED[key]}-${id}-${String(height).padStart(10, '0')}`, entity: VERSIONED[key], entityId: id, block: height, ...VERSION_KEYS[key](e as never), state }))
      this.known.set(e, JSON.stringify(state))
    }
    this.dirty.clear()
  }

  /**
   * Fails closed: every versioned row must be as loaded or as its latest
   * version. A row changed without touch() (a handler's bug) would make the
   * API's answers at past blocks wrong; it stops the indexer instead, the
   * batch uncommitted.
   */
  checkVersions(): void {
    if (this.dirty.size) throw new Error('checkVersions before endBlock: rows of an unfinished block')
    for (const key of VERSIONED_KEYS) {
      for (const e of this[key].values()) {
        const now = JSON.stringify(versionState(e))
        if (this.known.get(e) !== now) throw new Error(`${key} ${e.id} changed without a version (a handler did not call touch()): ${now.slice(0, 300)}`)
      }
    }
  }

  /** Each reported node-era's consensus from its latest reports (src/domain/sla.ts), and the reports packed into its row. */
  rollUpEras(): void {
    for (const [id, reports] of this.eraReports) {
      const ne = this.nodeEras.get(id)!
      const { hyperNodes, values } = packReports(reports)
      Object.assign(ne, eraConsensus(reports, this.sla), { reportHyperNodes: hyperNodes, reportValues: values })
    }
    this.eraReports.clear()
  }
}
