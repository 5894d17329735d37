/**
 * Event handlers of the protocol: each changes batch state and pushes event
 * rows; none touches the store.
 */
import { categoryFromBytes32 } from '../domain/bytes32'
import { delegationId, eventId, nodeEraId, padId } from '../domain/ids'
import { SlaReport, withReport } from '../domain/sla'
import {
  Booking,
  BookingEvent,
  Delegation,
  DelegationEvent,
  Delegator,
  HyperNode,
  Node,
  NodeCapacityChange,
  NodeEra,
  NodeStatusChange,
  RewardClaim,
  SlaAttestation,
  SlaViolation,
  Slash,
  TokensRelease,
  VestingRevocation,
  VestingSchedule,
} from '../model'
import type { ProtocolEvent } from './protocol'
import type { BatchState } from './state'
import type { EventPos } from './types'

const at = (p: EventPos) => ({ blockNumber: p.blockNumber, timestamp: new Date(p.timestamp), txHash: p.txHash })

function need<T>(v: T | undefined, what: string, p: EventPos): T {
  if (v === undefined) throw new Error(`${what} is unknown at block ${p.blockNumber} log ${p.logIndex}`)
  return v
}

function delegator(state: BatchState, id: string): Delegator {
  let d = state.delegators.get(id)
  if (!d) {
    d = new Delegator({ id, positionCount: 0, delegated: 0n, rewardsClaimed: 0n })
    state.delegators.set(id, d)
  }
  return d
}

/** One slash touches many positions: their rows share the log and add the position to the id. */
function delegationEvent(state: BatchState, d: Delegation, kind: string, amount: bigint | null, p: EventPos): void {
  const id = kind === 'SLASHED' ? `${eventId(p.blockNumber, p.logIndex)}-${d.id}` : eventId(p.blockNumber, p.logIndex)
  state.delegationEvents.push(
    new DelegationEvent({ id, delegationId: d.id, delegator: d.delegator, nodeId: d.nodeId, kind, amount, ...at(p) }),
  )
}

function createDelegation(
  state: BatchState,
  p: EventPos,
  via: 'V1' | 'V2' | 'CREATED',
  nodeId: bigint,
  who: string,
  index: number | null,
  amount: bigint,
  apy: bigint,
  unlock: bigint,
): void {
  const node = need(state.nodes.get(padId(nodeId)), `node ${nodeId}`, p)
  const dl = delegator(state, who.toLowerCase())
  // V1 carries no index: it takes the delegator's next one.
  const lockedIndex = index ?? dl.positionCount
  dl.positionCount = Math.max(dl.positionCount, lockedIndex + 1)
  dl.delegated += amount
  const d = new Delegation({
    id: delegationId(dl.id, lockedIndex),
    delegator: dl.id,
    lockedDelegationIndex: lockedIndex,
    nodeId: node.id,
    nodeDelegationIndex: node.delegationCount,
    createdVia: via,
    initialAmount: amount,
    amount,
    slashed: 0n,
    withdrawn: 0n,
    apyScalingFactor: apy,
    unlockTimestamp: unlock,
    status: 'ACTIVE',
    createdBlock: p.blockNumber,
    createdAt: new Date(p.timestamp),
    undelegatedBlock: null,
    reclaimedBlock: null,
  })
  node.delegationCount += 1
  node.activePositions += 1
  node.delegatedStake += amount
  state.delegations.set(d.id, d)
  delegationEvent(state, d, via === 'CREATED' ? 'CREATED' : `CREATED_${via}`, amount, p)
}

