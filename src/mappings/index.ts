/**
 * The mappings: decode every log of a batch, collect the ids its events
 * touch, and apply the events in (block, log index) order to the batch state
 * through each family's handler (token, vesting, staking, market, SLA).
 * No store, no SQL, no I/O: src/store loads the state and writes it.
 */
import { delegationId, nodeEraId, padId, ZERO_ADDRESS } from '../domain/ids'
import { SupplyCheckpoint } from '../model'
import { BatchState, TouchedIds } from '../store/state'
import { CannotApply, HandlerError } from './errors'
import { applyProtocolEvent } from './dispatch'
import { decodeProtocolLog, isProtocolTopic, ProtocolEvent } from './protocol'
import { applyTransfer, decodeTokenLog, isTokenTopic } from './token'
import type { BlockData, DecodedEvent, EventPos, LogData, UnknownEvents } from './types'

export type IndexedEvent = DecodedEvent | ProtocolEvent
export type { BlockData, LogData, UnknownEvents }

export interface DecodedBatch {
  events: IndexedEvent[]
  /** Logs whose topic is a spec event but whose data does not decode: errors. */
  undecoded: number
  /** Logs whose topic is none of the spec's events (OpenZeppelin's ownership, proxy and role events, ...): skipped, counted per address and topic. */
  unknown: UnknownEvents[]
}

/** The addresses whose balances make up the supply checkpoints. */
export interface SupplyAddresses {
  vesting?: string
  staking?: string
}

/**
 * Decodes every log of the batch in (block, log index) order. A log whose
 * topic is none of the spec's events is unknown: counted per address and
 * topic, not an error. A log whose topic is a spec event but whose data does
 * not decode is counted and reported with its position; neither stops the
 * indexer or produces a partial row.
 */
export function decodeBatch(blocks: readonly BlockData[], token: string | undefined, warn: (msg: string) => void): DecodedBatch {
  const events: IndexedEvent[] = []
  let undecoded = 0
  const unknown = new Map<string, UnknownEvents>()
  for (const block of blocks) {
    for (const log of block.logs) {
      const pos: EventPos = {
        address: log.address,
        blockNumber: block.header.height,
        blockHash: block.header.hash,
        timestamp: block.header.timestamp,
        logIndex: log.logIndex,
        txHash: log.transactionHash,
      }
      const topic = log.topics[0]
      const isToken = log.address === token && isTokenTopic(topic)
      if (!isToken && !isProtocolTopic(topic)) {
        const key = `${log.address} ${topic ?? ''}`
        const u = unknown.get(key)
        if (u) {
          u.count += 1
          u.lastBlock = pos.blockNumber
        } else {
          unknown.set(key, { address: log.address, topic: topic ?? null, count: 1, firstBlock: pos.blockNumber, lastBlock: pos.blockNumber })
        }
        continue
      }
      try {
        const ev = isToken ? decodeTokenLog(log, pos) : decodeProtocolLog(log, pos)
        if (ev) events.push(ev)
      } catch (e) {
        undecoded += 1
        warn(`undecodable log at block ${pos.blockNumber} log index ${pos.logIndex} (address ${log.address}): ${(e as Error).message}`)
      }
    }
  }
  return { events, undecoded, unknown: [...unknown.values()] }
}

/** Adds a batch's unknown-event counts to the running ones (a new array; the old one is not changed). */
export function mergeUnknown(prev: readonly UnknownEvents[], batch: readonly UnknownEvents[]): UnknownEvents[] {
  const out = prev.map((u) => ({ ...u }))
  for (const b of batch) {
    const u = out.find((x) => x.address === b.address && x.topic === b.topic)
    if (u) {
      u.count += b.count
      u.lastBlock = Math.max(u.lastBlock, b.lastBlock)
    } else {
      out.push({ ...b })
    }
  }
  return out.sort((a, b) => (a.address === b.address ? (a.topic ?? '').localeCompare(b.topic ?? '') : a.address.localeCompare(b.address)))
}

const id = (n: bigint) => padId(n)

