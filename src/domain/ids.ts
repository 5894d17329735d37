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
