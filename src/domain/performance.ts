/**
 * Node performance over a window of eras (../shared/icn-protocol.md, "Node
 * performance"): window resolution and compliance (latency percentiles are nearest rank,
 * Postgres' percentile_disc, in src/api/sql/performance.ts).
 * Pure, no I/O; the SQL side computes the same definitions over the rollups.
 */
import { ERA_SECONDS } from './vesting'

/** A window as a user gives it: exactly one form. Times are unix seconds. */
export interface WindowInput {
  eraFrom?: number
  eraTo?: number
  from?: number
  to?: number
  lastEras?: number
  lastDays?: number
}

export interface EraWindow {
  eraFrom: number
  eraTo: number
  /** Unix seconds: start of eraFrom, end (exclusive) of eraTo. */
  from: number
  to: number
}

export class WindowError extends Error {
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(message)
  }
}

export const eraOf = (t: number, origin: number) => Math.floor((t - origin) / ERA_SECONDS)
export const eraStart = (era: number, origin: number) => origin + era * ERA_SECONDS

/**
 * Resolves a window against the indexed head's time (never the wall clock):
 * the last N eras or days end with the head's era. Default: the last 30 days.
 */
export function resolveWindow(w: WindowInput, headTime: number, origin: number, maxEras = 24 * 366 * 5): EraWindow {
  const forms = [w.eraFrom !== undefined || w.eraTo !== undefined, w.from !== undefined || w.to !== undefined, w.lastEras !== undefined, w.lastDays !== undefined].filter(Boolean).length
  if (forms > 1) throw new WindowError('window', 'give one form: eraFrom/eraTo, from/to, lastEras or lastDays')
  const headEra = eraOf(headTime, origin)
  let eraFrom: number
  let eraTo: number
  if (w.lastEras !== undefined || w.lastDays !== undefined || forms === 0) {
    const n = w.lastEras ?? (w.lastDays ?? 30) * 24
    const arg = w.lastEras !== undefined ? 'window.lastEras' : 'window.lastDays'
    if (!Number.isInteger(n) || n < 1) throw new WindowError(arg, `must be a positive integer (got ${w.lastEras ?? w.lastDays})`)
    eraTo = headEra
    eraFrom = headEra - n + 1
  } else if (w.from !== undefined || w.to !== undefined) {
    eraFrom = eraOf(w.from ?? origin, origin)
    eraTo = eraOf((w.to ?? headTime + 1) - 1, origin)
  } else {
    eraFrom = w.eraFrom ?? 0
    eraTo = w.eraTo ?? headEra
    if (!Number.isInteger(eraFrom) || eraFrom < 0) throw new WindowError('window.eraFrom', `must be an era ≥ 0 (got ${eraFrom})`)
    if (!Number.isInteger(eraTo) || eraTo < 0) throw new WindowError('window.eraTo', `must be an era ≥ 0 (got ${eraTo})`)
  }
  eraFrom = Math.max(0, eraFrom)
  if (eraTo < eraFrom) throw new WindowError('window', `ends (era ${eraTo}) before it starts (era ${eraFrom})`)
  if (eraTo - eraFrom + 1 > maxEras) throw new WindowError('window', `spans ${eraTo - eraFrom + 1} eras; at most ${maxEras}`)
  return { eraFrom, eraTo, from: eraStart(eraFrom, origin), to: eraStart(eraTo + 1, origin) }
}

/** SLA compliance: eras met ÷ eras with quorum (null when no era had a quorum). */
export function compliance(metEras: number, quorumEras: number): number | null {
  return quorumEras === 0 ? null : metEras / quorumEras
}
