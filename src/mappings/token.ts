import * as icnt from '../abi/ICNT'
import * as l2icnt from '../abi/OptimismMintableERC20'
import { addressId, eventId } from '../domain/ids'
import { Account, Transfer } from '../model'
import type { BatchState } from '../store/state'
import type { EventPos, LogData, TransferEvent } from './types'

/** Topics of the token's events that the index reads or knowingly skips. */
export const TOKEN_TOPICS = {
  Transfer: icnt.events.Transfer.topic,
  Approval: icnt.events.Approval.topic,
  // A bridged (OptimismMintableERC20) ICNT's: each accompanies a Transfer from or to the zero address, which is what the index books.
  Mint: l2icnt.events.Mint.topic,
  Burn: l2icnt.events.Burn.topic,
}

const SKIPPED = new Map<string, { decode(log: LogData): unknown }>([
  [TOKEN_TOPICS.Approval, icnt.events.Approval],
  [TOKEN_TOPICS.Mint, l2icnt.events.Mint],
  [TOKEN_TOPICS.Burn, l2icnt.events.Burn],
])

/** Whether a topic is one of the token's spec events. */
export function isTokenTopic(topic: string | undefined): boolean {
  return topic === TOKEN_TOPICS.Transfer || (topic !== undefined && SKIPPED.has(topic))
}

/** Decodes a token log whose topic is a token event (see isTokenTopic); `null` for Approval, Mint and Burn, which the index does not store. */
export function decodeTokenLog(log: LogData, pos: EventPos): TransferEvent | null {
  if (log.topics[0] === TOKEN_TOPICS.Transfer) return { kind: 'Transfer', ...pos, ...decodeTransfer(log) }
  SKIPPED.get(log.topics[0] ?? '')!.decode(log) // still checked: a malformed log must be counted
  return null
}

const HEX_WORD = /^0x[0-9a-fA-F]{64}$/
const ADDRESS_PAD = '0x000000000000000000000000'

/** An indexed address topic: a 32-byte word whose upper 12 bytes are zero. */
function topicAddress(topic: string | undefined, name: string): string {
  if (topic === undefined || !HEX_WORD.test(topic)) throw new Error(`Transfer: topic "${name}" is not a 32-byte word`)
  if (!topic.startsWith(ADDRESS_PAD)) throw new Error(`Transfer: topic "${name}" is not an address (upper 12 bytes not zero)`)
  return addressId('0x' + topic.slice(26))
}

/**
 * Transfer(address indexed from, address indexed to, uint256 value),
 * decoded directly from its topics and data. Why not the generated decoder:
 * a Transfer is most of a token's logs, and the generic path (a Buffer, a
 * DataView and two 128-bit reads per word) was about a tenth of the
 * indexer's CPU on a token workload. It accepts exactly what the generated
 * decoder accepts (three topics, a data word; trailing data ignored), except
 * an address topic with non-zero upper bytes, which the generated decoder
 * turns into a string that is no address, and this refuses
 * (test/unit/token-decode.test.ts holds the two against each other).
 */
export function decodeTransfer(log: { topics: string[]; data: string }): { from: string; to: string; value: bigint } {
  if (log.topics.length !== 3) throw new Error(`Transfer: ${log.topics.length} topics, expected 3`)
  const from = topicAddress(log.topics[1], 'from')
  const to = topicAddress(log.topics[2], 'to')
  const word = log.data.slice(0, 66)
  if (!HEX_WORD.test(word)) throw new Error('Transfer: data is not a 32-byte value')
  return { from, to, value: BigInt(word) }
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
