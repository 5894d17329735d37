import { keccak256 } from '@subsquid/evm-abi'
import type { Devnet } from '../../src/devnet'
import { blockNumber, testDevnet } from '../helpers'

interface RawLog {
  blockHash: string
  logIndex: string
  address: string
  topics: string[]
  data: string
}

/** A hash over every log of the chain and every block hash. */
async function chainFingerprint(d: Devnet): Promise<{ logs: number; hash: string; head: string }> {
  const logs = await d.anvil.rpc.call<RawLog[]>('eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest' }])
  const text = logs.map((l) => [l.blockHash, l.logIndex, l.address, ...l.topics, l.data].join(':')).join('\n')
  const head = await d.anvil.rpc.call<{ hash: string }>('eth_getBlockByNumber', ['latest', false])
  return { logs: logs.length, hash: (keccak256(Buffer.from(text)) as Buffer).toString('hex'), head: head.hash }
}

describe('activity simulator', () => {
  test('is deterministic: the same seed gives the same chain, another seed another', async () => {
    const a = await testDevnet({ seed: 7, eras: 60 })
    const fa = await chainFingerprint(a)
    const kinds = new Set((await a.anvil.rpc.call<RawLog[]>('eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest' }])).map((l) => l.topics[0]))
    await a.stop()
    const b = await testDevnet({ seed: 7, eras: 60 })
    const fb = await chainFingerprint(b)
    await b.stop()
    const c = await testDevnet({ seed: 8, eras: 60 })
    const fc = await chainFingerprint(c)
    expect(await blockNumber(c.anvil.rpc)).toBeGreaterThan(100)
    await c.stop()
    expect(fa.logs).toBeGreaterThan(3000)
    expect(fb).toEqual(fa)
    expect(fc.hash).not.toBe(fa.hash)
    // 60 eras already produce most event kinds of the protocol
    expect(kinds.size).toBeGreaterThanOrEqual(15)
  })
})
