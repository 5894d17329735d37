/**
 * The token workload of `bench:ingest --workload token`: a chain with the
 * reference ICNT alone and a plain ERC-20 history, the kind a new user tries
 * first with a token-only preset. By default 200,000 Transfers in blocks of
 * 100 to 500, to about 20,000 holders: two thirds from the deployer to
 * holders (the distribution), one third holder to holder (each sender spends
 * part of what it holds). Deterministic for a seed; generated once (about a
 * minute) and kept as an anvil state dump under .data/bench-token-chain,
 * keyed by its parameters and a fingerprint of the token and this code.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import * as icnt from '../../lib/abi/ICNT'
import { PROJECT_DIR } from '../../lib/config'
import type { NetworkPreset } from '../../lib/config'
import { DEPLOYER } from '../../lib/devnet/actors'
import { Anvil } from '../../lib/devnet/anvil'
import { DevChain } from '../../lib/devnet/chain'
import { deployToken, DEVNET_CHAIN_ID, DEVNET_FINALITY, GENESIS_TIME } from '../../lib/devnet/deploy'
import { Rng } from '../../lib/devnet/simulator'
import { dumpAnvilState, loadAnvilState } from '../../lib/devnet/snapshot'

export interface TokenWorkload {
  transfers: number
  holders: number
  seed: number
}

export interface TokenChainMeta extends TokenWorkload {
  fingerprint: string
  blocks: number
  /** Logs at the token: its Transfers (the reference ICNT emits no others here). */
  events: number
  holderToHolder: number
  headHash: string
  preset: NetworkPreset
  generateSeconds: number
}

const ICNT = 10n ** 18n
const BLOCK_TIME = 12
/** Recipients of one distribution transaction (batchTransfer). */
const DISTRIBUTION_BATCH = 100

function fingerprint(): string {
  const h = crypto.createHash('sha256')
  h.update(fs.readFileSync(path.join(PROJECT_DIR, 'contracts', 'build', 'ICNT.json')))
  h.update(fs.readFileSync(__filename))
  return h.digest('hex').slice(0, 16)
}

/** The address of holder i: deterministic, no keys needed (anvil impersonates every sender). */
function holder(i: number): string {
  return '0x' + crypto.createHash('sha256').update(`icn-bench-holder-${i}`).digest('hex').slice(0, 40)
}

function tokenPreset(token: string, startBlock: number): NetworkPreset {
  return {
    name: 'bench-token',
    chainId: DEVNET_CHAIN_ID,
    note: 'Token-only benchmark chain (bench:ingest --workload token)',
    contracts: { token },
    startBlock,
    eraOrigin: GENESIS_TIME,
    finalityConfirmations: DEVNET_FINALITY,
    labels: [],
    sla: { quorum: 2, minUptimeBps: 9900, maxLatencyMs: 200, minChallengePassBps: 9900, suspectUptimeDeviationBps: 100, suspectLatencyDeviationMs: 50 },
  }
}

