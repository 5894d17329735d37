/**
 * Node registry and staking handlers (ICNStaking): registrations, status and
 * capacity changes, slashes, the three forms of "delegated", undelegations,
 * reclaims, withdrawals and reward claims.
 */
import { categoryFromBytes32 } from '../domain/bytes32'
import { delegationId, eventId, padId } from '../domain/ids'
import { Delegation, DelegationEvent, Delegator, Node, NodeCapacityChange, NodeStatusChange, RewardClaim, Slash } from '../model'
import type { BatchState } from '../store/state'
import { need } from './errors'
import type { ProtocolEvent } from './protocol'
import { EventPos, rowPos } from './types'

type Kinds =
  | 'ScalerNodeRegistered'
  | 'ScalerNodeStatusChanged'
  | 'ScalerNodeCapacityChanged'
  | 'CollateralSlashed'
  | 'CollateralDelegated'
  | 'CollateralDelegatedV2'
  | 'DelegationCreated'
  | 'CollateralUndelegated'
  | 'CollateralReclaimed'
  | 'UnlockedTokensWithdrawn'
  | 'PendingRewardsClaimInitialized'
  | 'HPDelegationICNTRewardsClaimedV2'
  | 'HpRewardClaimed'
export type StakingEvent = Extract<ProtocolEvent, { kind: Kinds }>

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
  state.delegationEvents.push(new DelegationEvent({ id, delegationId: d.id, delegator: d.delegator, nodeId: d.nodeId, kind, amount, ...rowPos(p) }))
}

interface NewPosition {
  via: 'V1' | 'V2' | 'CREATED'
  nodeId: bigint
  delegator: string
  /** null for V1, which takes the delegator's next index. */
  index: number | null
  amount: bigint
  apy: bigint
  unlock: bigint
}

function createDelegation(state: BatchState, p: EventPos, n: NewPosition): void {
  const node = need(state.nodes.get(padId(n.nodeId)), `node ${n.nodeId}`, p)
  const dl = delegator(state, n.delegator.toLowerCase())
  const lockedIndex = n.index ?? dl.positionCount
  dl.positionCount = Math.max(dl.positionCount, lockedIndex + 1)
  dl.delegated += n.amount
  const d = new Delegation({
    id: delegationId(dl.id, lockedIndex),
    delegator: dl.id,
    lockedDelegationIndex: lockedIndex,
    nodeId: node.id,
    nodeDelegationIndex: node.delegationCount,
    createdVia: n.via,
    initialAmount: n.amount,
    amount: n.amount,
    slashed: 0n,
    withdrawn: 0n,
    apyScalingFactor: n.apy,
    unlockTimestamp: n.unlock,
    status: 'ACTIVE',
    createdBlock: p.blockNumber,
    createdAt: new Date(p.timestamp),
    undelegatedBlock: null,
    reclaimedBlock: null,
  })
  node.delegationCount += 1
  node.activePositions += 1
  node.delegatedStake += n.amount
  state.delegations.set(d.id, d)
  state.touch('nodes', node)
  state.touch('delegations', d)
  delegationEvent(state, d, n.via === 'CREATED' ? 'CREATED' : `CREATED_${n.via}`, n.amount, p)
}

function position(state: BatchState, who: string, index: bigint, p: EventPos): Delegation {
  return need(state.delegations.get(delegationId(who.toLowerCase(), Number(index))), `delegation ${who.toLowerCase()}/${index}`, p)
}

