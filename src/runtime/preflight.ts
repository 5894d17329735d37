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
 * misses the mints before it), found by bisection on eth_getCode; and, for
 * a preset without a start block, that deployment block as the start.
 *
 * `npm start` runs the RPC and contract checks before it prints its banner;
 * the indexer runs them again when it starts alone.
 */
import { Client } from 'pg'
import * as icnt from '../abi/ICNT'
import type { NetworkPreset } from '../config'
import { RpcClient, RpcError } from './rpc'

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

const hostOf = (url: string) => {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

/**
 * Every RPC URL answers (retried until `timeoutMs`) and serves the preset's
 * chain; an URL that never answers, or one on another chain, is refused in
 * one line naming it.
 */
export async function checkRpcs(urls: string[], preset: NetworkPreset, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  await Promise.all(
    urls.map(async (url) => {
      let last = ''
      for (;;) {
        const left = deadline - Date.now()
        if (left <= 0) throw new PreflightError(`RPC_URL ${hostOf(url)} does not answer eth_chainId within ${timeoutMs / 1000} s (${last})`)
        try {
          const id = Number(await new RpcClient(url, { timeoutMs: Math.min(left, 10_000) }).call<string>('eth_chainId'))
          if (id !== preset.chainId) throw new PreflightError(`RPC_URL ${hostOf(url)} serves chain ${id}, but preset "${preset.name}" is chain ${preset.chainId}`)
          return
        } catch (e) {
          if (e instanceof PreflightError) throw e
          const cause = (e as Error & { cause?: { code?: string } }).cause?.code
          last = cause ?? (e as Error).message
          await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(0, deadline - Date.now()))))
        }
      }
    }),
  )
}

/**
 * The block the index starts at: the preset's startBlock; else, for a preset
 * without one, the token's deployment block kept in the database by an
 * earlier start; else that block found now (bisection on eth_getCode), logged
 * and kept (the preset file is never rewritten). A node that cannot answer
 * past state (not an archive node) cannot find it: refused in one line,
 * unless a gateway is set (then the index scans from block 0, as it is fast).
 */
export async function resolveStartBlock(
  rpc: RpcClient,
  preset: NetworkPreset,
  databaseUrl: string,
  o: { gateway: boolean; log: (msg: string) => void },
): Promise<number> {
  if (preset.startBlock != null) return preset.startBlock
  const token = preset.contracts.token
  if (!token) return 0
  const id = `${preset.chainId}:${token.toLowerCase()}`
  const db = new Client({ connectionString: databaseUrl })
  await db.connect()
  try {
    const kept = await db.query<{ block: number }>(`SELECT block FROM index_start WHERE id = $1`, [id])
    if (kept.rows[0]) return kept.rows[0].block
    const found = await tokenDeploymentBlock(rpc, token)
    if (found === undefined) {
      if (o.gateway) {
        o.log(`preset "${preset.name}" has no startBlock and the RPC cannot answer past state: the index scans from block 0 through GATEWAY_URL`)
        return 0
      }
      throw new PreflightError(
        `preset "${preset.name}" has no startBlock, and RPC_URL cannot answer state at past blocks (not an archive node), so the token's deployment block cannot be found: set startBlock in the preset, use an archive RPC, or set GATEWAY_URL`,
      )
    }
    await db.query(`INSERT INTO index_start (id, block, found_at) VALUES ($1, $2, now()) ON CONFLICT (id) DO NOTHING`, [id, found])
    o.log(`preset "${preset.name}" has no startBlock: the token ${token} was deployed at block ${found} (found by bisection on eth_getCode), so the index starts there (kept in the database)`)
    return found
  } finally {
    await db.end()
  }
}