export function applyProtocolEvent(state: BatchState, ev: ProtocolEvent): void {
  const p: EventPos = ev
  switch (ev.kind) {
    // ------------------------------------------------------------ vesting
    case 'VestingScheduleCreated': {
      const e = ev.e
      state.schedules.set(
        padId(e.scheduleId),
        new VestingSchedule({
          id: padId(e.scheduleId),
          scheduleId: e.scheduleId,
          contract: ev.address,
          beneficiary: e.beneficiary.toLowerCase(),
          category: categoryFromBytes32(e.category),
          total: e.total,
          immediate: e.immediate,
          start: e.start,
          cliff: e.cliff,
          duration: e.duration,
          curve: null,
          released: 0n,
          revoked: false,
          revokedAt: null,
          unvestedReturned: null,
          createdBlock: p.blockNumber,
          createdAt: new Date(p.timestamp),
        }),
      )
      return
    }
    case 'VestingCurveSet': {
      const s = need(state.schedules.get(padId(ev.e.scheduleId)), `schedule ${ev.e.scheduleId}`, p)
      s.curve = ev.e.monthlyAmounts.map((a) => a.toString())
      return
    }
    case 'TokensReleased': {
      const s = need(state.schedules.get(padId(ev.e.scheduleId)), `schedule ${ev.e.scheduleId}`, p)
      s.released += ev.e.amount
      state.releases.push(new TokensRelease({ id: eventId(p.blockNumber, p.logIndex), scheduleId: s.id, beneficiary: ev.e.beneficiary.toLowerCase(), amount: ev.e.amount, ...at(p) }))
      return
    }
    case 'VestingScheduleRevoked': {
      const s = need(state.schedules.get(padId(ev.e.scheduleId)), `schedule ${ev.e.scheduleId}`, p)
      s.revoked = true
      s.revokedAt = BigInt(Math.floor(p.timestamp / 1000))
      s.unvestedReturned = ev.e.unvestedReturned
      state.revocations.push(new VestingRevocation({ id: eventId(p.blockNumber, p.logIndex), scheduleId: s.id, unvestedReturned: ev.e.unvestedReturned, ...at(p) }))
      return
    }
    // ------------------------------------------------------------ nodes
    case 'ScalerNodeRegistered': {
      const e = ev.e
      const id = padId(e.nodeId)
      state.nodes.set(
        id,
        new Node({
          id,
          nodeId: e.nodeId,
          hardwareProvider: e.hardwareProvider.toLowerCase(),
          region: e.regionId,
          hwClass: e.hwClass,
          status: 1,
          totalCapacity: e.totalCapacity,
          collateralRegistered: e.collateral,
          collateral: e.collateral,
          commitmentEnd: e.commitmentEnd,
          delegatedStake: 0n,
          activePositions: 0,
          delegationCount: 0,
          revenue: 0n,
          bookingCount: 0,
          slashedProvider: 0n,
          slashedDelegators: 0n,
          slashCount: 0,
          violationCount: 0,
          registeredBlock: p.blockNumber,
          registeredAt: new Date(p.timestamp),
        }),
      )
      state.statusChanges.push(new NodeStatusChange({ id: eventId(p.blockNumber, p.logIndex), nodeId: id, status: 1, ...at(p) }))
      state.capacityChanges.push(new NodeCapacityChange({ id: eventId(p.blockNumber, p.logIndex), nodeId: id, totalCapacity: e.totalCapacity, ...at(p) }))
      return
    }
    case 'ScalerNodeStatusChanged': {
      const n = need(state.nodes.get(padId(ev.e.nodeId)), `node ${ev.e.nodeId}`, p)
      n.status = ev.e.status
      state.statusChanges.push(new NodeStatusChange({ id: eventId(p.blockNumber, p.logIndex), nodeId: n.id, status: ev.e.status, ...at(p) }))
      return
    }
    case 'ScalerNodeCapacityChanged': {
      const n = need(state.nodes.get(padId(ev.e.nodeId)), `node ${ev.e.nodeId}`, p)
      n.totalCapacity = ev.e.totalCapacity
      state.capacityChanges.push(new NodeCapacityChange({ id: eventId(p.blockNumber, p.logIndex), nodeId: n.id, totalCapacity: ev.e.totalCapacity, ...at(p) }))
      return
    }
    case 'CollateralSlashed': {
      const e = ev.e
      const n = need(state.nodes.get(padId(e.nodeId)), `node ${e.nodeId}`, p)
      n.collateral -= e.providerAmount
      n.slashedProvider += e.providerAmount
      n.slashCount += 1
      if (e.delegatorAmount > 0n && n.delegatedStake > 0n) {
        // Each position still on the node loses floor(amount · delegatorAmount ÷ delegatedStake).
        const total = n.delegatedStake
        let lost = 0n
        for (const d of state.delegations.values()) {
          if (d.nodeId !== n.id || d.status === 'RECLAIMED' || d.status === 'WITHDRAWN') continue
          const loss = (d.amount * e.delegatorAmount) / total
          if (loss === 0n) continue
          d.amount -= loss
          d.slashed += loss
          lost += loss
          delegationEvent(state, d, 'SLASHED', loss, p)
        }
        n.delegatedStake -= lost
        n.slashedDelegators += lost
      }
      state.slashes.push(new Slash({ id: eventId(p.blockNumber, p.logIndex), nodeId: n.id, era: e.era, providerAmount: e.providerAmount, delegatorAmount: e.delegatorAmount, reason: categoryFromBytes32(e.reason), ...at(p) }))
      return
    }
    // ------------------------------------------------------------ delegation
    case 'CollateralDelegated':
      return createDelegation(state, p, 'V1', ev.e.nodeId, ev.e.delegator, null, ev.e.amount, ev.e.apyScalingFactor, ev.e.unlockTimestamp)
    case 'CollateralDelegatedV2':
      return createDelegation(state, p, 'V2', ev.e.nodeId, ev.e.delegator, Number(ev.e.lockedDelegationIndex), ev.e.amount, ev.e.apyScalingFactor, ev.e.unlockTimestamp)
    case 'DelegationCreated':
      return createDelegation(state, p, 'CREATED', ev.e.nodeId, ev.e.delegator, Number(ev.e.lockedDelegationIndex), ev.e.amount, ev.e.apyScalingFactor, ev.e.unlockTimestamp)
    case 'CollateralUndelegated': {
      const d = need(state.delegations.get(delegationId(ev.e.delegator.toLowerCase(), Number(ev.e.lockedDelegationIndex))), 'delegation', p)
      d.status = 'UNDELEGATED'
      d.undelegatedBlock = p.blockNumber
      delegationEvent(state, d, 'UNDELEGATED', null, p)
      return
    }
    case 'CollateralReclaimed': {
      const d = need(state.delegations.get(delegationId(ev.e.delegator.toLowerCase(), Number(ev.e.lockedDelegationIndex))), 'delegation', p)
      const n = need(state.nodes.get(d.nodeId), `node ${d.nodeId}`, p)
      d.status = d.amount === 0n ? 'WITHDRAWN' : 'RECLAIMED'
      d.reclaimedBlock = p.blockNumber
      n.delegatedStake -= d.amount
      n.activePositions -= 1
      delegationEvent(state, d, 'RECLAIMED', d.amount, p)
      return
    }
    case 'UnlockedTokensWithdrawn': {
      const d = need(state.delegations.get(delegationId(ev.e.delegator.toLowerCase(), Number(ev.e.lockedDelegationIndex))), 'delegation', p)
      d.amount -= ev.e.amount
      d.withdrawn += ev.e.amount
      if (d.amount === 0n) d.status = 'WITHDRAWN'
      delegator(state, d.delegator).delegated -= ev.e.amount
      delegationEvent(state, d, 'WITHDRAWN', ev.e.amount, p)
      return
    }
    case 'PendingRewardsClaimInitialized':
      state.rewardClaims.push(new RewardClaim({ id: eventId(p.blockNumber, p.logIndex), account: ev.e.delegator.toLowerCase(), kind: 'DELEGATOR_PENDING', claimIndex: null, amount: ev.e.amount, unlockTimestamp: ev.e.unlockTimestamp, ...at(p) }))
      return
    case 'HPDelegationICNTRewardsClaimedV2': {
      const who = ev.e.delegator.toLowerCase()
      delegator(state, who).rewardsClaimed += ev.e.amount
      state.rewardClaims.push(new RewardClaim({ id: eventId(p.blockNumber, p.logIndex), account: who, kind: 'DELEGATOR_CLAIMED', claimIndex: ev.e.pendingRewardsClaimIndex, amount: ev.e.amount, unlockTimestamp: null, ...at(p) }))
      return
    }
    case 'HpRewardClaimed':
      state.rewardClaims.push(new RewardClaim({ id: eventId(p.blockNumber, p.logIndex), account: ev.e.hp.toLowerCase(), kind: 'HP_CLAIMED', claimIndex: ev.e.claimIndex, amount: ev.e.amount, unlockTimestamp: null, ...at(p) }))
      return
    // ------------------------------------------------------------ market
    case 'CapacityBooked': {
      const e = ev.e
      const n = need(state.nodes.get(padId(e.nodeId)), `node ${e.nodeId}`, p)
      const b = new Booking({
        id: padId(e.bookingId), bookingId: e.bookingId, nodeId: n.id, serviceProvider: e.serviceProvider.toLowerCase(), capacity: e.capacity,
        price: e.price, startTime: e.startTime, endTime: e.endTime, ended: false, endReason: null, endedBlock: null, endedAt: null,
        createdBlock: p.blockNumber, createdAt: new Date(p.timestamp),
      })
      state.bookings.set(b.id, b)
      n.revenue += e.price
      n.bookingCount += 1
      state.bookingEvents.push(new BookingEvent({ id: eventId(p.blockNumber, p.logIndex), bookingId: b.id, nodeId: n.id, kind: 'BOOKED', amount: e.price, newEndTime: e.endTime, reason: null, ...at(p) }))
      return
    }
    case 'BookingExtended': {
      const b = need(state.bookings.get(padId(ev.e.bookingId)), `booking ${ev.e.bookingId}`, p)
      const n = need(state.nodes.get(b.nodeId), `node ${b.nodeId}`, p)
      b.endTime = ev.e.newEndTime
      b.price += ev.e.additionalPrice
      n.revenue += ev.e.additionalPrice
      state.bookingEvents.push(new BookingEvent({ id: eventId(p.blockNumber, p.logIndex), bookingId: b.id, nodeId: n.id, kind: 'EXTENDED', amount: ev.e.additionalPrice, newEndTime: ev.e.newEndTime, reason: null, ...at(p) }))
      return
    }
    case 'BookingEnded': {
      const b = need(state.bookings.get(padId(ev.e.bookingId)), `booking ${ev.e.bookingId}`, p)
      b.ended = true
      b.endReason = ev.e.reason
      b.endedBlock = p.blockNumber
      b.endedAt = new Date(p.timestamp)
      state.bookingEvents.push(new BookingEvent({ id: eventId(p.blockNumber, p.logIndex), bookingId: b.id, nodeId: b.nodeId, kind: 'ENDED', amount: null, newEndTime: null, reason: ev.e.reason, ...at(p) }))
      return
    }
    // ------------------------------------------------------------ SLA oracle
    case 'HyperNodeRegistered': {
      const id = padId(ev.e.hyperNodeId)
      state.hyperNodes.set(id, new HyperNode({ id, hyperNodeId: ev.e.hyperNodeId, operator: ev.e.operator.toLowerCase(), location: ev.e.location, status: 1, reportCount: 0, registeredBlock: p.blockNumber }))
      return
    }
    case 'HyperNodeStatusChanged': {
      const h = need(state.hyperNodes.get(padId(ev.e.hyperNodeId)), `hypernode ${ev.e.hyperNodeId}`, p)
      h.status = ev.e.status
      return
    }
    case 'SlaAttested': {
      const e = ev.e
      const h = state.hyperNodes.get(padId(e.hyperNodeId))
      if (h) h.reportCount += 1
      state.attestations.push(
        new SlaAttestation({
          id: eventId(p.blockNumber, p.logIndex), nodeId: padId(e.nodeId), era: Number(e.era), hyperNodeId: padId(e.hyperNodeId),
          uptimeBps: e.uptimeBps, latencyMs: e.latencyMs, challengesPassed: e.challengesPassed, challengesFailed: e.challengesFailed, ...at(p),
        }),
      )
      rollUpReport(state, padId(e.nodeId), Number(e.era), {
        hyperNodeId: padId(e.hyperNodeId), uptimeBps: e.uptimeBps, latencyMs: e.latencyMs, challengesPassed: e.challengesPassed, challengesFailed: e.challengesFailed, blockNumber: p.blockNumber,
      })
      return
    }
    case 'SlaViolation': {
      const e = ev.e
      const n = state.nodes.get(padId(e.nodeId))
      if (n) n.violationCount += 1
      state.violations.push(new SlaViolation({ id: eventId(p.blockNumber, p.logIndex), nodeId: padId(e.nodeId), era: Number(e.era), metric: e.metric, observed: e.observed, threshold: e.threshold, ...at(p) }))
      return
    }
  }
}

/**
 * Folds a report into its node's era rollup (a late report updates an era
 * already rolled up). The consensus itself is computed once per era and
 * batch, when the batch is flushed (BatchState.rollUpEras).
 */
function rollUpReport(state: BatchState, nodeId: string, era: number, r: SlaReport): void {
  const id = nodeEraId(nodeId, era)
  let ne = state.nodeEras.get(id)
  if (!ne) {
    ne = new NodeEra({ id, nodeId, era, reports: [] })
    state.nodeEras.set(id, ne)
  }
  ne.reports = withReport(ne.reports as SlaReport[], r)
  ne.lastReportBlock = r.blockNumber
  state.erasToRollUp.add(id)
}
