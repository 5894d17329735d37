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