/** Every current-state id the events touch, so the batch loads each entity type once. */
export function touchedIds(events: IndexedEvent[], supply: SupplyAddresses): TouchedIds {
  const t = new TouchedIds()
  t.accounts.add(ZERO_ADDRESS)
  if (supply.vesting) t.accounts.add(supply.vesting)
  if (supply.staking) t.accounts.add(supply.staking)
  for (const ev of events) {
    switch (ev.kind) {
      case 'Transfer':
        t.accounts.add(ev.from).add(ev.to)
        break
      case 'VestingCurveSet':
      case 'TokensReleased':
      case 'VestingScheduleRevoked':
        t.schedules.add(id(ev.e.scheduleId))
        break
      case 'ScalerNodeStatusChanged':
      case 'ScalerNodeCapacityChanged':
      case 'SlaViolation':
        t.nodes.add(id(ev.e.nodeId))
        break
      case 'CollateralSlashed':
        t.nodes.add(id(ev.e.nodeId))
        t.slashedNodes.add(id(ev.e.nodeId))
        break
      case 'CollateralDelegated':
      case 'CollateralDelegatedV2':
      case 'DelegationCreated':
        t.nodes.add(id(ev.e.nodeId))
        t.delegators.add(ev.e.delegator.toLowerCase())
        break
      case 'CollateralUndelegated':
      case 'CollateralReclaimed':
      case 'UnlockedTokensWithdrawn':
        t.delegations.add(delegationId(ev.e.delegator.toLowerCase(), Number(ev.e.lockedDelegationIndex)))
        t.delegators.add(ev.e.delegator.toLowerCase())
        break
      case 'HPDelegationICNTRewardsClaimedV2':
        t.delegators.add(ev.e.delegator.toLowerCase())
        break
      case 'CapacityBooked':
        t.nodes.add(id(ev.e.nodeId))
        break
      case 'BookingExtended':
      case 'BookingEnded':
        t.bookings.add(id(ev.e.bookingId))
        break
      case 'HyperNodeStatusChanged':
        t.hyperNodes.add(id(ev.e.hyperNodeId))
        break
      case 'SlaAttested':
        t.nodes.add(id(ev.e.nodeId))
        t.hyperNodes.add(id(ev.e.hyperNodeId))
        t.nodeEras.add(nodeEraId(id(ev.e.nodeId), Number(ev.e.era)))
        break
    }
  }
  return t
}

/**
 * Applies the batch's events in order. An event that refers to something the
 * index never saw (CannotApply: a start block after it, another deployment's
 * quirk) is counted and skipped; handlers check before they change anything.
 * Any other exception is a bug: it is rethrown as a HandlerError naming the
 * event, and the batch is not committed.
 */
export function applyEvents(state: BatchState, events: IndexedEvent[], supply: SupplyAddresses, onSkip: (ev: IndexedEvent, e: CannotApply) => void): void {
  let block = -1
  let supplyTouched = false
  let last: IndexedEvent | undefined
  for (const ev of events) {
    if (ev.blockNumber !== block) {
      if (supplyTouched && last) checkpoint(state, last, supply)
      if (last) state.endBlock(last.blockNumber)
      block = ev.blockNumber
      supplyTouched = false
    }
    last = ev
    try {
      if (ev.kind === 'Transfer') {
        applyTransfer(state, ev)
        if (ev.from === ZERO_ADDRESS) state.minted += ev.value
        if (ev.to === ZERO_ADDRESS) state.burned += ev.value
        if (touchesSupply(ev, supply)) supplyTouched = true
      } else {
        applyProtocolEvent(state, ev)
      }
    } catch (e) {
      if (e instanceof CannotApply) onSkip(ev, e)
      else throw new HandlerError(ev, e)
    }
  }
  if (supplyTouched && last) checkpoint(state, last, supply)
  if (last) state.endBlock(last.blockNumber)
  state.checkVersions()
}

function touchesSupply(ev: DecodedEvent, s: SupplyAddresses): boolean {
  const watched = [ZERO_ADDRESS, s.vesting, s.staking]
  return watched.includes(ev.from) || watched.includes(ev.to)
}

/** The supply state at the end of a block whose transfers changed it. */
function checkpoint(state: BatchState, at: EventPos, s: SupplyAddresses): void {
  const bal = (a?: string) => (a ? (state.accounts.get(a)?.balance ?? 0n) : 0n)
  const { minted, burned } = state
  state.checkpoints.push(
    new SupplyCheckpoint({
      id: padId(at.blockNumber),
      blockNumber: at.blockNumber,
      timestamp: new Date(at.timestamp),
      totalSupply: minted - burned,
      minted,
      burned,
      vestingBalance: bal(s.vesting),
      staked: bal(s.staking),
    }),
  )
}

export { BatchState, TouchedIds }
export { CannotApply, HandlerError } from './errors'
