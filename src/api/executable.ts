/**
 * The one executable schema, shared by HTTP (Apollo) and WebSocket
 * (graphql-ws) so both serve exactly the same API. On a multi-chain network
 * (src/api/network.ts) the supply fields are the network's, and the token
 * lists merge the chains (src/api/chains.ts).
 */
import { makeExecutableSchema } from '@graphql-tools/schema'
import type { GraphQLSchema } from 'graphql'
import { formatUnits } from '../domain/units'
import { chainTypeDefs, parseDefs, withChainArguments, withChains } from './chains'
import type { ApiContext } from './context'
import { liveResolvers, liveTypeDefs } from './live/schema'
import { balancesOf, networkHooks } from './network'
import { resolvers } from './resolvers'
import { typeDefs } from './schema'
import { performanceResolvers } from './performance/resolvers'
import { performanceTypeDefs } from './performance/schema'
import { supplyResolvers } from './supply/resolvers'
import { networkSupplyTypeDefs, supplyTypeDefs } from './supply/schema'
import type { AccountRow } from './sql/lists'

const chainResolvers = {
  Account: {
    balances: (row: AccountRow, _: unknown, ctx: ApiContext) => balancesOf(row, ctx),
    networkBalance: async (row: AccountRow, _: unknown, ctx: ApiContext) => (await balancesOf(row, ctx)).reduce((s, b) => s + BigInt(b.balance), 0n),
  },
  ChainBalance: { balanceFormatted: (b: { balance: string }) => formatUnits(b.balance) },
  Meta: { chains: (m: { chains?: unknown[] }) => m.chains ?? [m] },
}

const networkResolvers = {
  Query: {
    chainSupply: supplyResolvers.Query.supply,
    chainSupplyHistory: supplyResolvers.Query.supplyHistory,
  },
  NetworkSupply: {
    totalSupplyFormatted: (s: { totalSupply: bigint }) => formatUnits(s.totalSupply),
    circulatingSupplyFormatted: (s: { circulatingSupply: bigint }) => formatUnits(s.circulatingSupply),
  },
}

export function buildSchema(opts: { multiChain?: boolean } = {}): GraphQLSchema {
  const multi = opts.multiChain ?? false
  const defs = parseDefs([typeDefs, supplyTypeDefs(multi), performanceTypeDefs, liveTypeDefs, chainTypeDefs, ...(multi ? [networkSupplyTypeDefs] : [])]).map(withChainArguments)
  const maps = [resolvers, supplyResolvers, performanceResolvers, liveResolvers, chainResolvers, ...(multi ? [networkResolvers] : [])] as unknown as Parameters<typeof withChains>[0]
  // The network's fields are built on the chain's own resolvers.
  const base = { ...resolvers.Query, ...supplyResolvers.Query } as unknown as Parameters<typeof networkHooks>[0]
  return makeExecutableSchema({ typeDefs: defs, resolvers: withChains(maps, networkHooks(base), multi) })
}
