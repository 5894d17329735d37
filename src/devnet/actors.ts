import { keccak256 } from '@subsquid/evm-abi'

/** Anvil's first default account: deploys and owns every devnet contract, and is the foundation. */
export const DEPLOYER = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'

/**
 * A devnet wallet named by its role ("holder:17", "treasury", ...): the last
 * 20 bytes of keccak256 of the name. No key exists; anvil impersonates it.
 */
export function actor(role: string): string {
  if (role === 'foundation') return DEPLOYER
  if (role === 'fund:NETWORK_REWARDS:0') return actor('rewards-distributor')
  const h = keccak256(Buffer.from(`icn-devnet:${role}`, 'utf8')) as Buffer
  return '0x' + h.subarray(12).toString('hex')
}
