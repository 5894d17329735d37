/** bytes32("NAME"): ASCII, zero-padded on the right. */
export function categoryBytes32(name: string): string {
  const hex = Buffer.from(name, 'ascii').toString('hex')
  if (hex.length > 64) throw new Error(`category ${name} is longer than 32 bytes`)
  return '0x' + hex.padEnd(64, '0')
}

/** The ASCII name in a right-zero-padded bytes32; non-printable bytes make it the hex itself. */
export function categoryFromBytes32(b: string): string {
  const text = Buffer.from(b.slice(2), 'hex').toString('latin1').replace(/\0+$/, '')
  return /^[\x20-\x7e]*$/.test(text) ? text : b
}
