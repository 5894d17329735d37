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
] as const satisfies readonly (keyof Facts)[]

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
  readonly inconsistencies: Inconsistency[] = []
  /** Running totals of minted and burned ICNT, carried from the last checkpoint before the batch. */
  minted = 0n
  burned = 0n
  status?: IndexerStatus

  /** The preset's SLA thresholds and quorum, which the era rollups apply. */
  constructor(readonly sla: SlaRules) {}

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
