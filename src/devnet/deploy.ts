import fs from 'node:fs'
import path from 'node:path'
import * as p from '@subsquid/evm-codec'
import { fun } from '@subsquid/evm-abi'
import { PROJECT_DIR } from '../config'
import type { NetworkPreset } from '../config'
import * as staking from '../abi/ICNStaking'
import { actor, DEPLOYER } from './actors'
import { DevChain } from './chain'

/** Unix seconds of the devnet's genesis block, which is also TGE and era 0. */
export const GENESIS_TIME = 1767225600 // 2026-01-01T00:00:00Z
export const DEVNET_CHAIN_ID = 31337
export const DEVNET_FINALITY = 10

export interface Deployment {
  token: string
  vesting: string
  staking: string
  market: string
  slaOracle: string
  treasury: string
  rewardsDistributor: string
  /** Block of the token's deployment: where indexing starts. */
  startBlock: number
}

function bytecode(name: string): string {
  const file = path.join(PROJECT_DIR, 'contracts', 'build', `${name}.json`)
  const art = JSON.parse(fs.readFileSync(file, 'utf8')) as { bytecode: string }
  return art.bytecode
}

/** Constructor arguments of address type, ABI-encoded (a function encoding without its selector). */
function addressArgs(...addrs: string[]): string {
  const args: Record<string, typeof p.address> = {}
  addrs.forEach((_, i) => (args[`a${i}`] = p.address))
  const values: Record<string, string> = {}
  addrs.forEach((a, i) => (values[`a${i}`] = a))
  return fun('0x00000000', 'constructor()', args).encode(values).slice(10)
}

/** Deploys the reference ICNT alone (all 700M to the deployer) in one block at `timestamp`: a token-only chain. */
export async function deployToken(chain: DevChain, timestamp: number): Promise<{ address: string; block: number }> {
  chain.send({ from: DEPLOYER, data: bytecode('ICNT') + addressArgs(DEPLOYER), gas: 8_000_000, label: 'deploy ICNT' })
  const [r] = await chain.mine(timestamp)
  return { address: r.contractAddress!.toLowerCase(), block: await chain.blockNumber() }
}

/**
 * Deploys the five reference contracts from the deployer, one block each at
 * the times given, and wires them together. Deterministic: the same chain
 * state gives the same addresses.
 */
export async function deployContracts(chain: DevChain, time: () => number): Promise<Deployment> {
  const treasury = actor('treasury')
  const rewardsDistributor = actor('rewards-distributor')
  const deploy = async (name: string, args: string): Promise<{ address: string; block: number }> => {
    chain.send({ from: DEPLOYER, data: bytecode(name) + args, gas: 8_000_000, label: `deploy ${name}` })
    const [r] = await chain.mine(time())
    return { address: r.contractAddress!.toLowerCase(), block: await chain.blockNumber() }
  }
  const token = await deploy('ICNT', addressArgs(DEPLOYER))
  const vesting = await deploy('ICNVesting', addressArgs(token.address, DEPLOYER))
  const stakingC = await deploy('ICNStaking', addressArgs(token.address, treasury, rewardsDistributor, DEPLOYER))
  const market = await deploy('CapacityMarket', addressArgs(token.address, stakingC.address, treasury, DEPLOYER))
  const oracle = await deploy('SLAOracle', addressArgs(DEPLOYER))
  chain.send({
    from: DEPLOYER,
    to: stakingC.address,
    data: staking.functions.setCapacityMarket.encode({ market: market.address }),
    gas: 200_000,
    label: 'wire capacity market',
  })
  await chain.mine(time())
  return {
    token: token.address,
    vesting: vesting.address,
    staking: stakingC.address,
    market: market.address,
    slaOracle: oracle.address,
    treasury,
    rewardsDistributor,
    startBlock: token.block,
  }
}

/** The devnet network preset for a deployment (what config/networks/devnet.json holds). */
export function devnetPreset(d: Deployment): NetworkPreset {
  return {
    name: 'devnet',
    chainId: DEVNET_CHAIN_ID,
    note: 'Local anvil devnet deployed by icn-indexer; all 700M ICNT live here.',
    contracts: { token: d.token, vesting: d.vesting, staking: d.staking, market: d.market, slaOracle: d.slaOracle },
    startBlock: d.startBlock,
    eraOrigin: GENESIS_TIME,
    finalityConfirmations: DEVNET_FINALITY,
    labels: [
      { address: d.treasury, label: 'ICN Treasury', category: 'treasury' },
      { address: d.rewardsDistributor, label: 'Network rewards distributor', category: 'rewards' },
    ],
    sla: {
      quorum: 2,
      minUptimeBps: 9900,
      maxLatencyMs: 200,
      minChallengePassBps: 9900,
      suspectUptimeDeviationBps: 100,
      suspectLatencyDeviationMs: 50,
    },
  }
}

export function writePreset(preset: NetworkPreset, file: string): void {
  fs.writeFileSync(file, JSON.stringify(preset, null, 2) + '\n')
}
