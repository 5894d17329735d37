/**
 * Opaque keyset cursors: the sort key of a row, base64url-encoded with a
 * version tag, so clients cannot build or depend on them.
 */
const PREFIX = 'c1:'

export function encodeCursor(key: string): string {
  return Buffer.from(PREFIX + key, 'utf8').toString('base64url')
}

/** The key inside a cursor, or null when the cursor is not one of ours (or longer than `maxLength`). */
export function decodeCursor(cursor: string, maxLength = 400): string | null {
  if (cursor.length > maxLength || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null
  const s = Buffer.from(cursor, 'base64url').toString('utf8')
  return s.startsWith(PREFIX) ? s.slice(PREFIX.length) : null
}
