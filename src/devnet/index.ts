import { Anvil } from './anvil'
import { DevChain } from './chain'
import { deployContracts, Deployment, devnetPreset, GENESIS_TIME } from './deploy'
import { runGenesis } from './genesis'
import { Simulator, SimulatorOptions } from './simulator'
import type { NetworkPreset } from '../config'
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
  onProgress?: (era: number) => void
}

export interface Devnet {
  anvil: Anvil
  chain: DevChain
  deployment: Deployment
  preset: NetworkPreset
  simulator: Simulator
  stop(): Promise<void>
}

/** Simulator settings for a history of `historyEras`: upgrades at 30% and 60%, degradation from 40%. */
export function simulatorOptions(seed: number, scale: number, historyEras: number): SimulatorOptions {
  const h = Math.max(historyEras, 48)
  return { seed, scale, upgradeEras: [Math.floor(h * 0.3), Math.floor(h * 0.6)], degradeFromEra: Math.floor(h * 0.4) }
}

/** Starts anvil, deploys the contracts, runs the genesis and mines `historyEras` eras of activity. */
export async function startDevnet(o: DevnetOptions): Promise<Devnet> {
  const anvil = await Anvil.start({ port: o.port, genesisTimestamp: GENESIS_TIME, preserveHistoricalStates: o.preserveHistoricalStates, largeRequests: o.largeRequests })
  try {
    const chain = new DevChain(anvil.rpc)
    let t = GENESIS_TIME
    const deployment = await deployContracts(chain, () => ++t)
    await runGenesis(chain, deployment, GENESIS_TIME, ++t)
    const simulator = new Simulator(chain, deployment, GENESIS_TIME, simulatorOptions(o.seed, o.scale, o.historyEras))
    for (let e = 0; e < o.historyEras; e++) {
      await simulator.step()
      o.onProgress?.(e)
    }
    return { anvil, chain, deployment, preset: devnetPreset(deployment), simulator, stop: () => anvil.stop() }
  } catch (e) {
    await anvil.stop()
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
