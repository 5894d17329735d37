/** The public GraphQL schema: written for explorers, analysts and wallets. */
export const typeDefs = /* GraphQL */ `
  "An integer of any size as a decimal string; amounts are in wei (1 ICNT = 10^18 wei)."
  scalar BigInt

  type Query {
    "Where the index stands."
    _meta: Meta!
    "An ICNT holder by address (any letter case)."
    account(id: String!): Account
  }

  type Meta {
    "Latest indexed block (hot or final)."
    height: Int
    hash: String
    "Block time of the indexed head, ISO 8601."
    timestamp: String
    finalizedHeight: Int
    "The chain head as last seen by the indexer."
    chainHead: Int
    "chainHead - height."
    lag: Int
    "Logs at watched addresses that did not decode (counted, never fatal)."
    undecodedLogs: Int!
    hasErrors: Boolean!
  }

  type Account {
    id: String!
    "Balance in wei at the indexed head, or after block \`block\`."
    balance(block: Int): BigInt!
    "The same balance as a decimal number of ICNT."
    balanceFormatted(block: Int): String!
    transfersIn: Int!
    transfersOut: Int!
    firstSeenBlock: Int!
    lastActiveBlock: Int!
    "Transfers in or out of this account, newest first unless orderBy says otherwise."
    transfers(first: Int, after: String, last: Int, before: String, orderBy: ChainOrder = NEWEST_FIRST): TransferConnection!
  }

  enum ChainOrder {
    NEWEST_FIRST
    OLDEST_FIRST
  }

  type Transfer {
    id: ID!
    blockNumber: Int!
    blockHash: String!
    timestamp: String!
    txHash: String!
    logIndex: Int!
    from: String!
    to: String!
    value: BigInt!
    valueFormatted: String!
    fromBalanceAfter: BigInt!
    toBalanceAfter: BigInt!
  }

  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type TransferEdge {
    cursor: String!
    node: Transfer!
  }

  type TransferConnection {
    edges: [TransferEdge!]!
    nodes: [Transfer!]!
    pageInfo: PageInfo!
  }
`
