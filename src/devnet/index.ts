import { Anvil } from './anvil'
import { DevChain } from './chain'
import { deployContracts, deployTwoChains, Deployment, devnetPresets, DEVNET_L2_CHAIN_ID, GENESIS_TIME } from './deploy'
import { runGenesis } from './genesis'
import { Simulator, SimulatorOptions } from './simulator'
import type { NetworkPreset } from '../config'
import type { MultiChainPreset } from '../config/preset'
import type { RpcClient } from '../runtime/rpc'

export interface DevnetOptions {
  port: number
  seed: number
  scale: number
  /** Eras of history mined before `startDevnet` returns. */
  historyEras: number
  preserveHistoricalStates?: boolean
  /** Lift anvil's request size limit (to load or dump a large history over RPC). */
  largeRequests?: boolean
  /**
   * Two chains: an L1 anvil on `port` (ICNT, vesting, the bridge's escrow) and
   * an L2 anvil on `l2Port` (the bridged ICNT and the protocol).
   */
  l2Port?: number
  onProgress?: (era: number) => void
}

/** The two-chain devnet's L2. */
export interface DevnetL2 {
  anvil: Anvil
  chain: DevChain
}

export interface Devnet {
  anvil: Anvil
  chain: DevChain
  deployment: Deployment
  preset: NetworkPreset
  simulator: Simulator
  /** Set on the two-chain devnet; `anvil`, `chain` and `preset` are then its L1's. */
  l2?: DevnetL2
  /** The two-chain devnet's network preset. */
  network?: MultiChainPreset
  stop(): Promise<void>
}

/** Simulator settings for a history of `historyEras`: upgrades at 30% and 60%, degradation from 40%. */
export function simulatorOptions(seed: number, scale: number, historyEras: number): SimulatorOptions {
  const h = Math.max(historyEras, 48)
  return { seed, scale, upgradeEras: [Math.floor(h * 0.3), Math.floor(h * 0.6)], degradeFromEra: Math.floor(h * 0.4) }
}

/** Starts anvil (two on two chains), deploys the contracts, runs the genesis and mines `historyEras` eras of activity. */
export async function startDevnet(o: DevnetOptions): Promise<Devnet> {
  const start = (port: number, chainId?: number) => Anvil.start({ port, chainId, genesisTimestamp: GENESIS_TIME, preserveHistoricalStates: o.preserveHistoricalStates, largeRequests: o.largeRequests })
  const anvil = await start(o.port)
  let l2: DevnetL2 | undefined
  const stop = async () => {
    await Promise.all([anvil.stop(), l2?.anvil.stop()])
  }
  try {
    if (o.l2Port !== undefined) {
      const l2Anvil = await start(o.l2Port, DEVNET_L2_CHAIN_ID)
      l2 = { anvil: l2Anvil, chain: new DevChain(l2Anvil.rpc) }
    }
    const chain = new DevChain(anvil.rpc)
    let t = GENESIS_TIME
    const deployment = l2 ? await deployTwoChains(chain, l2.chain, () => ++t) : await deployContracts(chain, () => ++t)
    await runGenesis(chain, deployment, GENESIS_TIME, ++t, l2?.chain)
    const simulator = new Simulator(chain, deployment, GENESIS_TIME, simulatorOptions(o.seed, o.scale, o.historyEras), l2?.chain)
    for (let e = 0; e < o.historyEras; e++) {
      await simulator.step()
      o.onProgress?.(e)
    }
    return { anvil, chain, deployment, ...devnetPresets(deployment), simulator, l2, stop }
  } catch (e) {
    await stop()
    throw e
  }
}

/** Counts the chain's logs up to `toBlock`, range by range (one call for millions of logs is too big). */
export async function countLogs(rpc: RpcClient, toBlock: number, step = 200): Promise<number> {
  let events = 0
  for (let from = 0; from <= toBlock; from += step) {
    const logs = await rpc.call<unknown[]>('eth_getLogs', [{ fromBlock: '0x' + from.toString(16), toBlock: '0x' + Math.min(toBlock, from + step - 1).toString(16) }])
    events += logs.length
  }
  return events
}
