/**
 * The protocol's events (vesting, staking, market, SLA oracle), decoded by
 * topic: one address may emit any of them (ICN's real protocol is one
 * modular proxy), so the topic alone says which handler runs.
 */
import * as market from '../abi/CapacityMarket'
import * as staking from '../abi/ICNStaking'
import * as vesting from '../abi/ICNVesting'
import * as oracle from '../abi/SLAOracle'
import type { BatchState } from '../store/state'
import { applyMarket, MarketEvent } from './market'
import { applySla, SlaEvent } from './sla'
import { applyStaking, StakingEvent } from './staking'
import type { EventPos, LogData } from './types'
import { applyVesting, VestingEvent } from './vesting'

const { OwnershipTransferred: _v, ...vestingEvents } = vesting.events
const { OwnershipTransferred: _s, ...stakingEvents } = staking.events
const { OwnershipTransferred: _m, ...marketEvents } = market.events
const { OwnershipTransferred: _o, ...oracleEvents } = oracle.events

export const PROTOCOL_EVENTS = { ...vestingEvents, ...stakingEvents, ...marketEvents, ...oracleEvents }
type ProtocolEvents = typeof PROTOCOL_EVENTS
export type ProtocolEventName = keyof ProtocolEvents

/** A decoded protocol event: its name, its typed arguments and where it happened. */
export type ProtocolEvent = {
  [K in ProtocolEventName]: EventPos & { kind: K; e: ReturnType<ProtocolEvents[K]['decode']> }
}[ProtocolEventName]

const BY_TOPIC = new Map<string, ProtocolEventName>(
  (Object.keys(PROTOCOL_EVENTS) as ProtocolEventName[]).map((k) => [PROTOCOL_EVENTS[k].topic, k]),
)
/** Ownership changes are known and skipped. */
const SKIPPED = new Set([vesting.events.OwnershipTransferred.topic])

export function decodeProtocolLog(log: LogData, pos: EventPos): ProtocolEvent | null {
  const topic = log.topics[0]
  if (topic && SKIPPED.has(topic)) return null
  const kind = topic ? BY_TOPIC.get(topic) : undefined
  if (!kind) throw new Error(`unknown event topic ${topic ?? '(none)'}`)
  const e = PROTOCOL_EVENTS[kind].decode(log)
  return { kind, e, ...pos } as ProtocolEvent
}

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
