import { networkSupply, NetworkInstantError, NetworkSupplyInput } from '../../src/domain/network-supply'

const M = 10n ** 24n // a million ICNT
const BRIDGE = '0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0'

function input(o: { escrowed: bigint; bridged: bigint; deposits?: bigint; burns?: bigint; at?: number }): NetworkSupplyInput {
  return {
    at: o.at ?? 1000,
    headTimes: { ethereum: 1200, base: 1100 },
    maxBridgeDelay: 600,
    l1: {
      chain: 'ethereum', height: 10, timestamp: 990, totalSupply: 700n * M, l1Bridge: BRIDGE, escrowed: o.escrowed, depositsInWindow: o.deposits ?? 0n,
      // The vesting contract and a treasury are excluded; a label on the escrow itself is not.
      excluded: [{ address: '0xvesting', balance: 400n * M }, { address: '0xtreasury', balance: 50n * M }, { address: BRIDGE.toUpperCase().replace('0X', '0x'), balance: o.escrowed }],
    },
    l2: { chain: 'base', height: 20, timestamp: 999, totalSupply: o.bridged, burnsInWindow: o.burns ?? 0n, excluded: [{ address: '0xrewards', balance: 5n * M }] },
  }
}

describe('network supply over two chains', () => {
  test('total is the L1 supply alone; both chains exclude; the escrow never', () => {
    const s = networkSupply(input({ escrowed: 100n * M, bridged: 100n * M }))
    expect(s).toEqual({ totalSupply: 700n * M, escrowed: 100n * M, bridged: 100n * M, inFlight: 0n, nonCirculating: 455n * M, circulatingSupply: 245n * M, inconsistencies: [] })
  })

  test('what is in flight is escrowed minus bridged, consistent while recent deposits and burns cover it', () => {
    const s = networkSupply(input({ escrowed: 100n * M, bridged: 97n * M, deposits: 2n * M, burns: 1n * M }))
    expect([s.inFlight, s.inconsistencies]).toEqual([3n * M, []])
  })

  test('a negative or an overdue amount in flight is served as it is and flagged', () => {
    const neg = networkSupply(input({ escrowed: 100n * M, bridged: 101n * M }))
    expect(neg.inFlight).toBe(-1n * M)
    expect(neg.inconsistencies).toEqual([`the base supply (${101n * M}) exceeds the ethereum bridge's escrow (${100n * M}): ${M} minted without a deposit`])
    const late = networkSupply(input({ escrowed: 100n * M, bridged: 97n * M, deposits: 1n * M }))
    expect(late.inconsistencies).toEqual([`${3n * M} in flight is more than the ethereum deposits and base burns of the last 600 s (${M}): a relay is overdue`])
  })

  test('an instant after the earlier chain head is an error naming both heads', () => {
    expect(() => networkSupply(input({ escrowed: 0n, bridged: 0n, at: 1150 }))).toThrow(new NetworkInstantError('instant 1150 is after the earlier of the chains\' indexed heads (ethereum at 1200, base at 1100)'))
  })
})
