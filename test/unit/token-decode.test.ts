/**
 * The hand-written Transfer decoder (src/mappings/token.ts) against the
 * generated one (src/abi/ICNT.ts, evm-typegen): the same answer for every
 * well-formed log, and a refusal wherever the generated one throws.
 */
import * as icnt from '../../src/abi/ICNT'
import { Rng } from '../../src/devnet/simulator'
import { decodeTransfer } from '../../src/mappings/token'

const T = icnt.events.Transfer.topic
const word = (hex: string) => '0x' + hex.padStart(64, '0')
const rng = new Rng(7)
const hexOf = (bytes: number) => Array.from({ length: bytes }, () => rng.int(0, 255).toString(16).padStart(2, '0')).join('')

function generated(log: { topics: string[]; data: string }): { from: string; to: string; value: bigint } | 'throws' {
  try {
    const e = icnt.events.Transfer.decode(log)
    return { from: e.from.toLowerCase(), to: e.to.toLowerCase(), value: e.value }
  } catch {
    return 'throws'
  }
}

function ours(log: { topics: string[]; data: string }): { from: string; to: string; value: bigint } | 'throws' {
  try {
    return decodeTransfer(log)
  } catch {
    return 'throws'
  }
}

describe('Transfer decoding', () => {
  test('a worked example: from, to (mixed case in, lowercase out) and a value above 2^128', () => {
    const log = { topics: [T, word('00000000000000000000000000000000000000aa'), word('ABCDEF0000000000000000000000000000000001')], data: word('1' + '0'.repeat(33)) }
    expect(decodeTransfer(log)).toEqual({ from: '0x00000000000000000000000000000000000000aa', to: '0xabcdef0000000000000000000000000000000001', value: 2n ** 132n })
  })

  test('2,000 random well-formed logs decode as the generated decoder decodes them', () => {
    for (let i = 0; i < 2000; i++) {
      const log = { topics: [T, word(hexOf(20)), word(hexOf(20))], data: '0x' + hexOf(32) + (i % 7 === 0 ? hexOf(32) : '') }
      expect(ours(log)).toEqual(generated(log))
    }
  })

  test('malformed logs: refused wherever the generated decoder throws, and on a topic that is no address', () => {
    const ok = { topics: [T, word('aa'), word('bb')], data: word('5') }
    const cases = [
      { ...ok, topics: [T, word('aa')] },
      { ...ok, topics: [T, word('aa'), word('bb'), word('cc')] },
      { ...ok, data: '0x' + '00'.repeat(31) },
      { ...ok, data: '0x' },
      { ...ok, topics: [T, '0x' + 'zz'.repeat(32), word('bb')] },
    ]
    for (const c of cases) {
      expect(generated(c)).toBe('throws')
      expect(ours(c)).toBe('throws')
    }
    // The generated decoder reads this one as a 42+-character "address"; it is no address, and is refused.
    const dirty = { ...ok, topics: [T, '0x' + 'ff'.repeat(12) + 'aa'.repeat(20), word('bb')] }
    expect(generated(dirty)).not.toBe('throws')
    expect((generated(dirty) as { from: string }).from.length).toBeGreaterThan(42)
    expect(ours(dirty)).toBe('throws')
  })
})
