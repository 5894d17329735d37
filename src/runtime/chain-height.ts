/**
 * The chain height the processor works towards, read from the SDK's own
 * Prometheus endpoint (sqd_processor_chain_height, its public metrics
 * interface): while syncing history it is the chain's finalized height, the
 * end of the final batches. Polled once a second; undefined until the SDK
 * has reported one.
 */
export class SdkChainHeight {
  private value?: number
  private timer?: NodeJS.Timeout

  constructor(private readonly sdkMetricsPort: number) {}

  start(intervalMs = 1000): this {
    const poll = () => {
      fetch(`http://127.0.0.1:${this.sdkMetricsPort}/metrics`, { signal: AbortSignal.timeout(2000) })
        .then((r) => r.text())
        .then((text) => {
          const m = /^sqd_processor_chain_height (\d+)/m.exec(text)
          if (m) this.value = Number(m[1])
        })
        .catch(() => undefined)
    }
    this.timer = setInterval(poll, intervalMs)
    this.timer.unref()
    poll()
    return this
  }

  get(): number | undefined {
    return this.value
  }

  stop(): void {
    clearInterval(this.timer)
  }
}

/**
 * The chain's head as the RPC answers `eth_blockNumber`, polled: what the
 * progress line, the status row's chainHead (so `_meta.chainHead`, `lag` and
 * `/readyz`) are measured against. The SDK reports only the finalized height,
 * and the batches only what they hold. A failed poll keeps the last answer
 * (the indexer's own RPC errors are reported where they happen).
 */
export class RpcChainHead {
  private value?: number
  private timer?: NodeJS.Timeout

  constructor(private readonly blockNumber: () => Promise<string>) {}

  /** Starts polling; resolves after the first answer (or its failure). */
  async start(intervalMs = 2000): Promise<this> {
    const poll = () =>
      this.blockNumber().then(
        (h) => {
          const n = Number(h)
          if (Number.isSafeInteger(n) && n >= 0) this.value = n
        },
        () => undefined,
      )
    this.timer = setInterval(() => void poll(), intervalMs)
    this.timer.unref()
    await poll()
    return this
  }

  get(): number | undefined {
    return this.value
  }

  stop(): void {
    clearInterval(this.timer)
  }
}
