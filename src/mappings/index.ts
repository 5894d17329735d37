import type { IndexerConfig } from '../config'
import type { Context, Log } from '../processor'
import { BatchState } from './state'
import { accountIdsOf, applyTransfer, decodeTokenLog } from './token'
import type { DecodedEvent, EventPos } from './types'

export interface DecodedBatch {
  events: DecodedEvent[]
  undecoded: number
}

/**
 * Decodes every log of the batch in (block, log index) order. A log that does
 * not decode is counted and reported with its position; it never stops the
 * indexer and never produces a partial row.
 */
export function decodeBatch(ctx: Context, cfg: IndexerConfig): DecodedBatch {
  const token = cfg.preset.contracts.token
  const events: DecodedEvent[] = []
  let undecoded = 0
  for (const block of ctx.blocks) {
    for (const log of block.logs) {
      const pos: EventPos = {
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
        ctx.log.warn(
          `undecodable log at block ${pos.blockNumber} log index ${pos.logIndex} (address ${log.address}): ${(e as Error).message}`,
        )
      }
    }
  }
  return { events, undecoded }
}

function decodeLog(log: Log, pos: EventPos, token: string): DecodedEvent | null {
  if (log.address === token) return decodeTokenLog(log, pos)
  throw new Error(`no decoder for address ${log.address}`)
}

export function touchedIds(events: DecodedEvent[]): { accounts: Set<string> } {
  const accounts = new Set<string>()
  for (const ev of events) {
    switch (ev.kind) {
      case 'Transfer':
        for (const id of accountIdsOf(ev)) accounts.add(id)
        break
    }
  }
  return { accounts }
}

export function applyEvent(state: BatchState, ev: DecodedEvent): void {
  switch (ev.kind) {
    case 'Transfer':
      return applyTransfer(state, ev)
  }
}

export { BatchState }
