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
