/** The supply part of the API's schema (answered by ./resolvers.ts). */
import { MAX_POINTS } from './service'

/** The supply fields of a single-chain network: its chain's. */
const chainSupplyFields = (name: string, historyName: string, chainArg: string) => /* GraphQL */ `
    """
    ICNT supply at the indexed head, at block N itself (N's own hash and time,
    with events or not), or at an instant (the state of the latest block at or
    before it; the vesting split at the instant). Every answer names the block
    it was computed at. A block or instant outside the indexed range is a
    BAD_USER_INPUT error naming the range; null only while the index is empty.
    """
    ${name}(${chainArg}block: Int, timestamp: DateTime): Supply
    "A series for charts: one point per UTC bucket (the state at its end), gap-filled; at most ${MAX_POINTS} points."
    ${historyName}(${chainArg}from: DateTime!, to: DateTime!, interval: SupplyInterval!): [SupplyPoint!]!
`

/** The supply fields of a multi-chain network: the network's at an instant, and each chain's at a block. */
const networkSupplyFields = /* GraphQL */ `
    """
    The network's ICNT supply at an instant (default: the latest one every
    chain's index has reached, the earlier of their heads), each chain at its
    latest block at or before it: total from the L1 alone, the bridge's
    escrow, the bridged supply, what is in flight between them, and every
    chain's excluded wallets. An inconsistency (more bridged than escrowed,
    more in flight than the bridge's recent traffic explains) is listed in
    \`inconsistencies\`, never hidden. An instant after a chain's head or
    before a chain's first block is a BAD_USER_INPUT error naming them.
    """
    supply(timestamp: DateTime): NetworkSupply
    "The network's supply per UTC bucket (the state at its end), up to the earlier of the chains' heads; at most ${MAX_POINTS} points."
    supplyHistory(from: DateTime!, to: DateTime!, interval: SupplyInterval!): [NetworkSupplyPoint!]!
${chainSupplyFields('chainSupply', 'chainSupplyHistory', 'chain: String!, ')}`

export const networkSupplyTypeDefs = /* GraphQL */ `
  type NetworkSupply {
    "The network preset's name."
    network: String!
    "The instant the figures are taken at."
    at: DateTime!
    "The L1 token's totalSupply (the L2's is a representation of escrowed tokens, never added)."
    totalSupply: BigInt!
    totalSupplyFormatted: String!
    "totalSupply - nonCirculating."
    circulatingSupply: BigInt!
    circulatingSupplyFormatted: String!
    "Every chain's excluded wallets (labels, the vesting contract); the L1 bridge never on its own."
    nonCirculating: BigInt!
    "ICNT in the vesting contract, on its chain."
    locked: BigInt!
    unvested: BigInt!
    vestedUnreleased: BigInt!
    "ICNT held by the staking contract, on its chain."
    staked: BigInt!
    "The L1 bridge's ICNT balance."
    escrowed: BigInt!
    "The L2 token's totalSupply."
    bridged: BigInt!
    "escrowed - bridged: deposits not yet minted on the L2 plus withdrawals burned there and not yet finalized. Served as it is; negative only with an inconsistency."
    inFlight: BigInt!
    "What does not hold, each in a sentence; empty when the figures are consistent."
    inconsistencies: [String!]!
    "Each chain's own supply at its latest block at or before \`at\`."
    chains: [Supply!]!
  }

  type NetworkSupplyPoint {
    start: DateTime!
    end: DateTime!
    supply: NetworkSupply
  }
`

export const supplyTypeDefs = (multi: boolean) => /* GraphQL */ `
  extend type Query {
${multi ? networkSupplyFields : chainSupplyFields('supply', 'supplyHistory', '')}
    "Per allocation category: allocated, vested, released and remaining now, with the category's schedules."
    allocations: [Allocation!]!
    "Projected unlocks per UTC bucket by category, from the on-chain schedule parameters: a token-unlock calendar."
    unlockSchedule(from: DateTime!, to: DateTime!, interval: SupplyInterval!): [UnlockBucket!]!
    "ICNT vested by the schedules at any instant, past or future."
    vestedSupply(at: DateTime!): VestedSupply!
    "Holders at the indexed head: count, the largest with their labels, and distribution."
    holders(top: Int = 20): Holders!
  }

  enum SupplyInterval {
    HOUR
    DAY
    "ISO week, from Monday"
    WEEK
    MONTH
  }

  type BlockRef {
    number: Int!
    hash: String!
    timestamp: DateTime!
  }

  type LabelledWallet {
    address: String!
    label: String!
    category: String!
    balance: BigInt!
    balanceFormatted: String!
  }

  type Supply {
    "The block the figures are computed at."
    block: BlockRef!
    "The instant the time-dependent split (unvested / vested-unreleased) is computed at."
    at: DateTime!
    "minted - burned; equals the token's totalSupply()."
    totalSupply: BigInt!
    totalSupplyFormatted: String!
    "totalSupply - nonCirculating."
    circulatingSupply: BigInt!
    circulatingSupplyFormatted: String!
    "locked + the labelled wallets' balances."
    nonCirculating: BigInt!
    "ICNT held by the vesting contract."
    locked: BigInt!
    unvested: BigInt!
    vestedUnreleased: BigInt!
    "The labelled non-circulating wallets (the preset's labels) with their balances."
    labelled: [LabelledWallet!]!
    minted: BigInt!
    burned: BigInt!
    "ICNT held by the staking contract (collateral and delegations); part of the circulating supply."
    staked: BigInt!
  }

  type SupplyPoint {
    start: DateTime!
    end: DateTime!
    "Null before the first indexed block."
    supply: Supply
  }

  type Allocation {
    category: String!
    allocated: BigInt!
    vested: BigInt!
    released: BigInt!
    vestedUnreleased: BigInt!
    "Unvested tokens returned by revocations."
    revokedReturned: BigInt!
    "Still to vest: allocated - vested - revokedReturned."
    remaining: BigInt!
    schedules: [VestingSchedule!]!
  }

  type CategoryAmount {
    category: String!
    amount: BigInt!
    amountFormatted: String!
  }

  type UnlockBucket {
    start: DateTime!
    end: DateTime!
    total: BigInt!
    totalFormatted: String!
    byCategory: [CategoryAmount!]!
  }

  type VestedSupply {
    at: DateTime!
    total: BigInt!
    totalFormatted: String!
    byCategory: [CategoryAmount!]!
  }

  type Holder {
    address: String!
    balance: BigInt!
    balanceFormatted: String!
    "The preset's label, when the wallet is labelled."
    label: String
    category: String
    "Share of the total supply (0..1)."
    share: Float!
  }

  type HolderShare {
    balance: BigInt!
    share: Float!
  }

  type Holders {
    "Accounts with a non-zero balance."
    count: Int!
    top: [Holder!]!
    top10: HolderShare!
    top100: HolderShare!
    top1000: HolderShare!
  }
`
