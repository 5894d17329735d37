/** The supply part of the API's schema (answered by ./resolvers.ts). */
import { MAX_POINTS } from './service'

export const supplyTypeDefs = /* GraphQL */ `
  extend type Query {
    """
    ICNT supply at the indexed head, at block N itself (N's own hash and time,
    with events or not), or at an instant (the state of the latest block at or
    before it; the vesting split at the instant). Every answer names the block
    it was computed at. A block or instant outside the indexed range is a
    BAD_USER_INPUT error naming the range; null only while the index is empty.
    """
    supply(block: Int, timestamp: DateTime): Supply
    "A series for charts: one point per UTC bucket (the state at its end), gap-filled; at most ${MAX_POINTS} points."
    supplyHistory(from: DateTime!, to: DateTime!, interval: SupplyInterval!): [SupplyPoint!]!
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
