/** The public GraphQL schema: written for explorers, analysts and wallets. */
const page = `first: Int, after: String, last: Int, before: String`

export const typeDefs = /* GraphQL */ `
  "An integer of any size as a decimal string; amounts are in wei (1 ICNT = 10^18 wei)."
  scalar BigInt
  "An instant as an ISO 8601 string (UTC)."
  scalar DateTime

  type Query {
    "Where the index stands."
    _meta: Meta!
    "An ICNT holder by address (any letter case); with \`block\`, as it stood after that block (null if it had no transfer by then)."
    account(id: String!, block: BlockAt): Account
    "Holders, largest balance first by default (the zero address is not a holder)."
    accounts(${page}, filter: AccountFilter, orderBy: AccountOrder = BALANCE_DESC): AccountConnection!
    "Every ICNT transfer (mints come from and burns go to the zero address)."
    transfers(${page}, filter: TransferFilter, orderBy: ChainOrder = NEWEST_FIRST): TransferConnection!
    "A scaler node by its on-chain id; with \`block\`, as it stood after that block (null if not registered by then)."
    node(id: ID!, block: BlockAt): Node
    "Scaler nodes; with \`block\`, as they stood after that block (filters and order apply to that state)."
    nodes(${page}, filter: NodeFilter, orderBy: NodeOrder = ID, block: BlockAt): NodeConnection!
    "Delegation positions; with \`block\`, as they stood after that block."
    delegations(${page}, filter: DelegationFilter, orderBy: DelegationOrder = NEWEST_FIRST, block: BlockAt): DelegationConnection!
    "Vesting schedules; with \`block\`, as they stood after that block."
    vestingSchedules(${page}, filter: VestingScheduleFilter, block: BlockAt): VestingScheduleConnection!
    "Capacity bookings; with \`block\`, as they stood after that block."
    bookings(${page}, filter: BookingFilter, orderBy: BookingOrder = NEWEST_FIRST, block: BlockAt): BookingConnection!
    "HyperNodes; with \`block\`, as they stood after that block."
    hyperNodes(${page}, filter: HyperNodeFilter, block: BlockAt): HyperNodeConnection!
    "Every HyperNode report (SlaAttested)."
    slaAttestations(${page}, filter: SlaAttestationFilter, orderBy: ChainOrder = NEWEST_FIRST): SlaAttestationConnection!
    "A wallet's staking history: every delegation event, reward claim and slash that touched it, in chain order."
    stakingHistory(account: String!, ${page}, filter: StakingHistoryFilter, orderBy: ChainOrder = NEWEST_FIRST): StakingEventConnection!
  }

  """
  A block of the indexed range to answer at (exactly one field): its number,
  or an instant (the last block at or before it). Every field and nested list
  of an entity asked at a block answers at that block, and the cursors of its
  lists are refused at any other. Outside the indexed range: BAD_USER_INPUT
  with \`extensions.indexedRange\`.
  """
  input BlockAt {
    number: Int
    timestamp: DateTime
  }

  type Meta {
    "Latest indexed block (hot or final)."
    height: Int
    hash: String
    "Block time of the indexed head, ISO 8601."
    timestamp: String
    finalizedHeight: Int
    "The chain head as last seen by the indexer."
    chainHead: Int
    "chainHead - height."
    lag: Int
    "Logs whose topic is a spec event but whose data does not decode, and events that name what the index never saw (counted, never fatal)."
    undecodedLogs: Int!
    "Events whose sums stated on chain the index does not reach (e.g. a slash whose positions lose other than its delegatorAmount); logged by the indexer."
    inconsistencies: Int!
    "True when some logs at watched addresses could not be decoded or applied, or an inconsistency was found (unknown events are not errors)."
    hasErrors: Boolean!
    "Logs at watched addresses whose topic is none of the spec's events (OpenZeppelin's ownership, proxy and role events, ...): skipped, counted per address and topic. Not an error."
    unknownEvents: [UnknownEvents!]!
    "What makes the figures suspect without stopping the indexer (a start block after the token's deployment; at the head, no Transfer that minted anything); /readyz answers 503 while there is one."
    warnings: [IndexWarning!]!
  }

  type IndexWarning {
    "START_AFTER_DEPLOYMENT or NO_TRANSFERS."
    code: String!
    message: String!
  }

  "Logs at one watched address with one topic that is none of the spec's events."
  type UnknownEvents {
    address: String!
    "topic0, or null for a log with no topics."
    topic: String
    count: Int!
    firstBlock: Int!
    lastBlock: Int!
  }

  enum ChainOrder {
    NEWEST_FIRST
    OLDEST_FIRST
  }

  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  # ------------------------------------------------------------ accounts and transfers

  type Account {
    id: String!
    "Balance in wei at the indexed head (or at the block the account was asked at), or after block \`block\`."
    balance(block: Int): BigInt!
    "The same balance as a decimal number of ICNT."
    balanceFormatted(block: Int): String!
    transfersIn: Int!
    transfersOut: Int!
    firstSeenBlock: Int!
    lastActiveBlock: Int!
    "Transfers in or out of this account."
    transfers(${page}, filter: TransferFilter, orderBy: ChainOrder = NEWEST_FIRST): TransferConnection!
    "Positions this account delegated."
    delegations(${page}, filter: DelegationFilter, orderBy: DelegationOrder = NEWEST_FIRST): DelegationConnection!
    "Vesting schedules this account is the beneficiary of."
    vestingSchedules(${page}): VestingScheduleConnection!
    "Bookings this account made as a service provider."
    bookings(${page}, orderBy: BookingOrder = NEWEST_FIRST): BookingConnection!
    "Nodes this account provides."
    nodes(${page}): NodeConnection!
    "Every delegation event, reward claim and slash that touched this account."
    stakingHistory(${page}, filter: StakingHistoryFilter, orderBy: ChainOrder = NEWEST_FIRST): StakingEventConnection!
  }

  enum AccountOrder {
    BALANCE_DESC
    BALANCE_ASC
    ADDRESS
  }

  input AccountFilter {
    minBalance: BigInt
    maxBalance: BigInt
  }

  type AccountEdge {
    cursor: String!
    node: Account!
  }

  type AccountConnection {
    edges: [AccountEdge!]!
    nodes: [Account!]!
    pageInfo: PageInfo!
    "Rows matching the filter (counted only when asked for)."
    totalCount: Int!
  }

  type Transfer {
    id: ID!
    blockNumber: Int!
    blockHash: String!
    timestamp: DateTime!
    txHash: String!
    logIndex: Int!
    from: String!
    to: String!
    fromAccount: Account!
    toAccount: Account!
    value: BigInt!
    valueFormatted: String!
    fromBalanceAfter: BigInt!
    toBalanceAfter: BigInt!
  }

  input TransferFilter {
    "Either side."
    account: String
    from: String
    to: String
    blockFrom: Int
    blockTo: Int
    timeFrom: DateTime
    timeTo: DateTime
    minValue: BigInt
    maxValue: BigInt
  }

  type TransferEdge {
    cursor: String!
    node: Transfer!
  }

  type TransferConnection {
    edges: [TransferEdge!]!
    nodes: [Transfer!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  # ------------------------------------------------------------ nodes

  enum NodeStatus {
    REGISTERED
    VALIDATED
    REJECTED
    REMOVED
  }

  type Node {
    "The on-chain node id."
    id: ID!
    hardwareProvider: Account!
    region: String!
    hwClass: String!
    status: NodeStatus!
    "In the hardware class's unit (TB for storage)."
    totalCapacity: BigInt!
    "Capacity of bookings active at the indexed head's block time (or at the time of the block the node was asked at)."
    bookedCapacity: BigInt!
    collateralRegistered: BigInt!
    "Registered collateral minus provider slashes."
    collateral: BigInt!
    "Unix seconds."
    commitmentEnd: BigInt!
    "Positions not yet reclaimed (undelegated ones still count)."
    delegatedStake: BigInt!
    activePositions: Int!
    delegationCount: Int!
    "Gross booking revenue (prices plus extensions)."
    revenue: BigInt!
    bookingCount: Int!
    slashedProvider: BigInt!
    slashedDelegators: BigInt!
    slashCount: Int!
    violationCount: Int!
    registeredBlock: Int!
    registeredAt: DateTime!
    delegations(${page}, filter: DelegationFilter, orderBy: DelegationOrder = NEWEST_FIRST): DelegationConnection!
    bookings(${page}, filter: BookingFilter, orderBy: BookingOrder = NEWEST_FIRST): BookingConnection!
    "The latest eras' SLA consensus, newest first."
    eras(${page}): NodeEraConnection!
  }

  enum NodeOrder {
    ID
    NEWEST_FIRST
    DELEGATED_STAKE_DESC
    CAPACITY_DESC
    REVENUE_DESC
  }

  input NodeFilter {
    status: NodeStatus
    region: String
    hwClass: String
    hardwareProvider: String
    minDelegatedStake: BigInt
  }

  type NodeEdge {
    cursor: String!
    node: Node!
  }

  type NodeConnection {
    edges: [NodeEdge!]!
    nodes: [Node!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  enum SlaMetric {
    UPTIME
    LATENCY
    CHALLENGES
  }

  "A node's SLA consensus for one era (median of its HyperNodes' latest reports)."
  type NodeEra {
    era: Int!
    reportCount: Int!
    quorum: Boolean!
    uptimeBps: Float!
    latencyMs: Float!
    challengePassRate: Float!
    meetsSla: Boolean!
    failedMetrics: [SlaMetric!]!
  }

  type NodeEraEdge {
    cursor: String!
    node: NodeEra!
  }

  type NodeEraConnection {
    edges: [NodeEraEdge!]!
    nodes: [NodeEra!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  # ------------------------------------------------------------ delegations

  enum DelegationStatus {
    ACTIVE
    UNDELEGATED
    RECLAIMED
    WITHDRAWN
  }

  "Which event created a position: CollateralDelegated (V1), CollateralDelegatedV2 or DelegationCreated."
  enum DelegationCreatedVia {
    V1
    V2
    CREATED
  }

  type Delegation {
    "delegator-lockedDelegationIndex"
    id: ID!
    delegator: Account!
    lockedDelegationIndex: Int!
    node: Node!
    nodeDelegationIndex: Int!
    createdVia: DelegationCreatedVia!
    initialAmount: BigInt!
    "Initial minus slashes minus withdrawals."
    amount: BigInt!
    amountFormatted: String!
    slashed: BigInt!
    withdrawn: BigInt!
    apyScalingFactor: BigInt!
    "Unix seconds."
    unlockTimestamp: BigInt!
    status: DelegationStatus!
    createdBlock: Int!
    createdAt: DateTime!
    undelegatedBlock: Int
    reclaimedBlock: Int
    "The position's events, oldest first."
    events: [DelegationEvent!]!
  }

  enum DelegationOrder {
    NEWEST_FIRST
    OLDEST_FIRST
    AMOUNT_DESC
  }

  input DelegationFilter {
    delegator: String
    nodeId: ID
    status: DelegationStatus
    createdVia: DelegationCreatedVia
    "Creation block and time."
    blockFrom: Int
    blockTo: Int
    timeFrom: DateTime
    timeTo: DateTime
    minAmount: BigInt
    maxAmount: BigInt
  }

  type DelegationEdge {
    cursor: String!
    node: Delegation!
  }

  type DelegationConnection {
    edges: [DelegationEdge!]!
    nodes: [Delegation!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  enum DelegationEventKind {
    CREATED_V1
    CREATED_V2
    CREATED
    UNDELEGATED
    RECLAIMED
    WITHDRAWN
    SLASHED
  }

  type DelegationEvent {
    id: ID!
    kind: DelegationEventKind!
    "Created: the amount; withdrawn and slashed: the amount taken; reclaimed: what left the node."
    amount: BigInt
    delegationId: ID!
    delegator: String!
    nodeId: ID!
    blockNumber: Int!
    timestamp: DateTime!
    txHash: String!
  }

  enum StakingEventKind {
    CREATED_V1
    CREATED_V2
    CREATED
    UNDELEGATED
    RECLAIMED
    WITHDRAWN
    SLASHED
    REWARD_DELEGATOR_PENDING
    REWARD_DELEGATOR_CLAIMED
    REWARD_HP_CLAIMED
    "A slash of the collateral of a node the wallet provides."
    COLLATERAL_SLASHED
  }

  type StakingEvent {
    id: ID!
    kind: StakingEventKind!
    amount: BigInt
    amountFormatted: String
    nodeId: ID
    delegationId: ID
    blockNumber: Int!
    timestamp: DateTime!
    txHash: String!
  }

  input StakingHistoryFilter {
    kinds: [StakingEventKind!]
    blockFrom: Int
    blockTo: Int
    timeFrom: DateTime
    timeTo: DateTime
  }

  type StakingEventEdge {
    cursor: String!
    node: StakingEvent!
  }

  type StakingEventConnection {
    edges: [StakingEventEdge!]!
    nodes: [StakingEvent!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  # ------------------------------------------------------------ vesting

  type VestingSchedule {
    id: ID!
    contract: String!
    beneficiary: Account!
    category: String!
    total: BigInt!
    immediate: BigInt!
    "Unix seconds."
    start: BigInt!
    cliff: BigInt!
    duration: BigInt!
    "Monthly tranches of a curve schedule (null for linear)."
    curve: [BigInt!]
    released: BigInt!
    revoked: Boolean!
    revokedAt: BigInt
    unvestedReturned: BigInt
    createdBlock: Int!
    createdAt: DateTime!
  }

  input VestingScheduleFilter {
    beneficiary: String
    category: String
    revoked: Boolean
  }

  type VestingScheduleEdge {
    cursor: String!
    node: VestingSchedule!
  }

  type VestingScheduleConnection {
    edges: [VestingScheduleEdge!]!
    nodes: [VestingSchedule!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  # ------------------------------------------------------------ bookings

  enum BookingEndReason {
    EXPIRED
    CANCELLED
    PROVIDER_FAULT
  }

  type Booking {
    id: ID!
    node: Node!
    serviceProvider: Account!
    capacity: BigInt!
    "Gross price paid: the booking plus its extensions."
    price: BigInt!
    priceFormatted: String!
    "Unix seconds."
    startTime: BigInt!
    endTime: BigInt!
    ended: Boolean!
    endReason: BookingEndReason
    endedBlock: Int
    endedAt: DateTime
    createdBlock: Int!
    createdAt: DateTime!
  }

  enum BookingOrder {
    NEWEST_FIRST
    OLDEST_FIRST
    PRICE_DESC
  }

  input BookingFilter {
    nodeId: ID
    serviceProvider: String
    ended: Boolean
    blockFrom: Int
    blockTo: Int
    timeFrom: DateTime
    timeTo: DateTime
    minPrice: BigInt
    maxPrice: BigInt
  }

  type BookingEdge {
    cursor: String!
    node: Booking!
  }

  type BookingConnection {
    edges: [BookingEdge!]!
    nodes: [Booking!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  # ------------------------------------------------------------ SLA oracle

  enum HyperNodeStatus {
    ACTIVE
    INACTIVE
  }

  type HyperNode {
    id: ID!
    operator: String!
    location: String!
    status: HyperNodeStatus!
    reportCount: Int!
    registeredBlock: Int!
  }

  input HyperNodeFilter {
    status: HyperNodeStatus
  }

  type HyperNodeEdge {
    cursor: String!
    node: HyperNode!
  }

  type HyperNodeConnection {
    edges: [HyperNodeEdge!]!
    nodes: [HyperNode!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type SlaAttestation {
    id: ID!
    node: Node!
    nodeId: ID!
    era: Int!
    hyperNode: HyperNode!
    hyperNodeId: ID!
    uptimeBps: Int!
    latencyMs: Int!
    challengesPassed: Int!
    challengesFailed: Int!
    blockNumber: Int!
    timestamp: DateTime!
    txHash: String!
  }

  input SlaAttestationFilter {
    nodeId: ID
    hyperNodeId: ID
    eraFrom: Int
    eraTo: Int
    blockFrom: Int
    blockTo: Int
    timeFrom: DateTime
    timeTo: DateTime
  }

  type SlaAttestationEdge {
    cursor: String!
    node: SlaAttestation!
  }

  type SlaAttestationConnection {
    edges: [SlaAttestationEdge!]!
    nodes: [SlaAttestation!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }
`
