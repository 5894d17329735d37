/**
 * The one executable schema, shared by HTTP (Apollo) and WebSocket
 * (graphql-ws) so both serve exactly the same API.
 */
import { makeExecutableSchema } from '@graphql-tools/schema'
import type { GraphQLSchema } from 'graphql'
import { liveResolvers, liveTypeDefs } from './live/schema'
import { resolvers } from './resolvers'
import { typeDefs } from './schema'
import { performanceResolvers } from './performance/resolvers'
import { performanceTypeDefs } from './performance/schema'
import { supplyResolvers } from './supply/resolvers'
import { supplyTypeDefs } from './supply/schema'

export function buildSchema(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs: [typeDefs, supplyTypeDefs, performanceTypeDefs, liveTypeDefs], resolvers: [resolvers, supplyResolvers, performanceResolvers, liveResolvers] })
}
