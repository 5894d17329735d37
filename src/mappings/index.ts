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
import { decodeProtocolLog, ProtocolEvent } from './protocol'
import { applyTransfer, decodeTokenLog } from './token'
import type { BlockData, DecodedEvent, EventPos, LogData } from './types'

export type IndexedEvent = DecodedEvent | ProtocolEvent
export type { BlockData, LogData }

export interface DecodedBatch {
  events: IndexedEvent[]
  undecoded: number
}

/** The addresses whose balances make up the supply checkpoints. */
export interface SupplyAddresses {
  vesting?: string
  staking?: string
}

/**
 * Decodes every log of the batch in (block, log index) order. A log that does
 * not decode is counted and reported with its position; it never stops the
 * indexer and never produces a partial row.
 */
export function decodeBatch(blocks: readonly BlockData[], token: string | undefined, warn: (msg: string) => void): DecodedBatch {
  const events: IndexedEvent[] = []
  let undecoded = 0
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
      try {
        const ev = decodeLog(log, pos, token)
        if (ev) events.push(ev)
      } catch (e) {
        undecoded += 1
        warn(`undecodable log at block ${pos.blockNumber} log index ${pos.logIndex} (address ${log.address}): ${(e as Error).message}`)
      }
    }
  }
  return { events, undecoded }
}

function decodeLog(log: LogData, pos: EventPos, token: string | undefined): IndexedEvent | null {
  if (log.address === token) return decodeTokenLog(log, pos)
  return decodeProtocolLog(log, pos)
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
