import { decodeCursor, encodeCursor } from '../../src/domain/cursor'

// A cursor is base64url (no padding) of 'c1:' + the key. Literals worked by hand:
// 'c1:x' = 63 31 3a 78 → 011000 110011 000100 111010 | 011110 00(0000) → 'YzE6' + 'eA'.
describe('keyset cursors', () => {
  test('known encodings, written out', () => {
    expect(encodeCursor('x')).toBe('YzE6eA')
    expect(encodeCursor('')).toBe('YzE6')
    expect(encodeCursor('["0000000123","0xabc"]')).toBe('YzE6WyIwMDAwMDAwMTIzIiwiMHhhYmMiXQ')
    expect(encodeCursor('é')).toBe('YzE6w6k') // UTF-8 c3 a9
  })

  test('known cursors decode to their keys', () => {
    expect(decodeCursor('YzE6eA')).toBe('x')
    expect(decodeCursor('YzE6')).toBe('')
    expect(decodeCursor('YzE6WyIwMDAwMDAwMTIzIiwiMHhhYmMiXQ')).toBe('["0000000123","0xabc"]')
    expect(decodeCursor('YzE6w6k')).toBe('é')
  })

  test('round trip of typical sort keys', () => {
    for (const key of ['[]', '["0x5fbdb2315678afecb367f032d93f642f64180aa3"]', '["0000000000000123","0000000007"]', 'c1:nested', 'ünïcødé ✓', 'a/b+c=d']) {
      expect(decodeCursor(encodeCursor(key))).toBe(key)
    }
  })

  test('the alphabet is base64url: no +, / or = even where standard base64 would have them', () => {
    // 'c1:>>>???': standard base64 'YzE6Pj4+Pz8/' → base64url 'YzE6Pj4-Pz8_'
    expect(encodeCursor('>>>???')).toBe('YzE6Pj4-Pz8_')
    expect(decodeCursor('YzE6Pj4-Pz8_')).toBe('>>>???')
    // 'c1:xy' is 5 bytes: standard base64 would pad it ('YzE6eHk='), base64url does not
    expect(encodeCursor('xy')).toBe('YzE6eHk')
  })

  test('not one of ours: null', () => {
    expect(decodeCursor('')).toBeNull()
    expect(decodeCursor('YzI6eA')).toBeNull() // 'c2:x': another version tag
    expect(decodeCursor('eA')).toBeNull() // 'x' without the tag
    expect(decodeCursor('aGVsbG8')).toBeNull() // 'hello'
    expect(decodeCursor('YzE')).toBeNull() // 'c1' without the colon
    expect(decodeCursor('A')).toBeNull() // decodes to nothing
    expect(decodeCursor('MTIz')).toBeNull() // '123', a bare id someone typed in
  })

  test('characters outside base64url: null', () => {
    expect(decodeCursor('YzE6eA==')).toBeNull() // padding
    expect(decodeCursor('YzE6+A')).toBeNull() // standard base64 '+'
    expect(decodeCursor('YzE6/A')).toBeNull() // standard base64 '/'
    expect(decodeCursor('YzE6 eA')).toBeNull()
    expect(decodeCursor('YzE6eA\n')).toBeNull() // a trailing newline is not ignored
    expect(decodeCursor(' YzE6eA')).toBeNull()
    expect(decodeCursor('YzE6eA.')).toBeNull()
    expect(decodeCursor('YzE6é')).toBeNull()
  })

  test('at most 400 characters: a 400-character cursor decodes, a 401-character one is refused unread', () => {
    const at400 = 'YzE6' + 'YWFh'.repeat(99) // 'c1:' + 297 × 'a'
    expect(at400).toHaveLength(400)
    expect(decodeCursor(at400)).toBe('a'.repeat(297))
    expect(decodeCursor(at400 + 'Y')).toBeNull()
    expect(decodeCursor('YzE6' + 'YWFh'.repeat(99) + 'YQ')).toBeNull() // 'c1:' + 298 × 'a', 402 characters
  })
})
