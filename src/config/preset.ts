import fs from 'node:fs'
import path from 'node:path'

/** What a network preset file in config/networks/ holds. */
export interface NetworkPreset {
  name: string
  chainId: number
  /** Human note served with supply answers (e.g. "Base: bridged supply only"). */
  note?: string
  contracts: {
    token: string
    vesting?: string
    staking?: string
    market?: string
    slaOracle?: string
  }
  /** First block to index; null means "not filled in yet". */
  startBlock: number | null
  /** Unix seconds of era 0. */
  eraOrigin: number
  finalityConfirmations: number
  labels: LabelledWallet[]
  sla: SlaThresholds
}

export interface LabelledWallet {
  address: string
  label: string
  category: string
}

export interface SlaThresholds {
  quorum: number
  minUptimeBps: number
  maxLatencyMs: number
  /** Minimum challenge pass rate in basis points (9900 = 99%). */
  minChallengePassBps: number
  /** A HyperNode whose mean absolute deviation exceeds these is flagged. */
  suspectUptimeDeviationBps: number
  suspectLatencyDeviationMs: number
}

export class ConfigError extends Error {}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/

export const NETWORKS_DIR = path.resolve(__dirname, '../../config/networks')

export function presetPath(name: string, dir = NETWORKS_DIR): string {
  return path.join(dir, `${name}.json`)
}

export function listPresets(dir = NETWORKS_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort()
}

/** Reads and validates a preset; every problem names the file and the key at fault. */
export function loadPreset(nameOrPath: string, dir = NETWORKS_DIR): NetworkPreset {
  const file = nameOrPath.endsWith('.json') ? path.resolve(nameOrPath) : presetPath(nameOrPath, dir)
  if (!fs.existsSync(file)) {
    const known = fs.existsSync(dir) ? listPresets(dir).join(', ') : 'none'
    throw new ConfigError(`unknown network preset "${nameOrPath}" (known: ${known})`)
  }
  let raw: unknown
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (e) {
    throw new ConfigError(`preset ${file} is not valid JSON: ${(e as Error).message}`)
  }
  return validatePreset(raw, file)
}

export function validatePreset(raw: unknown, where: string): NetworkPreset {
  const fail = (key: string, why: string): never => {
    throw new ConfigError(`preset ${where}: "${key}" ${why}`)
  }
  if (typeof raw !== 'object' || raw === null) fail('(root)', 'must be an object')
  const o = raw as Record<string, unknown>
  const int = (key: string, v: unknown, min = 0): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(key, `must be an integer ≥ ${min}`)
    return v as number
  }
  const str = (key: string, v: unknown): string => {
    if (typeof v !== 'string' || v.length === 0) fail(key, 'must be a non-empty string')
    return v as string
  }
  const addr = (key: string, v: unknown): string => {
    if (typeof v !== 'string' || !ADDRESS.test(v)) fail(key, 'must be a 0x-prefixed 20-byte hex address')
    return (v as string).toLowerCase()
  }
  const optAddr = (key: string, v: unknown): string | undefined => (v == null || v === '' ? undefined : addr(key, v))

  const c = (o.contracts ?? fail('contracts', 'is missing')) as Record<string, unknown>
  const contracts = {
    token: addr('contracts.token', c.token),
    vesting: optAddr('contracts.vesting', c.vesting),
    staking: optAddr('contracts.staking', c.staking),
    market: optAddr('contracts.market', c.market),
    slaOracle: optAddr('contracts.slaOracle', c.slaOracle),
  }
  const labelsRaw = o.labels ?? []
  if (!Array.isArray(labelsRaw)) fail('labels', 'must be an array')
  const labels = (labelsRaw as unknown[]).map((l, i) => {
    const e = (l ?? {}) as Record<string, unknown>
    return {
      address: addr(`labels[${i}].address`, e.address),
      label: str(`labels[${i}].label`, e.label),
      category: str(`labels[${i}].category`, e.category),
    }
  })
  const s = (o.sla ?? {}) as Record<string, unknown>
  const sla: SlaThresholds = {
    quorum: int('sla.quorum', s.quorum ?? 2, 1),
    minUptimeBps: int('sla.minUptimeBps', s.minUptimeBps ?? 9900),
    maxLatencyMs: int('sla.maxLatencyMs', s.maxLatencyMs ?? 200),
    minChallengePassBps: int('sla.minChallengePassBps', s.minChallengePassBps ?? 9900),
    suspectUptimeDeviationBps: int('sla.suspectUptimeDeviationBps', s.suspectUptimeDeviationBps ?? 100),
    suspectLatencyDeviationMs: int('sla.suspectLatencyDeviationMs', s.suspectLatencyDeviationMs ?? 50),
  }
  return {
    name: str('name', o.name),
    chainId: int('chainId', o.chainId, 1),
    note: o.note == null ? undefined : str('note', o.note),
    contracts,
    startBlock: o.startBlock == null ? null : int('startBlock', o.startBlock),
    eraOrigin: int('eraOrigin', o.eraOrigin ?? 0),
    finalityConfirmations: int('finalityConfirmations', o.finalityConfirmations ?? 10, 1),
    labels,
    sla,
  }
}
