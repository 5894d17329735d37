import { formatUnits } from '../../src/domain/units'

// The plain-text supply format of ../shared/icn-protocol.md: the integer part,
// then, only if the fraction is not zero, a point and the fraction with its
// trailing zeros removed; no exponent, no separators, never a float.
describe('formatUnits', () => {
  test('zero, one wei, one ICNT', () => {
    expect(formatUnits(0n)).toBe('0')
    expect(formatUnits(1n)).toBe('0.000000000000000001')
    expect(formatUnits(10n ** 18n)).toBe('1')
    expect(formatUnits(10n ** 18n - 1n)).toBe('0.999999999999999999')
    expect(formatUnits(10n ** 18n + 1n)).toBe('1.000000000000000001')
  })

  test('the whole supply and the spec\'s own examples', () => {
    expect(formatUnits(700_000_000_000_000_000_000_000_000n)).toBe('700000000')
    expect(formatUnits(187_600_000_500_000_000_000_000_000n)).toBe('187600000.5')
    expect(formatUnits(699_999_999_999_999_999_999_999_999n)).toBe('699999999.999999999999999999')
  })

  test('trailing zeros of the fraction go, zeros inside it stay', () => {
    expect(formatUnits(1_500_000_000_000_000_000n)).toBe('1.5')
    expect(formatUnits(1_050_000_000_000_000_000n)).toBe('1.05')
    expect(formatUnits(10_000_000_000_000_000_000n)).toBe('10') // zeros of the integer part are kept
    expect(formatUnits(100_000_000_000_000_000n)).toBe('0.1')
    expect(formatUnits(1_000_000_000_000_000n)).toBe('0.001')
    expect(formatUnits(123_456_789_000_000_000_000n)).toBe('123.456789')
  })

  test('beyond a float\'s precision: uint256 max, exact', () => {
    const max = 2n ** 256n - 1n // 115792089237316195423570985008687907853269984665640564039457584007913129639935
    expect(formatUnits(max)).toBe('115792089237316195423570985008687907853269984665640564039457.584007913129639935')
    expect(formatUnits(2n ** 53n + 1n, 0)).toBe('9007199254740993')
  })

  test('negative amounts keep their sign, also below one', () => {
    expect(formatUnits(-1n)).toBe('-0.000000000000000001')
    expect(formatUnits(-1_500_000_000_000_000_000n)).toBe('-1.5')
    expect(formatUnits(-(10n ** 18n))).toBe('-1')
  })

  test('a decimal string of wei is read as the same amount', () => {
    expect(formatUnits('0')).toBe('0')
    expect(formatUnits('1')).toBe('0.000000000000000001')
    expect(formatUnits('187600000500000000000000000')).toBe('187600000.5')
    expect(formatUnits('-2500000000000000000')).toBe('-2.5')
  })

  test('a string that is not an integer is refused, not rounded', () => {
    expect(() => formatUnits('1.5')).toThrow(SyntaxError)
    expect(() => formatUnits('1e18')).toThrow(SyntaxError)
  })

  test('other decimals', () => {
    expect(formatUnits(1_234_567n, 6)).toBe('1.234567')
    expect(formatUnits(1_000_000n, 6)).toBe('1')
    expect(formatUnits(1n, 6)).toBe('0.000001')
    expect(formatUnits(1_230_000n, 6)).toBe('1.23')
    expect(formatUnits(42n, 0)).toBe('42')
    expect(formatUnits(0n, 0)).toBe('0')
    expect(formatUnits(5n, 1)).toBe('0.5')
    expect(formatUnits(1n, 30)).toBe('0.000000000000000000000000000001')
  })
})
