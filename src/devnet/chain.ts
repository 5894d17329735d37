import { RpcClient } from '../runtime/rpc'

export interface TxRequest {
  from: string
  to?: string
  data: string
  gas: number
  /** What the transaction is for, named in the error if it reverts. */
  label: string
}

interface Receipt {
  status: string
  transactionHash: string
  contractAddress: string | null
  gasUsed: string
}

const hex = (n: number | bigint) => '0x' + n.toString(16)

/**
 * Drives a devnet node that mines only on request: transactions are queued,
 * then `mine(timestamp)` sends them in order, mines one block at exactly that
 * time and checks that every one of them succeeded.
 */
export class DevChain {
  private queue: TxRequest[] = []
  /** Next nonce of every sender seen; assigned here because a node assigns the same nonce to concurrent sends. */
  private readonly nonces = new Map<string, number>()

  constructor(readonly rpc: RpcClient) {}

  send(tx: TxRequest): void {
    this.queue.push(tx)
  }

  /** Forgets the nonces it assigned: after a revert, or when another client sent from the same accounts. */
  forgetNonces(): void {
    this.nonces.clear()
  }

  /** Mines the queued transactions into one block at `timestamp` (unix seconds); returns the receipts. */
  async mine(timestamp: number): Promise<Receipt[]> {
    const txs = this.queue
    this.queue = []
    const unknown = [...new Set(txs.map((t) => t.from.toLowerCase()))].filter((a) => !this.nonces.has(a))
    const counts = await this.rpc.batch<string>(unknown.map((a) => ({ method: 'eth_getTransactionCount', params: [a, 'pending'] })))
    unknown.forEach((a, i) => this.nonces.set(a, Number(counts[i])))
    // One at a time: a node may handle the calls of one batch request
    // concurrently, and the block's order (fifo) is the order of arrival.
    for (const t of txs) {
      const from = t.from.toLowerCase()
      const nonce = this.nonces.get(from)!
      this.nonces.set(from, nonce + 1)
      await this.rpc.call('eth_sendTransaction', [{ from: t.from, to: t.to, data: t.data, gas: hex(t.gas), gasPrice: '0x0', nonce: hex(nonce) }])
    }
    await this.rpc.call('evm_setNextBlockTimestamp', [hex(timestamp)])
    await this.rpc.call('evm_mine', [])
    if (txs.length === 0) return []
    const receipts = await this.rpc.call<Receipt[]>('eth_getBlockReceipts', ['latest'])
    if (receipts.length !== txs.length) {
      throw new Error(`block at ${timestamp} holds ${receipts.length} of ${txs.length} transactions (block gas limit?)`)
    }
    for (let i = 0; i < receipts.length; i++) {
      if (receipts[i].status !== '0x1') {
        throw new Error(`devnet transaction reverted: ${txs[i].label} (${receipts[i].transactionHash})${await this.revertReason(receipts[i].transactionHash)}`)
      }
    }
    return receipts
  }

  /** The revert data of a mined transaction, replayed with debug_traceTransaction. */
  private async revertReason(txHash: string): Promise<string> {
    try {
      const t = await this.rpc.call<{ returnValue?: string; gas?: number; failed?: boolean }>('debug_traceTransaction', [txHash, { disableStorage: true, disableStack: true, disableMemory: true }])
      return ` revert data ${t.returnValue || '(none: out of gas?)'} gas ${t.gas}`
    } catch {
      return ''
    }
  }

  async call(to: string, data: string, block: number | 'latest' = 'latest'): Promise<string> {
    return this.rpc.call<string>('eth_call', [{ to, data }, typeof block === 'number' ? hex(block) : block])
  }

  async blockNumber(): Promise<number> {
    return Number(await this.rpc.call<string>('eth_blockNumber'))
  }

  async latestTimestamp(): Promise<number> {
    const b = await this.rpc.call<{ timestamp: string }>('eth_getBlockByNumber', ['latest', false])
    return Number(b.timestamp)
  }
}
