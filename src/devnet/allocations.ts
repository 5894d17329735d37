/**
 * The devnet's genesis allocation: the table of ../shared/icn-protocol.md §2
 * with its (devnet) values. Amounts in whole ICNT; each allocation may be split
 * over several beneficiaries (wallets named by role, see actors.ts).
 */
import { decayingCurve, ONE_MONTH } from '../domain/vesting'

export const ICNT = 10n ** 18n
export const TOTAL_SUPPLY = 700_000_000n * ICNT

export interface AllocationSpec {
  category: string
  /** Whole ICNT. */
  total: bigint
  /** Share unlocked at TGE in basis points. */
  tgeBps: bigint
  kind: 'linear' | 'curve'
  /** Months after TGE before the linear part starts (start = cliff). */
  lockMonths: number
  /** Months of the linear part (or of the curve). */
  months: number
  /** How the allocation is split over beneficiary wallets (whole ICNT; sums to total). */
  split: bigint[]
}

export const ALLOCATIONS: AllocationSpec[] = [
  { category: 'NETWORK_REWARDS', total: 140_000_000n, tgeBps: 1500n, kind: 'curve', lockMonths: 0, months: 48, split: [140_000_000n] },
  { category: 'INVESTORS', total: 150_500_000n, tgeBps: 0n, kind: 'linear', lockMonths: 12, months: 24, split: [40_000_000n, 35_000_000n, 30_500_000n, 25_000_000n, 20_000_000n] },
  { category: 'TEAM', total: 154_700_000n, tgeBps: 0n, kind: 'linear', lockMonths: 12, months: 24, split: [60_000_000n, 50_000_000n, 44_700_000n] },
  { category: 'ECOSYSTEM_PARTNERS', total: 77_000_000n, tgeBps: 5000n, kind: 'linear', lockMonths: 0, months: 36, split: [77_000_000n] },
  { category: 'ECOSYSTEM_DEVELOPMENT', total: 70_000_000n, tgeBps: 1000n, kind: 'linear', lockMonths: 0, months: 36, split: [70_000_000n] },
  { category: 'NETWORK_EXPANSION', total: 70_000_000n, tgeBps: 10000n, kind: 'linear', lockMonths: 0, months: 0, split: [70_000_000n] },
  { category: 'CLOUD_SERVICE_DEVELOPMENT', total: 37_800_000n, tgeBps: 5000n, kind: 'linear', lockMonths: 0, months: 24, split: [37_800_000n] },
]

export interface GenesisSchedule {
  category: string
  /** Role name of the beneficiary wallet (resolved to an address by actors.ts). */
  beneficiaryRole: string
  total: bigint
  immediate: bigint
  start: number
  cliff: number
  duration: number
  curve?: bigint[]
}

/** Expands the table into on-chain schedules for a TGE at `tge` (unix seconds), all amounts in wei. */
export function genesisSchedules(tge: number): GenesisSchedule[] {
  const out: GenesisSchedule[] = []
  for (const a of ALLOCATIONS) {
    a.split.forEach((part, i) => {
      const total = part * ICNT
      const immediate = (total * a.tgeBps) / 10000n
      const start = tge + a.lockMonths * ONE_MONTH
      const role = `fund:${a.category}:${i}`
      if (a.kind === 'curve') {
        out.push({ category: a.category, beneficiaryRole: role, total, immediate, start, cliff: start, duration: a.months * ONE_MONTH, curve: decayingCurve(total - immediate, a.months) })
      } else {
        out.push({ category: a.category, beneficiaryRole: role, total, immediate, start, cliff: start, duration: a.months * ONE_MONTH })
      }
    })
  }
  return out
}

export { categoryBytes32, categoryFromBytes32 } from '../domain/bytes32'
