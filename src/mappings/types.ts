/** The fields of a log that the mappings read (the processor's logs have these and more). */
export interface LogData {
  address: string
  logIndex: number
  transactionHash: string
  topics: string[]
  data: string
}

/** A block as the mappings read it: its header and its logs at watched addresses, in log order. */
export interface BlockData {
  header: { height: number; hash: string; timestamp: number }
  logs: LogData[]
}

/** Logs at one watched address with one topic that is none of the spec's events. */
export interface UnknownEvents {
  address: string
  /** topic0, or null for a log with no topics. */
  topic: string | null
  count: number
  firstBlock: number
  lastBlock: number
}

/** Where an event happened; every decoded event carries one. */
export interface EventPos {
  /** Lowercase address of the contract that emitted the log. */
  address: string
  blockNumber: number
  blockHash: string
  /** Block time, unix milliseconds (the processor's unit). */
  timestamp: number
  logIndex: number
  txHash: string
}

export interface TransferEvent extends EventPos {
  kind: 'Transfer'
  from: string
  to: string
  value: bigint
}

export type DecodedEvent = TransferEvent

/** The block, time and transaction columns every event row carries. */
export function rowPos(p: EventPos): { blockNumber: number; timestamp: Date; txHash: string } {
  return { blockNumber: p.blockNumber, timestamp: new Date(p.timestamp), txHash: p.txHash }
}
