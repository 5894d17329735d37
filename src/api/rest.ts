/**
 * REST endpoints for aggregators (CoinGecko / CoinMarketCap convention):
 *   GET /supply/total        bare decimal number of whole ICNT, text/plain
 *   GET /supply/circulating  the same for the circulating supply
 *   GET /supply[?block=N]    JSON: the full breakdown, the excluded wallets with
 *                            their balances, and the block it was computed at
 *
 * On a multi-chain network (networkRestRoute) the first two are the
 * network's figures at the latest instant every chain has reached; /supply
 * is the network's breakdown (?timestamp=ISO for another instant), or one
 * chain's with ?chain=NAME (and ?block=N).
 */
import type { NetworkPreset } from '../config'
import { formatUnits } from '../domain/units'
import type { HeadCache } from './headcache'
import { DatabaseUnavailable, type Db } from './sql/db'
import { SupplyAnswer, SupplyService } from './supply/service'
import type { NetworkApi, NetworkSupplyAnswer } from './network'
import { networkSupplyAt } from './network'
import { GraphQLError } from 'graphql'

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

/** The REST paths on a multi-chain network: the network's figures, or one chain's (?chain=). */
export async function networkRestRoute(pathname: string, search: URLSearchParams, net: NetworkApi): Promise<RestAnswer | undefined> {
  if (!REST_PATHS.includes(pathname)) return undefined
  const fail = (status: number, error: string, code?: string) => (pathname === '/supply' ? json(status, { error, ...(code ? { code } : {}) }) : text(status, error))
  const known = pathname === '/supply' ? ['chain', 'block', 'timestamp'] : []
  const unknown = [...search.keys()].find((k) => !known.includes(k))
  if (unknown !== undefined) return json(400, { error: pathname === '/supply' ? `${unknown.slice(0, 40)}: /supply takes chain, block or timestamp` : `${unknown.slice(0, 40)}: only /supply takes parameters` })
  const chain = search.get('chain')
  if (chain !== null) {
    const c = net.chains.find((x) => x.name === chain)
    if (!c) return json(400, { error: `chain: "${chain.slice(0, 40)}" is not a chain of network ${net.network.name} (its chains: ${net.chains.map((x) => x.name).join(', ')})` })
    if (search.has('timestamp')) return json(400, { error: 'timestamp: with chain, give block (or nothing for the head)' })
    const r = await restRoute('/supply', new URLSearchParams(search.has('block') ? { block: search.get('block')! } : {}), c.db, c.preset, c.headCache)
    if (r && r.status === 200) return json(200, { chain: c.name, ...(JSON.parse(r.body) as object) })
    return r
  }
  if (search.has('block')) return json(400, { error: `block: a block is of one chain: give chain (one of ${net.chains.map((x) => x.name).join(', ')}), or timestamp for an instant of the network` })
  const t = search.get('timestamp')
  let at: Date | undefined
  if (t !== null) {
    at = new Date(t)
    if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(t) || Number.isNaN(at.getTime())) return json(400, { error: `timestamp: "${t.slice(0, 40)}" is not an ISO 8601 instant (e.g. 2026-01-01T00:00:00Z)` })
  }
  let s: NetworkSupplyAnswer | null
  try {
    s = await networkSupplyAt(net.context(), at)
  } catch (e) {
    if (e instanceof DatabaseUnavailable) return fail(503, e.message, 'DATABASE_UNAVAILABLE')
    if (e instanceof GraphQLError && e.extensions.code === 'BAD_USER_INPUT') return json(400, { error: e.message })
    throw e
  }
  if (!s) return fail(503, 'the index is empty: a chain has nothing indexed yet')
  if (pathname === '/supply/total') return text(200, formatUnits(s.totalSupply))
  if (pathname === '/supply/circulating') return text(200, formatUnits(s.circulatingSupply))
  return json(200, networkSupplyJson(s, net))
}

/** The JSON of GET /supply on a multi-chain network: the network's breakdown, every chain's block and excluded wallets, the flags. */
export function networkSupplyJson(s: NetworkSupplyAnswer, net: NetworkApi) {
  const w = (v: bigint) => ({ wei: v.toString(), icnt: formatUnits(v) })
  return {
    network: net.network.name,
    ...(net.network.note ? { note: net.network.note } : {}),
    at: s.at.toISOString(),
    chains: s.chains.map((c, i) => ({ chain: net.chains[i].name, chainId: net.chains[i].preset.chainId, block: { number: c.block.number, hash: c.block.hash, timestamp: c.block.timestamp.toISOString() } })),
    totalSupply: w(s.totalSupply),
    circulatingSupply: w(s.circulatingSupply),
    nonCirculating: w(s.nonCirculating),
    locked: { ...w(s.locked), unvested: w(s.unvested), vestedUnreleased: w(s.vestedUnreleased), chain: net.vesting, contract: net.chain(net.vesting).preset.contracts.vesting ?? null },
    escrowed: { ...w(s.escrowed), chain: net.network.bridge.l1Chain, contract: net.network.bridge.l1Bridge },
    bridged: { ...w(s.bridged), chain: net.network.bridge.l2Chain },
    inFlight: w(s.inFlight),
    inconsistencies: s.inconsistencies,
    excludedWallets: s.chains.flatMap((c, i) => c.labelled.map((l) => ({ chain: net.chains[i].name, address: l.address, label: l.label, category: l.category, balance: w(l.balance) }))),
    staked: { ...w(s.staked), chain: net.protocol },
    definition: 'circulatingSupply = totalSupply (L1) - (vesting contract balance + every chain\'s labelled wallets); escrowed - bridged is in flight',
  }
}