export function applyStaking(state: BatchState, ev: StakingEvent): void {
  switch (ev.kind) {
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
          registeredBlock: ev.blockNumber,
          registeredAt: new Date(ev.timestamp),
        }),
      )
      state.touch('nodes', state.nodes.get(id)!)
      state.statusChanges.push(new NodeStatusChange({ id: eventId(ev.blockNumber, ev.logIndex), nodeId: id, status: 1, ...rowPos(ev) }))
      state.capacityChanges.push(new NodeCapacityChange({ id: eventId(ev.blockNumber, ev.logIndex), nodeId: id, totalCapacity: e.totalCapacity, ...rowPos(ev) }))
      return
    }
    case 'ScalerNodeStatusChanged': {
      const n = need(state.nodes.get(padId(ev.e.nodeId)), `node ${ev.e.nodeId}`, ev)
      n.status = ev.e.status
      state.touch('nodes', n)
      state.statusChanges.push(new NodeStatusChange({ id: eventId(ev.blockNumber, ev.logIndex), nodeId: n.id, status: ev.e.status, ...rowPos(ev) }))
      return
    }
    case 'ScalerNodeCapacityChanged': {
      const n = need(state.nodes.get(padId(ev.e.nodeId)), `node ${ev.e.nodeId}`, ev)
      n.totalCapacity = ev.e.totalCapacity
      state.touch('nodes', n)
      state.capacityChanges.push(new NodeCapacityChange({ id: eventId(ev.blockNumber, ev.logIndex), nodeId: n.id, totalCapacity: ev.e.totalCapacity, ...rowPos(ev) }))
      return
    }
    case 'CollateralSlashed':
      return slash(state, ev)
    case 'CollateralDelegated':
      return createDelegation(state, ev, { via: 'V1', nodeId: ev.e.nodeId, delegator: ev.e.delegator, index: null, amount: ev.e.amount, apy: ev.e.apyScalingFactor, unlock: ev.e.unlockTimestamp })
    case 'CollateralDelegatedV2':
    case 'DelegationCreated': {
      const e = ev.e
      const via = ev.kind === 'DelegationCreated' ? 'CREATED' : 'V2'
      return createDelegation(state, ev, { via, nodeId: e.nodeId, delegator: e.delegator, index: Number(e.lockedDelegationIndex), amount: e.amount, apy: e.apyScalingFactor, unlock: e.unlockTimestamp })
    }
    case 'CollateralUndelegated': {
      const d = position(state, ev.e.delegator, ev.e.lockedDelegationIndex, ev)
      d.status = 'UNDELEGATED'
      d.undelegatedBlock = ev.blockNumber
      state.touch('delegations', d)
      delegationEvent(state, d, 'UNDELEGATED', null, ev)
      return
    }
    case 'CollateralReclaimed': {
      const d = position(state, ev.e.delegator, ev.e.lockedDelegationIndex, ev)
      const n = need(state.nodes.get(d.nodeId), `node ${d.nodeId}`, ev)
      d.status = d.amount === 0n ? 'WITHDRAWN' : 'RECLAIMED'
      d.reclaimedBlock = ev.blockNumber
      n.delegatedStake -= d.amount
      n.activePositions -= 1
      state.touch('delegations', d)
      state.touch('nodes', n)
      delegationEvent(state, d, 'RECLAIMED', d.amount, ev)
      return
    }
    case 'UnlockedTokensWithdrawn': {
      const d = position(state, ev.e.delegator, ev.e.lockedDelegationIndex, ev)
      d.amount -= ev.e.amount
      d.withdrawn += ev.e.amount
      if (d.amount === 0n) d.status = 'WITHDRAWN'
      state.touch('delegations', d)
      delegator(state, d.delegator).delegated -= ev.e.amount
      delegationEvent(state, d, 'WITHDRAWN', ev.e.amount, ev)
      return
    }
    case 'PendingRewardsClaimInitialized':
      state.rewardClaims.push(new RewardClaim({ id: eventId(ev.blockNumber, ev.logIndex), account: ev.e.delegator.toLowerCase(), kind: 'DELEGATOR_PENDING', claimIndex: null, amount: ev.e.amount, unlockTimestamp: ev.e.unlockTimestamp, ...rowPos(ev) }))
      return
    case 'HPDelegationICNTRewardsClaimedV2': {
      const who = ev.e.delegator.toLowerCase()
      delegator(state, who).rewardsClaimed += ev.e.amount
      state.rewardClaims.push(new RewardClaim({ id: eventId(ev.blockNumber, ev.logIndex), account: who, kind: 'DELEGATOR_CLAIMED', claimIndex: ev.e.pendingRewardsClaimIndex, amount: ev.e.amount, unlockTimestamp: null, ...rowPos(ev) }))
      return
    }
    case 'HpRewardClaimed':
      state.rewardClaims.push(new RewardClaim({ id: eventId(ev.blockNumber, ev.logIndex), account: ev.e.hp.toLowerCase(), kind: 'HP_CLAIMED', claimIndex: ev.e.claimIndex, amount: ev.e.amount, unlockTimestamp: null, ...rowPos(ev) }))
      return
  }
}

/**
 * A slash: the provider's part comes off its collateral; the delegators'
 * part off every position still on the node, each losing
 * floor(amount · delegatorAmount ÷ delegatedStake). The chain states the sum
 * of those losses (delegatorAmount); when the positions' losses do not add
 * up to it, the index records an inconsistency rather than hiding it.
 */
function slash(state: BatchState, ev: Extract<StakingEvent, { kind: 'CollateralSlashed' }>): void {
  const e = ev.e
  const n = need(state.nodes.get(padId(e.nodeId)), `node ${e.nodeId}`, ev)
  n.collateral -= e.providerAmount
  n.slashedProvider += e.providerAmount
  n.slashCount += 1
  state.touch('nodes', n)
  if (e.delegatorAmount > 0n) {
    const total = n.delegatedStake
    let lost = 0n
    if (total > 0n) {
      for (const d of state.delegations.values()) {
        if (d.nodeId !== n.id || d.status === 'RECLAIMED' || d.status === 'WITHDRAWN') continue
        const loss = (d.amount * e.delegatorAmount) / total
        if (loss === 0n) continue
        d.amount -= loss
        d.slashed += loss
        state.touch('delegations', d)
        lost += loss
        delegationEvent(state, d, 'SLASHED', loss, ev)
      }
    }
    n.delegatedStake -= lost
    n.slashedDelegators += lost
    if (lost !== e.delegatorAmount) {
      state.inconsistencies.push({
        blockNumber: ev.blockNumber,
        logIndex: ev.logIndex,
        what: `slash of node ${e.nodeId}: the positions' losses add up to ${lost} wei, the event states delegatorAmount ${e.delegatorAmount}`,
      })
    }
  }
  state.slashes.push(new Slash({ id: eventId(ev.blockNumber, ev.logIndex), nodeId: n.id, era: e.era, providerAmount: e.providerAmount, delegatorAmount: e.delegatorAmount, reason: categoryFromBytes32(e.reason), ...rowPos(ev) }))
}
