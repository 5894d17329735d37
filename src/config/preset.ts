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
  const { raw, file } = readPresetFile(nameOrPath, dir)
  if (isMultiChain(raw)) throw new ConfigError(`preset ${file} lists chains: it is a multi-chain network, which this command does not take`)
  return validatePreset(raw, file)
}

function readPresetFile(nameOrPath: string, dir: string): { raw: unknown; file: string } {
  const file = nameOrPath.endsWith('.json') ? path.resolve(nameOrPath) : presetPath(nameOrPath, dir)
  if (!fs.existsSync(file)) {
    const known = fs.existsSync(dir) ? listPresets(dir).join(', ') : 'none'
    throw new ConfigError(`unknown network preset "${nameOrPath}" (known: ${known})`)
  }
  try {
    return { raw: JSON.parse(fs.readFileSync(file, 'utf8')), file }
  } catch (e) {
    throw new ConfigError(`preset ${file} is not valid JSON: ${(e as Error).message}`)
  }
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

/** One chain of a multi-chain preset: a single-chain preset without what the network shares. */
export type ChainPreset = Omit<NetworkPreset, 'eraOrigin' | 'sla'>

/**
 * A network over several chains (config/networks/*.json with a `chains`
 * list): ICNT's canonical supply on an L1, the protocol on an L2 whose ICNT
 * is an OP-standard-bridge token. Each chain is indexed on its own, as
 * `chainPreset` gives it; the bridge ties their supplies together.
 */
export interface MultiChainPreset {
  name: string
  note?: string
  /** Unix seconds of era 0. */
  eraOrigin: number
  sla: SlaThresholds
  /** The longest a bridge transfer may be in flight, in seconds, before the supply flags it. */
  maxBridgeDelay: number
  bridge: {
    /** Name of the chain holding the canonical token and the escrow. */
    l1Chain: string
    l1Bridge: string
    /** Name of the chain holding the bridged token (its contracts.token). */
    l2Chain: string
  }
  chains: ChainPreset[]
}

/** A chain of a multi-chain preset as the single-chain indexer takes it. */
export function chainPreset(network: MultiChainPreset, chain: string): NetworkPreset {
  const c = network.chains.find((x) => x.name === chain)
  if (!c) throw new ConfigError(`network ${network.name} has no chain "${chain}" (it has: ${network.chains.map((x) => x.name).join(', ')})`)
  return { ...c, eraOrigin: network.eraOrigin, sla: network.sla }
}

/** Whether a parsed preset file lists chains (a multi-chain preset) rather than being one chain's. */
export function isMultiChain(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && 'chains' in raw
}

/** A preset file: one chain's, or a network of several (a `chains` list). */
export type Network = { kind: 'single'; preset: NetworkPreset } | { kind: 'multi'; network: MultiChainPreset }

/** Reads and validates whichever kind of preset `nameOrPath` is. */
export function loadNetwork(nameOrPath: string, dir = NETWORKS_DIR): Network {
  const { raw, file } = readPresetFile(nameOrPath, dir)
  return isMultiChain(raw) ? { kind: 'multi', network: validateMultiChainPreset(raw, file) } : { kind: 'single', preset: validatePreset(raw, file) }
}

export function validateMultiChainPreset(raw: unknown, where: string): MultiChainPreset {
  const fail = (key: string, why: string): never => {
    throw new ConfigError(`preset ${where}: "${key}" ${why}`)
  }
  if (typeof raw !== 'object' || raw === null) fail('(root)', 'must be an object')
  const o = raw as Record<string, unknown>
  if (!Array.isArray(o.chains) || o.chains.length < 2) fail('chains', 'must list at least two chains')
  // Each chain is validated as the single-chain preset it becomes, with the network's own keys.
  const shared = { eraOrigin: o.eraOrigin, sla: o.sla }
  const full = (o.chains as unknown[]).map((c, i): NetworkPreset => {
    if (typeof c !== 'object' || c === null) fail(`chains[${i}]`, 'must be an object')
    for (const k of ['eraOrigin', 'sla'] as const) if (k in (c as object)) fail(`chains[${i}].${k}`, 'belongs to the network, not to one chain')
    return validatePreset({ ...(c as object), ...shared }, `${where} chains[${i}]`)
  })
  const chains = full.map(({ eraOrigin: _e, sla: _s, ...chain }): ChainPreset => chain)
  const names = chains.map((c) => c.name)
  const ids = chains.map((c) => c.chainId)
  names.forEach((n, i) => {
    if (!/^[a-z][a-z0-9-]*$/.test(n)) fail(`chains[${i}].name`, 'must be lowercase letters, digits and dashes (it is part of ids)')
    if (names.indexOf(n) !== i) fail(`chains[${i}].name`, `repeats "${n}"`)
    if (ids.indexOf(ids[i]) !== i) fail(`chains[${i}].chainId`, `repeats ${ids[i]}`)
  })
  const b = (o.bridge ?? fail('bridge', 'is missing')) as Record<string, unknown>
  const chainName = (key: string, v: unknown): string => {
    if (typeof v !== 'string' || !names.includes(v)) fail(key, `must name one of the chains (${names.join(', ')})`)
    return v as string
  }
  const l1Chain = chainName('bridge.l1Chain', b.l1Chain)
  const l2Chain = chainName('bridge.l2Chain', b.l2Chain)
  if (l1Chain === l2Chain) fail('bridge.l2Chain', 'must differ from bridge.l1Chain')
  if (typeof b.l1Bridge !== 'string' || !ADDRESS.test(b.l1Bridge)) fail('bridge.l1Bridge', 'must be a 0x-prefixed 20-byte hex address')
  const maxBridgeDelay = o.maxBridgeDelay
  if (typeof maxBridgeDelay !== 'number' || !Number.isInteger(maxBridgeDelay) || maxBridgeDelay < 1) fail('maxBridgeDelay', 'must be an integer ≥ 1 (seconds)')
  if (typeof o.name !== 'string' || o.name.length === 0) fail('name', 'must be a non-empty string')
  if (o.note != null && (typeof o.note !== 'string' || o.note.length === 0)) fail('note', 'must be a non-empty string')
  return {
    name: o.name as string,
    note: (o.note as string | undefined) ?? undefined,
    eraOrigin: full[0].eraOrigin,
    sla: full[0].sla,
    maxBridgeDelay: maxBridgeDelay as number,
    bridge: { l1Chain, l1Bridge: (b.l1Bridge as string).toLowerCase(), l2Chain },
    chains,
  }
}

/** Reads and validates a multi-chain preset (a file with a `chains` list); every problem names the file and the key. */
export function loadMultiChainPreset(nameOrPath: string, dir = NETWORKS_DIR): MultiChainPreset {
  const { raw, file } = readPresetFile(nameOrPath, dir)
  return validateMultiChainPreset(raw, file)
}
