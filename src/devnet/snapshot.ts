/**
 * A generated devnet history kept on disk, so that a benchmark reloads it in
 * seconds instead of simulating it again (a million events take minutes).
 *
 * The snapshot is anvil's own state dump (`anvil_dumpState`: gzipped JSON of
 * the accounts, every block, every transaction and its receipt and logs),
 * loaded into a fresh anvil with `anvil_loadState`. It lives in
 * `<dir>/seed-<seed>-scale-<scale>-eras-<eras>/` beside a meta.json, and is
 * used only while the code that made it is unchanged: the meta records a
 * fingerprint of the contracts' bytecode and the compiled devnet modules
 * (deploy, genesis, allocations, simulator), and any change regenerates it.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { PROJECT_DIR } from '../config'
import type { NetworkPreset } from '../config'
import { Anvil } from './anvil'
import { Deployment, GENESIS_TIME } from './deploy'
import { countLogs, startDevnet } from '.'

export interface SnapshotKey {
  seed: number
  scale: number
  eras: number
}

export interface SnapshotMeta extends SnapshotKey {
  fingerprint: string
  blocks: number
  events: number
  headHash: string
  preset: NetworkPreset
  /** How long the simulation took when the snapshot was made. */
  generateSeconds: number
}

export interface LoadedDevnet {
  anvil: Anvil
  meta: SnapshotMeta
  /** True when the history came from disk, false when it was generated now. */
  cached: boolean
  seconds: number
}

/**
 * The deployment a snapshot's chain holds, read back from its preset
 * (devnetPreset's contracts, start block and the treasury's and rewards
 * distributor's labels), to drive its simulator on.
 */
export function deploymentOf(meta: SnapshotMeta): Deployment {
  const p = meta.preset
  const label = (category: string) => {
    const l = p.labels.find((x) => x.category === category)
    if (!l) throw new Error(`the snapshot's preset has no ${category} label`)
    return l.address
  }
  const c = p.contracts
  if (!c.vesting || !c.staking || !c.market || !c.slaOracle || p.startBlock == null) throw new Error(`the snapshot's preset lacks a protocol contract or its start block`)
  return { token: c.token, vesting: c.vesting, staking: c.staking, market: c.market, slaOracle: c.slaOracle, treasury: label('treasury'), rewardsDistributor: label('rewards'), startBlock: p.startBlock }
}

/** anvil's gzipped state dump, in a snapshot's folder and in a saved devnet's. */
export const STATE_FILE = 'anvil-state.json.gz'

/** What the snapshot depends on: the deployed bytecode and the code that drives the simulation. */
export function devnetFingerprint(): string {
  const h = crypto.createHash('sha256')
  const build = path.join(PROJECT_DIR, 'contracts', 'build')
  for (const f of fs.readdirSync(build).filter((n) => n.endsWith('.json')).sort()) h.update(f).update(fs.readFileSync(path.join(build, f)))
  // The modules as they run: compiled (lib/) or, under jest, their sources.
  const ext = fs.existsSync(path.join(__dirname, 'simulator.js')) ? 'js' : 'ts'
  for (const m of ['actors', 'allocations', 'chain', 'deploy', 'genesis', 'index', 'simulator']) {
    h.update(m).update(fs.readFileSync(path.join(__dirname, `${m}.${ext}`)))
  }
  return h.digest('hex').slice(0, 16)
}

export function snapshotDir(dir: string, k: SnapshotKey): string {
  return path.join(dir, `seed-${k.seed}-scale-${k.scale}-eras-${k.eras}`)
}

function readMeta(d: string, k: SnapshotKey, fingerprint: string): SnapshotMeta | undefined {
  try {
    const meta = JSON.parse(fs.readFileSync(path.join(d, 'meta.json'), 'utf8')) as SnapshotMeta
    const ok = meta.seed === k.seed && meta.scale === k.scale && meta.eras === k.eras && meta.fingerprint === fingerprint
    return ok && fs.existsSync(path.join(d, STATE_FILE)) ? meta : undefined
  } catch {
    return undefined
  }
}

/**
 * A running anvil holding the history of `k`: loaded from the snapshot in
 * `dir` when a valid one exists (and `fresh` is not set), otherwise simulated
 * now and saved for the next time. The loaded chain is checked against the
 * meta (height and head hash).
 */
