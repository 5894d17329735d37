/**
 * REST endpoints for aggregators (CoinGecko / CoinMarketCap convention):
 *   GET /supply/total        bare decimal number of whole ICNT, text/plain
 *   GET /supply/circulating  the same for the circulating supply
 *   GET /supply[?block=N]    JSON: the full breakdown, the excluded wallets with
 *                            their balances, and the block it was computed at
 */
import type { NetworkPreset } from '../config'
import { formatUnits } from '../domain/units'
import type { HeadCache } from './headcache'
import { DatabaseUnavailable, type Db } from './sql/db'
import { SupplyAnswer, SupplyService } from './supply/service'

export interface RestAnswer {
  status: number
  contentType: string
  body: string
}

const text = (status: number, body: string): RestAnswer => ({ status, contentType: 'text/plain; charset=utf-8', body })
const json = (status: number, body: unknown): RestAnswer => ({ status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) })

export const REST_PATHS = ['/supply', '/supply/total', '/supply/circulating']

/** Answers a REST path, or undefined when the path is not one of ours. */
export async function restRoute(pathname: string, search: URLSearchParams, db: Db, preset: NetworkPreset, cache?: HeadCache): Promise<RestAnswer | undefined> {
  if (!REST_PATHS.includes(pathname)) return undefined
  const blockArg = search.get('block')
  if (blockArg !== null && (pathname !== '/supply' || !/^\d{1,10}$/.test(blockArg))) {
    return json(400, { error: pathname !== '/supply' ? 'block: only /supply takes a block' : `block: "${blockArg.slice(0, 40)}" is not a block number` })
  }
  const service = new SupplyService(db, preset, cache)
  let s
  try {
    s = await service.supply({ block: blockArg === null ? undefined : Number(blockArg) })
  } catch (e) {
    if (e instanceof DatabaseUnavailable) return pathname === '/supply' ? json(503, { error: e.message, code: 'DATABASE_UNAVAILABLE' }) : text(503, e.message)
    return json(400, { error: (e as Error).message })
  }
  if (!s) return pathname === '/supply' ? json(503, { error: 'the index is empty: nothing indexed yet' }) : text(503, 'the index is empty')
  if (pathname === '/supply/total') return text(200, formatUnits(s.totalSupply))
  if (pathname === '/supply/circulating') return text(200, formatUnits(s.circulatingSupply))
  return json(200, supplyJson(s, preset))
}

/** The JSON of GET /supply: the full breakdown with the excluded wallets and the block, for audit. */
export function supplyJson(s: SupplyAnswer, preset: NetworkPreset) {
  const w = (v: bigint) => ({ wei: v.toString(), icnt: formatUnits(v) })
  return {
    network: preset.name,
    chainId: preset.chainId,
    ...(preset.note ? { note: preset.note } : {}),
    block: { number: s.block.number, hash: s.block.hash, timestamp: s.block.timestamp.toISOString() },
    totalSupply: w(s.totalSupply),
    circulatingSupply: w(s.circulatingSupply),
    nonCirculating: w(s.nonCirculating),
    locked: { ...w(s.locked), unvested: w(s.unvested), vestedUnreleased: w(s.vestedUnreleased), contract: preset.contracts.vesting ?? null },
    excludedWallets: s.labelled.map((l) => ({ address: l.address, label: l.label, category: l.category, balance: w(l.balance) })),
    minted: w(s.minted),
    burned: w(s.burned),
    staked: w(s.staked),
    definition: 'circulatingSupply = totalSupply - (vesting contract balance + labelled wallets)',
  }
}
