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
 * one line and the devnet starts fresh. The two-chain devnet saves both
 * chains (its L2's beside the L1's, each checked the same way); the relays
 * still pending are rebuilt by the replay, as the rest of the mirror is.
 */
import fs from 'node:fs'
import path from 'node:path'
import * as icnt from '../abi/ICNT'
import type { RpcClient } from '../runtime/rpc'
import { Anvil } from './anvil'
import { DevChain } from './chain'
import { Deployment, devnetPresets, DEVNET_L2_CHAIN_ID, GENESIS_TIME } from './deploy'
import { simulatorOptions, type Devnet, type DevnetL2 } from '.'
import { Simulator } from './simulator'
import { devnetFingerprint, dumpAnvilState, loadAnvilState, STATE_FILE } from './snapshot'

const META_FILE = 'meta.json'
/** The two-chain devnet's L2 state, beside the L1's STATE_FILE. */
const L2_STATE_FILE = 'anvil-l2-state.json.gz'

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
  /** The two-chain devnet's L2: its height and head when saved. */
  l2?: { blocks: number; headHash: string }
  deployment: Deployment
  savedAt: string
}

export interface DevnetIdentity {
  seed: number
  scale: number
  historyEras: number
  /** The two-chain devnet (not kept in the save's meta: its `l2` says it). */
  twoChains?: boolean
}

/** Writes the devnet's chain and simulator to `dir`; the previous save stays whole until the new one is. */
export async function saveDevnet(devnet: Devnet, id: DevnetIdentity, dir: string): Promise<SavedDevnet> {
  fs.mkdirSync(dir, { recursive: true })
  const { blocks, headHash } = await headOf(devnet.anvil.rpc)
  const meta: SavedDevnet = { ...id, eras: devnet.simulator.era, fingerprint: devnetFingerprint(), blocks, headHash, deployment: devnet.deployment, savedAt: new Date().toISOString() }
  if (devnet.l2) meta.l2 = await headOf(devnet.l2.anvil.rpc)
  const state = path.join(dir, STATE_FILE)
  const l2State = path.join(dir, L2_STATE_FILE)
  await dumpAnvilState(devnet.anvil, `${state}.tmp`, { historicalStates: true })
  if (devnet.l2) await dumpAnvilState(devnet.l2.anvil, `${l2State}.tmp`, { historicalStates: true })
  fs.writeFileSync(path.join(dir, `${META_FILE}.tmp`), JSON.stringify(meta, null, 2) + '\n')
  // The meta last: a state without its meta fails the height and hash check, and starts fresh.
  fs.renameSync(`${state}.tmp`, state)
  if (devnet.l2) fs.renameSync(`${l2State}.tmp`, l2State)
  fs.renameSync(path.join(dir, `${META_FILE}.tmp`), path.join(dir, META_FILE))
  return meta
}

async function headOf(rpc: RpcClient): Promise<{ blocks: number; headHash: string }> {
  const blocks = Number(await rpc.call<string>('eth_blockNumber'))
  const head = await rpc.call<{ hash: string }>('eth_getBlockByNumber', ['0x' + blocks.toString(16), false])
  return { blocks, headHash: head.hash }
}

export function readSavedDevnet(dir: string): SavedDevnet | undefined {
  const file = path.join(dir, META_FILE)
  if (!fs.existsSync(file) || !fs.existsSync(path.join(dir, STATE_FILE))) return undefined
  const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as SavedDevnet
  if (saved.l2 && !fs.existsSync(path.join(dir, L2_STATE_FILE))) return undefined
  return saved
}

/** Why the save in `dir` cannot be resumed with these settings, or undefined when it can. */
export function refusal(saved: SavedDevnet, id: DevnetIdentity): string | undefined {
  if (saved.fingerprint !== devnetFingerprint()) return 'it was made by other devnet code (contracts or simulator changed)'
  if (Boolean(saved.l2) !== Boolean(id.twoChains)) return `it is a ${saved.l2 ? 'two' : 'one'}-chain devnet, this start wants ${id.twoChains ? 'two chains' : 'one'}`
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
export async function resumeDevnet(dir: string, saved: SavedDevnet, o: { port: number; l2Port?: number }): Promise<Devnet | { reason: string }> {
  if (saved.l2 && o.l2Port === undefined) return { reason: 'it is a two-chain devnet and no L2 port was given' }
  const start = (port: number, chainId?: number) => Anvil.start({ port, chainId, genesisTimestamp: GENESIS_TIME, preserveHistoricalStates: true, largeRequests: true })
  const anvil = await start(o.port)
  let l2: DevnetL2 | undefined
  const stop = async () => {
    await Promise.all([anvil.stop(), l2?.anvil.stop()])
  }
  try {
    try {
      await loadAnvilState(anvil, path.join(dir, STATE_FILE), saved)
      if (saved.l2) {
        const l2Anvil = await start(o.l2Port!, DEVNET_L2_CHAIN_ID)
        l2 = { anvil: l2Anvil, chain: new DevChain(l2Anvil.rpc) }
        await loadAnvilState(l2Anvil, path.join(dir, L2_STATE_FILE), saved.l2)
      }
    } catch (e) {
      await stop()
      return { reason: (e as Error).message }
    }
    const chain = new DevChain(anvil.rpc)
    const d = saved.deployment
    const simulator = await Simulator.replayed(chain, d, GENESIS_TIME, simulatorOptions(saved.seed, saved.scale, saved.historyEras), saved.eras, l2?.chain)
    const off =
      (await mirrorMismatch(anvil.rpc, d.token, simulator.mirroredBalances())) ??
      (l2 && d.bridge ? await mirrorMismatch(l2.anvil.rpc, d.bridge.l2Token, simulator.mirroredL2Balances()) : undefined)
    if (off) {
      await stop()
      return { reason: off }
    }
    return { anvil, chain, deployment: d, ...devnetPresets(d), simulator, l2, stop }
  } catch (e) {
    await stop()
    throw e
  }
}

/** The first address whose mirrored balance of `token` is not the chain's, said in a sentence. */
async function mirrorMismatch(rpc: RpcClient, token: string, balances: Array<[string, bigint]>): Promise<string | undefined> {
  // Not the zero address: the mirror books mints and burns against it.
  const mirror = balances.filter(([a]) => BigInt(a) !== 0n)
  const onChain = await rpc.batch<string>(mirror.map(([a]) => ({ method: 'eth_call', params: [{ to: token, data: icnt.functions.balanceOf.encode({ account: a }) }, 'latest'] })))
  const off = mirror.findIndex(([, v], i) => icnt.functions.balanceOf.decodeResult(onChain[i]) !== v)
  if (off < 0) return undefined
  return `the replayed simulator holds ${mirror[off][1]} of ${token} for ${mirror[off][0]}, the chain ${icnt.functions.balanceOf.decodeResult(onChain[off])}`
}
