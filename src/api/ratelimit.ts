/**
 * An optional per-client rate limit (API_RATE_LIMIT requests per second per
 * client address, with a burst of as many): a token bucket per address,
 * forgotten once full again. Over the limit a client gets 429 with Retry-After.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()

  constructor(
    private readonly perSecond: number,
    private readonly burst = perSecond,
  ) {}

  /** True when the request may go ahead; otherwise the seconds to wait. */
  take(client: string, now = Date.now()): true | number {
    const b = this.buckets.get(client) ?? { tokens: this.burst, at: now }
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond)
    b.at = now
    if (b.tokens >= 1) {
      b.tokens -= 1
      this.buckets.set(client, b)
      this.sweep(now)
      return true
    }
    this.buckets.set(client, b)
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perSecond))
  }

  /** Drops buckets that have refilled, so memory stays bounded by active clients. */
  private sweep(now: number): void {
    if (this.buckets.size < 10_000) return
    for (const [k, b] of this.buckets) if (b.tokens + ((now - b.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(k)
  }
}
