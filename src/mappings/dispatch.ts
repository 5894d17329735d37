/** Which family's handler applies each protocol event. */
import type { BatchState } from '../store/state'
import { applyMarket, MarketEvent } from './market'
import type { ProtocolEvent, ProtocolEventName } from './protocol'
import { applySla, SlaEvent } from './sla'
import { applyStaking, StakingEvent } from './staking'
import { applyVesting, VestingEvent } from './vesting'

type Family = 'vesting' | 'staking' | 'market' | 'sla'

/** Which family's handler applies each event: every protocol event is in exactly one. */
const FAMILY: { [K in ProtocolEventName]: Family } = {
  VestingScheduleCreated: 'vesting',
  VestingCurveSet: 'vesting',
  TokensReleased: 'vesting',
  VestingScheduleRevoked: 'vesting',
  ScalerNodeRegistered: 'staking',
  ScalerNodeStatusChanged: 'staking',
  ScalerNodeCapacityChanged: 'staking',
  CollateralSlashed: 'staking',
  CollateralDelegated: 'staking',
  CollateralDelegatedV2: 'staking',
  DelegationCreated: 'staking',
  CollateralUndelegated: 'staking',
  CollateralReclaimed: 'staking',
  UnlockedTokensWithdrawn: 'staking',
  PendingRewardsClaimInitialized: 'staking',
  HPDelegationICNTRewardsClaimedV2: 'staking',
  HpRewardClaimed: 'staking',
  CapacityBooked: 'market',
  BookingExtended: 'market',
  BookingEnded: 'market',
  HyperNodeRegistered: 'sla',
  HyperNodeStatusChanged: 'sla',
  SlaAttested: 'sla',
  SlaViolation: 'sla',
}

/** Applies one protocol event to the batch state through its family's handler. */
export function applyProtocolEvent(state: BatchState, ev: ProtocolEvent): void {
  switch (FAMILY[ev.kind]) {
    case 'vesting':
      return applyVesting(state, ev as VestingEvent)
    case 'staking':
      return applyStaking(state, ev as StakingEvent)
    case 'market':
      return applyMarket(state, ev as MarketEvent)
    case 'sla':
      return applySla(state, ev as SlaEvent)
  }
}
