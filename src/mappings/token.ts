import * as icnt from '../abi/ICNT'
import { addressId, eventId } from '../domain/ids'
import { Account, Transfer } from '../model'
import type { BatchState } from '../store/state'
import type { EventPos, LogData, TransferEvent } from './types'

/** Topics of the token's events that the index reads or knowingly skips. */
export const TOKEN_TOPICS = {
  Transfer: icnt.events.Transfer.topic,
  Approval: icnt.events.Approval.topic,
}

/** Decodes one log of the token contract; `null` for a known event the index does not store. */
export function decodeTokenLog(log: LogData, pos: EventPos): TransferEvent | null {
  switch (log.topics[0]) {
    case TOKEN_TOPICS.Transfer: {
      const e = icnt.events.Transfer.decode(log)
      return { kind: 'Transfer', ...pos, from: addressId(e.from), to: addressId(e.to), value: e.value }
    }
    case TOKEN_TOPICS.Approval:
      icnt.events.Approval.decode(log) // still checked: a malformed log must be counted
      return null
    default:
      throw new UnknownEventError(log.topics[0])
  }
}

export class UnknownEventError extends Error {
  constructor(topic0: string | undefined) {
    super(`unknown event topic ${topic0 ?? '(none)'}`)
  }
}

function account(state: BatchState, id: string, blockNumber: number): Account {
  let a = state.accounts.get(id)
  if (!a) {
    a = new Account({ id, balance: 0n, transfersIn: 0, transfersOut: 0, firstSeenBlock: blockNumber, lastActiveBlock: blockNumber })
    state.accounts.set(id, a)
  }
  return a
}

/**
 * A transfer moves `value` between two accounts. The zero address stands for
 * mints and burns; its balance goes negative by the net amount minted, which
 * keeps every transfer's two sides symmetric (its negation is the supply).
 */
export function applyTransfer(state: BatchState, ev: TransferEvent): void {
  const from = account(state, ev.from, ev.blockNumber)
  const to = account(state, ev.to, ev.blockNumber)
  from.balance -= ev.value
  to.balance += ev.value
  from.transfersOut += 1
  to.transfersIn += 1
  from.lastActiveBlock = ev.blockNumber
  to.lastActiveBlock = ev.blockNumber
  state.transfers.push(
    new Transfer({
      id: eventId(ev.blockNumber, ev.logIndex),
      blockNumber: ev.blockNumber,
      blockHash: ev.blockHash,
      timestamp: new Date(ev.timestamp),
      txHash: ev.txHash,
      logIndex: ev.logIndex,
      fromId: ev.from,
      toId: ev.to,
      value: ev.value,
      fromBalanceAfter: from.balance,
      toBalanceAfter: to.balance,
    }),
  )
}
