/** wei → decimal ICNT with the fraction's trailing zeros removed (18 decimals kept exactly). */
export function formatUnits(wei: bigint | string, decimals = 18): string {
  const v = typeof wei === 'bigint' ? wei : BigInt(wei)
  const neg = v < 0n
  const abs = neg ? -v : v
  const base = 10n ** BigInt(decimals)
  const int = abs / base
  const frac = (abs % base).toString().padStart(decimals, '0').replace(/0+$/, '')
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`
}
