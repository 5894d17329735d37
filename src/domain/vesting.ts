/**
 * Vesting maths of ../shared/icn-protocol.md §2, in integer arithmetic.
 * Times are unix seconds (bigint-safe numbers); amounts are wei.
 */
export const ONE_MONTH = 30 * 24 * 3600
export const ERA_SECONDS = 3600

export interface ScheduleTerms {
  total: bigint
  immediate: bigint
  start: number
  cliff: number
  duration: number
  /** Monthly tranches (curve schedules); tranche k (1-based) vests at start + k·ONE_MONTH. */
  curve?: bigint[] | null
  /** Unix seconds of a revocation: vesting is frozen at its value then. */
  revokedAt?: number | null
}

/** Amount vested at time `t` (unix seconds). */
export function vestedAt(s: ScheduleTerms, t: number): bigint {
  const at = s.revokedAt != null && s.revokedAt < t ? s.revokedAt : t
  if (s.curve) {
    let v = s.immediate
    for (let k = 1; k <= s.curve.length; k++) {
      if (s.start + k * ONE_MONTH <= at) v += s.curve[k - 1]
      else break
    }
    return v
  }
  if (at < s.cliff) return s.immediate
  if (s.duration === 0) return s.total
  const elapsed = Math.min(at - s.start, s.duration)
  return s.immediate + ((s.total - s.immediate) * BigInt(elapsed)) / BigInt(s.duration)
}

/**
 * The devnet's decaying monthly curve: r = 19/20 over `months` months; month k
 * (k < months) vests floor(T·19^(k−1)·20^(months−k) ÷ S), S = Σ_{j<months} 19^j·20^(months−1−j),
 * and the last month vests the rest of T.
 */
export function decayingCurve(total: bigint, months = 48, num = 19n, den = 20n): bigint[] {
  const n = BigInt(months)
  let s = 0n
  for (let j = 0n; j < n; j++) s += num ** j * den ** (n - 1n - j)
  const out: bigint[] = []
  let sum = 0n
  for (let k = 1n; k < n; k++) {
    const a = (total * num ** (k - 1n) * den ** (n - k)) / s
    out.push(a)
    sum += a
  }
  out.push(total - sum)
  return out
}
