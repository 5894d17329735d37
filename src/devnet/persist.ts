/**
 * The devnet `npm start` runs, kept in the data folder across restarts: the
 * chain as anvil dumps it (accounts, blocks, receipts and, so that eth_call
 * and verify work at any past block, every historical state), and beside it
 * what rebuilds the simulator (seed, scale, the eras it has stepped) and the
 * deployment. Saved periodically and on stop, between two simulator steps.
 *
 * On the next start the chain is loaded and checked against what was saved
 * (height and head hash), the simulator replays its eras in memory (it is
 * deterministic) and its mirrored balances are checked against the chain. A
 * save that does not hold (other code, another seed, a mismatch) is said in
 * one line and the devnet starts fresh.
 */
import fs from 'node:fs'
import path from 'node:path'
import * as icnt from '../abi/ICNT'
import { Anvil } from './anvil'
import { DevChain } from './chain'
import { Deployment, devnetPreset, GENESIS_TIME } from './deploy'
import { simulatorOptions, type Devnet } from '.'
import { Simulator } from './simulator'
import { devnetFingerprint, dumpAnvilState, loadAnvilState, STATE_FILE } from './snapshot'

const META_FILE = 'meta.json'

export interface SavedDevnet {
  seed: number
  scale: number
  /** The history the devnet was generated with (the simulator's upgrade and degradation eras depend on it). */
  historyEras: number
  /** Eras the simulator had stepped when saved. */
  eras: number
  fingerprint: string
  blocks: number
  headHash: string
  deployment: Deployment
  savedAt: string
}

export interface DevnetIdentity {
  seed: number
  scale: number
  historyEras: number
}

/** Writes the devnet's chain and simulator to `dir`; the previous save stays whole until the new one is. */
export async function saveDevnet(devnet: Devnet, id: DevnetIdentity, dir: string): Promise<SavedDevnet> {
  fs.mkdirSync(dir, { recursive: true })
  const blocks = await devnet.chain.blockNumber()
  const head = await devnet.anvil.rpc.call<{ hash: string }>('eth_getBlockByNumber', ['0x' + blocks.toString(16), false])
  const meta: SavedDevnet = { ...id, eras: devnet.simulator.era, fingerprint: devnetFingerprint(), blocks, headHash: head.hash, deployment: devnet.deployment, savedAt: new Date().toISOString() }
  const state = path.join(dir, STATE_FILE)
  await dumpAnvilState(devnet.anvil, `${state}.tmp`, { historicalStates: true })
  fs.writeFileSync(path.join(dir, `${META_FILE}.tmp`), JSON.stringify(meta, null, 2) + '\n')
  // The meta last: a state without its meta fails the height and hash check, and starts fresh.
  fs.renameSync(`${state}.tmp`, state)
  fs.renameSync(path.join(dir, `${META_FILE}.tmp`), path.join(dir, META_FILE))
  return meta
}

export function readSavedDevnet(dir: string): SavedDevnet | undefined {
  const file = path.join(dir, META_FILE)
  if (!fs.existsSync(file) || !fs.existsSync(path.join(dir, STATE_FILE))) return undefined
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SavedDevnet
}

/** Why the save in `dir` cannot be resumed with these settings, or undefined when it can. */
export function refusal(saved: SavedDevnet, id: DevnetIdentity): string | undefined {
  if (saved.fingerprint !== devnetFingerprint()) return 'it was made by other devnet code (contracts or simulator changed)'
  for (const k of ['seed', 'scale', 'historyEras'] as const) {
    const env = { seed: 'SIM_SEED', scale: 'SIM_SCALE', historyEras: 'SIM_HISTORY_ERAS' }[k]
    if (saved[k] !== id[k]) return `it was made with ${env}=${saved[k]}, this start has ${id[k]}`
  }
  return undefined
}

/**
 * The saved devnet running again on `port`, or the reason it cannot be: the
 * loaded chain must be the saved one, and the replayed simulator's balances
 * the chain's.
 */
export async function resumeDevnet(dir: string, saved: SavedDevnet, o: { port: number }): Promise<Devnet | { reason: string }> {
  const anvil = await Anvil.start({ port: o.port, genesisTimestamp: GENESIS_TIME, preserveHistoricalStates: true, largeRequests: true })
  try {
    try {
      await loadAnvilState(anvil, path.join(dir, STATE_FILE), saved)
    } catch (e) {
      await anvil.stop()
      return { reason: (e as Error).message }
    }
    const chain = new DevChain(anvil.rpc)
    const simulator = await Simulator.replayed(chain, saved.deployment, GENESIS_TIME, simulatorOptions(saved.seed, saved.scale, saved.historyEras), saved.eras)
    // Not the zero address: the mirror books mints and burns against it.
    const mirror = simulator.mirroredBalances().filter(([a]) => BigInt(a) !== 0n)
    const onChain = await anvil.rpc.batch<string>(mirror.map(([a]) => ({ method: 'eth_call', params: [{ to: saved.deployment.token, data: icnt.functions.balanceOf.encode({ account: a }) }, 'latest'] })))
    const off = mirror.findIndex(([, v], i) => icnt.functions.balanceOf.decodeResult(onChain[i]) !== v)
    if (off >= 0) {
      await anvil.stop()
      return { reason: `the replayed simulator holds ${mirror[off][1]} for ${mirror[off][0]}, the chain ${icnt.functions.balanceOf.decodeResult(onChain[off])}` }
    }
    return { anvil, chain, deployment: saved.deployment, preset: devnetPreset(saved.deployment), simulator, stop: () => anvil.stop() }
  } catch (e) {
    await anvil.stop()
    throw e
  }
}
