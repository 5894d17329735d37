/**
 * Every id the index stores is built here, so that ids sort in chain order
 * and composite ids have one spelling.
 */
export const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000'

export function pad(n: number | bigint, width: number): string {
  return n.toString().padStart(width, '0')
}

/** Lowercase 0x-address (the id of an Account). */
export function addressId(address: string): string {
  return address.toLowerCase()
}

/** An event row's id: block number, then log index, both zero-padded. */
export function eventId(blockNumber: number, logIndex: number): string {
  return `${pad(blockNumber, 10)}-${pad(logIndex, 6)}`
}

/** A uint256 id (node, schedule, booking, HyperNode) zero-padded so ids sort numerically. */
export function padId(n: bigint | number): string {
  return pad(n, 12)
}

/** A delegation position: the delegator's address and its lockedDelegationIndex. */
export function delegationId(delegator: string, lockedDelegationIndex: number): string {
  return `${delegator.toLowerCase()}-${pad(lockedDelegationIndex, 6)}`
}

/** A node's SLA rollup for one era. */
export function nodeEraId(nodeId: string, era: number): string {
  return `${nodeId}-${pad(era, 10)}`
}
