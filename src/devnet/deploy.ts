import fs from 'node:fs'
import path from 'node:path'
import * as p from '@subsquid/evm-codec'
import { fun } from '@subsquid/evm-abi'
import { PROJECT_DIR } from '../config'
import type { NetworkPreset } from '../config'
import { chainPreset, type MultiChainPreset } from '../config/preset'
import * as staking from '../abi/ICNStaking'
import { actor, DEPLOYER } from './actors'
import { DevChain } from './chain'

/** Unix seconds of the devnet's genesis block, which is also TGE and era 0. */
export const GENESIS_TIME = 1767225600 // 2026-01-01T00:00:00Z
export const DEVNET_CHAIN_ID = 31337
/** The two-chain devnet's L2 (standing for Base); its L1 (standing for Ethereum) is DEVNET_CHAIN_ID. */
export const DEVNET_L2_CHAIN_ID = 31338
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
  /**
   * Set on the two-chain devnet: the token, vesting and this L1 bridge are on
   * the L1; staking, market and oracle are on the L2, on its bridged token.
   */
  bridge?: BridgeDeployment
}

export interface BridgeDeployment {
  l1Bridge: string
  l2Bridge: string
  /** The OptimismMintableERC20 standing for ICNT on the L2. */
  l2Token: string
  /** The one address both bridges let finalize (stands for the OP stack's message proofs). */
  relayer: string
  /** Block of the L2 bridge's deployment: where the L2's indexing starts. */
  l2StartBlock: number
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
  const protocol = await deployProtocol(chain, (name, args) => deploy(name, args), token.address, time)
  return { token: token.address, vesting: vesting.address, ...protocol, treasury, rewardsDistributor, startBlock: token.block }
}

/** Staking, the market and the oracle on `token`, one block each, then the block that wires the market to staking. */
async function deployProtocol(
  chain: DevChain,
  deploy: (name: string, args: string) => Promise<{ address: string }>,
  token: string,
  time: () => number,
): Promise<{ staking: string; market: string; slaOracle: string }> {
  const treasury = actor('treasury')
  const stakingC = await deploy('ICNStaking', addressArgs(token, treasury, actor('rewards-distributor'), DEPLOYER))
  const market = await deploy('CapacityMarket', addressArgs(token, stakingC.address, treasury, DEPLOYER))
  const oracle = await deploy('SLAOracle', addressArgs(DEPLOYER))
  chain.send({
    from: DEPLOYER,
    to: stakingC.address,
    data: staking.functions.setCapacityMarket.encode({ market: market.address }),
    gas: 200_000,
    label: 'wire capacity market',
  })
  await chain.mine(time())
  return { staking: stakingC.address, market: market.address, slaOracle: oracle.address }
}

/**
 * The two-chain devnet's contracts: ICNT, ICNVesting and the L1 bridge on
 * `l1` (ICNT and vesting at the single-chain devnet's addresses), and on `l2`
 * the L2 bridge, the bridged ICNT and the protocol on it. One block per
 * deployment on its own chain, at the times given.
 */
export async function deployTwoChains(l1: DevChain, l2: DevChain, time: () => number): Promise<Deployment> {
  const treasury = actor('treasury')
  const rewardsDistributor = actor('rewards-distributor')
  const relayer = actor('bridge-relayer')
  // The L2's contracts come from a deployer of their own (the owner is still
  // DEPLOYER): the same sender and nonce on both chains would give the same
  // addresses, and an address should say which chain's contract it is.
  const l2Deployer = actor('l2-deployer')
  const deploy = async (chain: DevChain, name: string, args: string): Promise<{ address: string; block: number }> => {
    chain.send({ from: chain === l2 ? l2Deployer : DEPLOYER, data: bytecode(name) + args, gas: 8_000_000, label: `deploy ${name}` })
    const [r] = await chain.mine(time())
    return { address: r.contractAddress!.toLowerCase(), block: await chain.blockNumber() }
  }
  const token = await deploy(l1, 'ICNT', addressArgs(DEPLOYER))
  const vesting = await deploy(l1, 'ICNVesting', addressArgs(token.address, DEPLOYER))
  const l1Bridge = await deploy(l1, 'L1StandardBridge', addressArgs(relayer))
  const l2Bridge = await deploy(l2, 'L2StandardBridge', addressArgs(relayer))
  const l2Token = await deploy(l2, 'OptimismMintableERC20', addressArgs(l2Bridge.address, token.address))
  const protocol = await deployProtocol(l2, (name, args) => deploy(l2, name, args), l2Token.address, time)
  return {
    token: token.address,
    vesting: vesting.address,
    ...protocol,
    treasury,
    rewardsDistributor,
    startBlock: token.block,
    bridge: { l1Bridge: l1Bridge.address, l2Bridge: l2Bridge.address, l2Token: l2Token.address, relayer, l2StartBlock: l2Bridge.block },
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

/**
 * The two-chain devnet's network preset: the L1 ("l1") with ICNT, vesting
 * and the escrow, the L2 ("l2") with the bridged ICNT and the protocol. The
 * treasury and the distributor are labelled on both (they hold ICNT on both).
 */
export function devnetNetwork(d: Deployment): MultiChainPreset {
  const b = d.bridge
  if (!b) throw new Error('devnetNetwork takes a two-chain deployment')
  const single = devnetPreset(d)
  return {
    name: 'devnet-2chain',
    note: 'Local two-anvil devnet deployed by icn-indexer: ICNT on the L1, the protocol on the L2 over the bridge.',
    eraOrigin: single.eraOrigin,
    sla: single.sla,
    // The simulator relays deposits one to three eras after they lock, withdrawals six to twelve.
    maxBridgeDelay: 24 * 3600,
    bridge: { l1Chain: 'l1', l1Bridge: b.l1Bridge, l2Chain: 'l2' },
    chains: [
      {
        name: 'l1',
        chainId: DEVNET_CHAIN_ID,
        note: 'The two-chain devnet\'s L1: canonical ICNT, vesting, the bridge escrow.',
        contracts: { token: d.token, vesting: d.vesting },
        startBlock: d.startBlock,
        finalityConfirmations: DEVNET_FINALITY,
        labels: single.labels,
      },
      {
        name: 'l2',
        chainId: DEVNET_L2_CHAIN_ID,
        note: 'The two-chain devnet\'s L2: bridged ICNT, staking, the market, the SLA oracle.',
        contracts: { token: b.l2Token, staking: d.staking, market: d.market, slaOracle: d.slaOracle },
        startBlock: b.l2StartBlock,
        finalityConfirmations: DEVNET_FINALITY,
        labels: single.labels,
      },
    ],
  }
}

/** A deployment's presets: the network's on two chains, and the one the indexer of its (first) chain takes. */
export function devnetPresets(d: Deployment): { preset: NetworkPreset; network?: MultiChainPreset } {
  if (!d.bridge) return { preset: devnetPreset(d) }
  const network = devnetNetwork(d)
  return { preset: chainPreset(network, 'l1'), network }
}

export function writePreset(preset: NetworkPreset, file: string): void {
  fs.writeFileSync(file, JSON.stringify(preset, null, 2) + '\n')
}
