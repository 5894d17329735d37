/**
 * The API's per-head answer cache (src/api/headcache.ts): one computation per
 * key and head, a new set of answers when the head moves or is replaced by a
 * reorg (same height, other hash), the two newest heads' kept for requests
 * that straddle them, failures not kept, entries bounded.
 */
import { HeadCache } from '../../src/api/headcache'

const h1 = { height: 10, hash: '0xaa' }
const h2 = { height: 11, hash: '0xbb' }
const reorged = { height: 10, hash: '0xcc' }

function counter() {
  let calls = 0
  const compute = async () => ++calls
  return { compute, calls: () => calls }
}

describe('HeadCache', () => {
  test('computes a key once per head, also for requests that ask at the same time', async () => {
    const cache = new HeadCache()
    const c = counter()
    const [a, b] = await Promise.all([cache.get(h1, 'k', c.compute), cache.get(h1, 'k', c.compute)])
    expect([a, b, await cache.get(h1, 'k', c.compute)]).toEqual([1, 1, 1])
    expect(c.calls()).toBe(1)
    expect(await cache.get(h1, 'other', c.compute)).toBe(2)
  })

  test('a new head, or a reorg to another block at the same height, answers anew', async () => {
    const cache = new HeadCache()
    const c = counter()
    expect(await cache.get(h1, 'k', c.compute)).toBe(1)
    expect(await cache.get(h2, 'k', c.compute)).toBe(2)
    expect(await cache.get(reorged, 'k', c.compute)).toBe(3)
    expect(await cache.get(reorged, 'k', c.compute)).toBe(3)
  })

  test('requests straddling two heads keep each other\'s answers; a head older than both is computed and not kept', async () => {
    const cache = new HeadCache()
    const c = counter()
    const h0 = { height: 9, hash: '0x99' }
    // As when the indexer commits while requests are in flight: some read the new head, some the one before.
    expect(await cache.get(h2, 'k', c.compute)).toBe(1)
    expect(await cache.get(h1, 'k', c.compute)).toBe(2)
    expect(await cache.get(h2, 'k', c.compute)).toBe(1)
    expect(await cache.get(h1, 'k', c.compute)).toBe(2)
    expect(await cache.get(h0, 'k', c.compute)).toBe(3)
    expect(await cache.get(h0, 'k', c.compute)).toBe(4)
    expect(c.calls()).toBe(4)
    // A third head drops the lowest: the next ask at h1 computes again, h2's answer stays.
    const h3 = { height: 12, hash: '0xdd' }
    expect(await cache.get(h3, 'k', c.compute)).toBe(5)
    expect(await cache.get(h2, 'k', c.compute)).toBe(1)
    expect(await cache.get(h1, 'k', c.compute)).toBe(6)
  })

  test('a failed computation is not kept', async () => {
    const cache = new HeadCache()
    await expect(cache.get(h1, 'k', async () => Promise.reject(new Error('database away')))).rejects.toThrow('database away')
    expect(await cache.get(h1, 'k', async () => 'answer')).toBe('answer')
  })

  test('holds at most maxEntries answers, dropping the oldest', async () => {
    const cache = new HeadCache(2)
    const c = counter()
    await cache.get(h1, 'a', c.compute)
    await cache.get(h1, 'b', c.compute)
    await cache.get(h1, 'c', c.compute)
    expect(await cache.get(h1, 'c', c.compute)).toBe(3)
    expect(await cache.get(h1, 'a', c.compute)).toBe(4)
  })
})