/** Mines the workload into a fresh anvil; returns what it made. */
async function generate(anvil: Anvil, w: TokenWorkload, log: (msg: string) => void): Promise<Omit<TokenChainMeta, 'fingerprint' | 'generateSeconds'>> {
  const chain = new DevChain(anvil.rpc)
  let t = GENESIS_TIME
  const token = await deployToken(chain, ++t)
  const rng = new Rng(w.seed)
  const balances = new Map<number, bigint>()
  const funded: number[] = []
  let nextNew = 0
  let made = 0
  let holderToHolder = 0
  let lastLog = Date.now()
  while (made < w.transfers) {
    const n = Math.min(w.transfers - made, rng.int(100, 500))
    // A third of each block holder to holder (once there are holders to spend), the rest distribution.
    const peer = funded.length > 10 ? Math.round(n / 3) : 0
    const dist: [string, bigint][] = []
    for (let i = 0; i < n - peer; i++) {
      // New holders first, until there are `holders` of them; then top-ups of existing ones.
      const h = nextNew < w.holders ? nextNew++ : rng.int(0, w.holders - 1)
      const amount = BigInt(rng.int(100, 10_000)) * ICNT
      if (!balances.has(h)) funded.push(h)
      balances.set(h, (balances.get(h) ?? 0n) + amount)
      dist.push([holder(h), amount])
    }
    for (let i = 0; i < dist.length; i += DISTRIBUTION_BATCH) {
      const xs = dist.slice(i, i + DISTRIBUTION_BATCH)
      chain.send({ from: DEPLOYER, to: token.address, data: icnt.functions.batchTransfer.encode({ to: xs.map((x) => x[0]), amounts: xs.map((x) => x[1]) }), gas: 60_000 + 40_000 * xs.length, label: 'distribution' })
    }
    // Holder to holder: each sender pays one to three others part of what it holds.
    let left = peer
    while (left > 0) {
      const from = rng.pick(funded)
      const k = Math.min(left, rng.int(1, 3))
      const xs: [string, bigint][] = []
      let bal = balances.get(from)!
      for (let j = 0; j < k; j++) {
        const to = rng.pick(funded)
        const amount = bal / BigInt(rng.int(4, 20))
        bal -= amount
        balances.set(to, (balances.get(to) ?? 0n) + amount)
        xs.push([holder(to), amount])
      }
      // A payment to itself is credited back above and debited here: net zero, as on chain.
      balances.set(from, (balances.get(from) ?? 0n) - xs.reduce((s, x) => s + x[1], 0n))
      chain.send({ from: holder(from), to: token.address, data: icnt.functions.batchTransfer.encode({ to: xs.map((x) => x[0]), amounts: xs.map((x) => x[1]) }), gas: 60_000 + 40_000 * xs.length, label: 'holder to holder' })
      left -= k
      holderToHolder += k
    }
    t += BLOCK_TIME
    await chain.mine(t)
    made += n
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now()
      log(`  ${made} of ${w.transfers} transfers`)
    }
  }
  const blocks = await chain.blockNumber()
  const head = await anvil.rpc.call<{ hash: string }>('eth_getBlockByNumber', ['0x' + blocks.toString(16), false])
  let events = 0
  for (let from = 0; from <= blocks; from += 50) {
    const logs = await anvil.rpc.call<unknown[]>('eth_getLogs', [{ address: token.address, fromBlock: '0x' + from.toString(16), toBlock: '0x' + Math.min(blocks, from + 49).toString(16) }])
    events += logs.length
  }
  return { ...w, blocks, events, holderToHolder, headHash: head.hash, preset: tokenPreset(token.address, token.block) }
}

/** A running anvil with the token workload: from the cache when it holds this one, else generated now and cached. */
export async function tokenChain(w: TokenWorkload, o: { port: number; fresh?: boolean; log: (msg: string) => void }): Promise<{ anvil: Anvil; meta: TokenChainMeta; cached: boolean }> {
  const dir = path.join(PROJECT_DIR, '.data', 'bench-token-chain', `seed-${w.seed}-transfers-${w.transfers}-holders-${w.holders}`)
  const fp = fingerprint()
  const metaFile = path.join(dir, 'meta.json')
  const stateFile = path.join(dir, 'anvil-state.json.gz')
  const anvil = await Anvil.start({ port: o.port, genesisTimestamp: GENESIS_TIME, largeRequests: true })
  try {
    if (!o.fresh && fs.existsSync(metaFile) && fs.existsSync(stateFile)) {
      const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as TokenChainMeta
      if (meta.fingerprint === fp) {
        o.log(`loading the cached token chain from ${path.relative(PROJECT_DIR, dir)} …`)
        await loadAnvilState(anvil, stateFile, { blocks: meta.blocks, headHash: meta.headHash })
        return { anvil, meta, cached: true }
      }
    }
    o.log(`generating the token workload: ${w.transfers} transfers to ${w.holders} holders (seed ${w.seed}) …`)
    const t0 = process.hrtime.bigint()
    const made = await generate(anvil, w, o.log)
    const meta: TokenChainMeta = { ...made, fingerprint: fp, generateSeconds: Number((Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)) }
    fs.rmSync(dir, { recursive: true, force: true })
    fs.mkdirSync(dir, { recursive: true })
    await dumpAnvilState(anvil, stateFile)
    fs.writeFileSync(metaFile, JSON.stringify(meta, null, 2) + '\n')
    o.log(`saved the token chain (${meta.events} transfers in ${meta.blocks} blocks, generated in ${meta.generateSeconds} s)`)
    return { anvil, meta, cached: false }
  } catch (e) {
    await anvil.stop()
    throw e
  }
}
