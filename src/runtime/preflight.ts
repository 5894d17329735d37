/**
 * Start-up sanity for any preset, before the indexer fetches a block: the
 * token address holds a contract that answers `decimals()` and
 * `totalSupply()`, and every protocol address holds code. A preset that names
 * the wrong address (or the wrong chain) would otherwise index nothing and
 * serve a total supply of 0 as if it were true. Each refusal is one line
 * naming the setting, the address and the chain.
 *
 * Also the warnings that do not stop the indexer but make its figures
 * suspect: a start block after the token's deployment block (the index
 * misses the mints before it), found by bisection on eth_getCode.
 */
import * as icnt from '../abi/ICNT'
import type { NetworkPreset } from '../config'
import { type RpcClient, RpcError } from './rpc'

export class PreflightError extends Error {}

/** A warning the indexer records in its status row: `_meta.warnings`, and /readyz answers 503 with it. */
export interface IndexWarning {
  code: string
  message: string
}

const hex = (n: number) => '0x' + n.toString(16)

async function hasCode(rpc: RpcClient, address: string, block: number | 'latest'): Promise<boolean> {
  const code = await rpc.call<string>('eth_getCode', [address, typeof block === 'number' ? hex(block) : block])
  return typeof code === 'string' && code !== '0x' && code !== '0x0'
}

/** Refuses a preset whose contracts are not on this chain. */
export async function checkContracts(rpc: RpcClient, preset: NetworkPreset): Promise<void> {
  const on = `on chain ${preset.chainId} (preset "${preset.name}")`
  const c = preset.contracts
  if (!c.token) return
  if (!(await hasCode(rpc, c.token, 'latest'))) throw new PreflightError(`contracts.token ${c.token} has no code ${on}: a wrong address, or the RPC serves another chain`)
  for (const [name, fn] of [['decimals', icnt.functions.decimals], ['totalSupply', icnt.functions.totalSupply]] as const) {
    const refused = () => new PreflightError(`contracts.token ${c.token} does not answer ${name}() ${on}: it is not an ERC-20 token (another of the preset's contracts?)`)
    // A revert (the node's JSON-RPC error) or an answer that does not decode; a transport failure is not this and propagates.
    let out: string
    try {
      out = await rpc.call<string>('eth_call', [{ to: c.token, data: fn.encode({}) }, 'latest'])
    } catch (e) {
      if (e instanceof RpcError) throw refused()
      throw e
    }
    try {
      fn.decodeResult(out)
    } catch {
      throw refused()
    }
  }
  for (const key of ['vesting', 'staking', 'market', 'slaOracle'] as const) {
    const a = c[key]
    if (a && !(await hasCode(rpc, a, 'latest'))) throw new PreflightError(`contracts.${key} ${a} has no code ${on}: a wrong address, or the RPC serves another chain`)
  }
}

/**
 * The block the token's code first appears at (bisection on eth_getCode over
 * [0, head]), or undefined when the RPC cannot answer historical state.
 */
export async function tokenDeploymentBlock(rpc: RpcClient, token: string): Promise<number | undefined> {
  const head = Number(await rpc.call<string>('eth_blockNumber'))
  let lo = 0
  let hi = head
  try {
    if (await hasCode(rpc, token, 0)) return 0
    // Invariant: no code at lo, code at hi.
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2)
      if (await hasCode(rpc, token, mid)) hi = mid
      else lo = mid
    }
  } catch (e) {
    // The node refuses state at an old block (a pruned, non-archive node): no warning can be given.
    if (e instanceof RpcError) return undefined
    throw e
  }
  return hi
}

/** A start block after the token's deployment: the index misses what happened between them. */
export async function startBlockWarning(rpc: RpcClient, preset: NetworkPreset): Promise<IndexWarning | undefined> {
  if (!preset.contracts.token || !preset.startBlock) return undefined
  const deployed = await tokenDeploymentBlock(rpc, preset.contracts.token)
  if (deployed === undefined || preset.startBlock <= deployed) return undefined
  return {
    code: 'START_AFTER_DEPLOYMENT',
    message: `startBlock ${preset.startBlock} is after the token's deployment at block ${deployed}: mints and transfers before it are not indexed, so balances and supply are incomplete`,
  }
}