export async function devnetFromSnapshot(
  dir: string,
  k: SnapshotKey,
  o: { port: number; fresh?: boolean; log?: (msg: string) => void },
): Promise<LoadedDevnet> {
  const log = o.log ?? (() => {})
  const d = snapshotDir(dir, k)
  const fingerprint = devnetFingerprint()
  const meta = o.fresh ? undefined : readMeta(d, k, fingerprint)
  const t0 = process.hrtime.bigint()
  const elapsed = () => Number(process.hrtime.bigint() - t0) / 1e9
  if (meta) {
    log(`loading the cached chain from ${path.relative(PROJECT_DIR, d)} …`)
    const anvil = await Anvil.start({ port: o.port, genesisTimestamp: GENESIS_TIME, largeRequests: true })
    try {
      await loadAnvilState(anvil, path.join(d, STATE_FILE), meta)
      return { anvil, meta, cached: true, seconds: elapsed() }
    } catch (e) {
      await anvil.stop()
      throw e
    }
  }
  log(`generating ${k.eras} eras at scale ${k.scale} (seed ${k.seed}) …`)
  let last = Date.now()
  const devnet = await startDevnet({
    port: o.port,
    seed: k.seed,
    scale: k.scale,
    historyEras: k.eras,
    largeRequests: true,
    onProgress: (e) => {
      if (Date.now() - last > 10_000) {
        last = Date.now()
        log(`  era ${e + 1} of ${k.eras}`)
      }
    },
  })
  try {
    const generateSeconds = Number(elapsed().toFixed(1))
    const blocks = await devnet.chain.blockNumber()
    const head = await devnet.anvil.rpc.call<{ hash: string }>('eth_getBlockByNumber', ['0x' + blocks.toString(16), false])
    const events = await countLogs(devnet.anvil.rpc, blocks, 20)
    const fresh: SnapshotMeta = { ...k, fingerprint, blocks, events, headHash: head.hash, preset: devnet.preset, generateSeconds }
    fs.rmSync(d, { recursive: true, force: true })
    fs.mkdirSync(d, { recursive: true })
    await dumpAnvilState(devnet.anvil, path.join(d, STATE_FILE))
    fs.writeFileSync(path.join(d, 'meta.json'), JSON.stringify(fresh, null, 2) + '\n')
    log(`saved the chain to ${path.relative(PROJECT_DIR, d)} (${events} events in ${blocks} blocks, generated in ${generateSeconds} s)`)
    return { anvil: devnet.anvil, meta: fresh, cached: false, seconds: elapsed() }
  } catch (e) {
    await devnet.stop()
    throw e
  }
}

/** Loads a state dump into a fresh anvil and checks the chain it holds against what was recorded. */
export async function loadAnvilState(anvil: Anvil, file: string, expect: { blocks: number; headHash: string }): Promise<void> {
  const gz = fs.readFileSync(file)
  const body = `{"jsonrpc":"2.0","id":1,"method":"anvil_loadState","params":["0x${gz.toString('hex')}"]}`
  const res = await fetch(anvil.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  const answer = (await res.json()) as { result?: boolean; error?: { message: string } }
  if (answer.result !== true) throw new Error(`anvil_loadState failed: ${answer.error?.message ?? JSON.stringify(answer)}`)
  const height = Number(await anvil.rpc.call<string>('eth_blockNumber'))
  const head = await anvil.rpc.call<{ hash: string } | null>('eth_getBlockByNumber', ['0x' + height.toString(16), false])
  if (height !== expect.blocks || head?.hash !== expect.headHash) {
    throw new Error(`the loaded chain is at block ${height} (${head?.hash}), the snapshot says ${expect.blocks} (${expect.headHash}): delete ${path.dirname(file)}`)
  }
}

/** Writes anvil's state (gzipped JSON of accounts, blocks, transactions, receipts and logs) to `file`. */
export async function dumpAnvilState(anvil: Anvil, file: string, o: { historicalStates?: boolean } = {}): Promise<void> {
  // With historical states (anvil must run with --preserve-historical-states), eth_call works at past blocks after a load.
  const hex = await anvil.rpc.call<string>('anvil_dumpState', o.historicalStates ? [true] : [])
  fs.writeFileSync(file, Buffer.from(hex.replace(/^0x/, ''), 'hex'))
}
