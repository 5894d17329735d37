/**
 * The protocol's events (vesting, staking, market, SLA oracle), decoded by
 * topic: one address may emit any of them (ICN's real protocol is one
 * modular proxy), so the topic alone says which handler runs.
 */
import * as market from '../abi/CapacityMarket'
import * as staking from '../abi/ICNStaking'
import * as vesting from '../abi/ICNVesting'
import * as oracle from '../abi/SLAOracle'
import type { EventPos, LogData } from './types'

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
/** Whether a topic is one of the spec's protocol events (OpenZeppelin's ownership events are not: they are unknown). */
export function isProtocolTopic(topic: string | undefined): boolean {
  return topic !== undefined && BY_TOPIC.has(topic)
}

/** Decodes a log whose topic is a protocol event (see isProtocolTopic); throws when its data does not decode. */
export function decodeProtocolLog(log: LogData, pos: EventPos): ProtocolEvent {
  const kind = BY_TOPIC.get(log.topics[0] ?? '')
  if (!kind) throw new Error(`not a protocol event topic: ${log.topics[0] ?? '(none)'}`)
  const e = PROTOCOL_EVENTS[kind].decode(log)
  return { kind, e, ...pos } as ProtocolEvent
}

