/** The performance part of the API's schema (answered by ./resolvers.ts). */
export const performanceTypeDefs = /* GraphQL */ `
  """
  A window of eras: one of eraFrom/eraTo, from/to (times), lastEras or
  lastDays. Relative windows end with the era of the indexed head's block
  time, never the wall clock. Default: the last 30 days (720 eras).
  """
  input PerformanceWindow {
    eraFrom: Int
    eraTo: Int
    from: DateTime
    to: DateTime
    lastEras: Int
    lastDays: Int
  }

  type ResolvedWindow {
    eraFrom: Int!
    eraTo: Int!
    from: DateTime!
    "Exclusive."
    to: DateTime!
  }

  enum SeriesInterval {
    ERA
    "24 eras from the window's first era."
    DAY
  }

  type MetricCounts {
    uptime: Int!
    latency: Int!
    challenges: Int!
  }

  type PerformancePoint {
    start: DateTime!
    eraFrom: Int!
    eraTo: Int!
    erasWithQuorum: Int!
    erasMet: Int!
    slaCompliance: Float
    averageUptimeBps: Float
    latencyP50Ms: Float
    challengePassRate: Float
  }

  "A node's performance over a window, from its per-era SLA consensus."
  type NodePerformance {
    node: Node!
    window: ResolvedWindow!
    "Eras met ÷ eras with quorum (null when no era had a quorum)."
    slaCompliance: Float
    erasWithQuorum: Int!
    erasMet: Int!
    "Eras with reports on the node but fewer than the quorum."
    erasWithoutQuorum: Int!
    "Mean of the eras' consensus uptime (eras with quorum)."
    averageUptimeBps: Float
    "Percentiles of the eras' consensus latency by nearest rank (the value at rank ceil(p·n/100) of the eras with a quorum, sorted; always one of the eras' own values)."
    latencyP50Ms: Float
    latencyP95Ms: Float
    "Mean of the eras' median challenge pass rate, 0..1."
    challengePassRate: Float
    "Eras (with quorum) that failed each metric."
    failedEras: MetricCounts!
    "SlaViolation events raised on chain for eras in the window, by metric."
    violations: MetricCounts!
    "ICNT slashed (provider and delegators) for eras in the window."
    slashed: BigInt!
    collateral: BigInt!
    delegatedStake: BigInt!
    "Distinct delegators with a position on the node now."
    delegatorCount: Int!
    totalCapacity: BigInt!
    bookedCapacity: BigInt!
    "bookedCapacity ÷ totalCapacity."
    utilisation: Float
    "Booking revenue (prices and extensions) paid within the window's time."
    revenue: BigInt!
    series(interval: SeriesInterval = ERA): [PerformancePoint!]!
  }

  enum LeaderboardOrder {
    COMPLIANCE_DESC
    UPTIME_DESC
    LATENCY_ASC
    DELEGATED_STAKE_DESC
    UTILISATION_DESC
    REVENUE_DESC
  }

  input LeaderboardFilter {
    status: NodeStatus
    region: String
    hwClass: String
  }

  type NodePerformanceEdge {
    cursor: String!
    node: NodePerformance!
  }

  type NodePerformanceConnection {
    edges: [NodePerformanceEdge!]!
    nodes: [NodePerformance!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  type CountBy {
    key: String!
    count: Int!
  }

  type NetworkPerformance {
    window: ResolvedWindow!
    nodesByStatus: [CountBy!]!
    nodesByRegion: [CountBy!]!
    nodesByClass: [CountBy!]!
    "Capacity of registered and validated nodes."
    totalCapacity: BigInt!
    bookedCapacity: BigInt!
    utilisation: Float
    "All nodes' eras met ÷ eras with quorum."
    slaCompliance: Float
    delegatedStake: BigInt!
    slashed: BigInt!
    revenue: BigInt!
    series(interval: SeriesInterval = DAY): [PerformancePoint!]!
  }

  "How far a HyperNode's reports sit from the consensus: mean absolute difference over eras with at least 3 reports."
  type HyperNodeDeviation {
    window: ResolvedWindow!
    erasCompared: Int!
    uptimeBps: Float
    latencyMs: Float
    challengePassRate: Float
    "Uptime or latency deviation above the preset's thresholds."
    suspect: Boolean!
  }

  extend type Query {
    nodePerformance(nodeId: ID!, window: PerformanceWindow): NodePerformance
    "Nodes ranked over a window; nodes without the figure rank last."
    nodeLeaderboard(window: PerformanceWindow, orderBy: LeaderboardOrder = COMPLIANCE_DESC, filter: LeaderboardFilter, first: Int, after: String, last: Int, before: String): NodePerformanceConnection!
    networkPerformance(window: PerformanceWindow): NetworkPerformance!
  }

  extend type Node {
    performance(window: PerformanceWindow): NodePerformance!
  }

  extend type HyperNode {
    deviation(window: PerformanceWindow): HyperNodeDeviation!
  }
`
