/**
 * The network's supply over two chains (../shared/icn-protocol.md, "Two
 * chains, one network"), from each chain's state at one instant T (each
 * chain at its latest block with time ≤ T). Pure, no I/O: the API gathers the
 * per-chain parts, this says what they add up to and what does not hold.
 */

/** One chain's part, at its latest block with time ≤ T. */
export interface ChainSupplyPart {
  chain: string
  height: number
  /** Unix seconds of that block. */
  timestamp: number
  totalSupply: bigint
  /** The chain's excluded balances: its labelled wallets and, on the vesting chain, the vesting contracts. */
  excluded: Array<{ address: string; balance: bigint }>
}

export interface NetworkSupplyInput {
  /** The instant asked for (unix seconds). */
  at: number
  /** Each chain's indexed head time: T may not be later than the earlier of them. */
  headTimes: Record<string, number>
  l1: ChainSupplyPart & { l1Bridge: string; escrowed: bigint; depositsInWindow: bigint }
  l2: ChainSupplyPart & { burnsInWindow: bigint }
  /** The preset's maxBridgeDelay (seconds): the window of depositsInWindow and burnsInWindow. */
  maxBridgeDelay: number
}

export interface NetworkSupply {
  totalSupply: bigint
  escrowed: bigint
  bridged: bigint
  /** escrowed − bridged; served as it is, negative included (then flagged). */
  inFlight: bigint
  nonCirculating: bigint
  circulatingSupply: bigint
  /** What does not hold, each in a sentence; empty when the figures are consistent. */
  inconsistencies: string[]
}

export class NetworkInstantError extends Error {}

export function networkSupply(i: NetworkSupplyInput): NetworkSupply {
  const heads = Object.entries(i.headTimes)
  const earliest = Math.min(...heads.map(([, t]) => t))
  if (i.at > earliest) {
    throw new NetworkInstantError(`instant ${i.at} is after the earlier of the chains' indexed heads (${heads.map(([c, t]) => `${c} at ${t}`).join(', ')})`)
  }
  const inconsistencies: string[] = []
  const escrowed = i.l1.escrowed
  const bridged = i.l2.totalSupply
  const inFlight = escrowed - bridged
  if (inFlight < 0n) inconsistencies.push(`the ${i.l2.chain} supply (${bridged}) exceeds the ${i.l1.chain} bridge's escrow (${escrowed}): ${-inFlight} minted without a deposit`)
  const window = i.l1.depositsInWindow + i.l2.burnsInWindow
  if (inFlight > window) {
    inconsistencies.push(`${inFlight} in flight is more than the ${i.l1.chain} deposits and ${i.l2.chain} burns of the last ${i.maxBridgeDelay} s (${window}): a relay is overdue`)
  }
  // The escrow is never excluded on its own: what it holds circulates on the L2.
  const bridge = i.l1.l1Bridge.toLowerCase()
  const sum = (xs: ChainSupplyPart['excluded']) => xs.filter((x) => x.address.toLowerCase() !== bridge).reduce((s, x) => s + x.balance, 0n)
  const nonCirculating = sum(i.l1.excluded) + i.l2.excluded.reduce((s, x) => s + x.balance, 0n)
  return { totalSupply: i.l1.totalSupply, escrowed, bridged, inFlight, nonCirculating, circulatingSupply: i.l1.totalSupply - nonCirculating, inconsistencies }
}
