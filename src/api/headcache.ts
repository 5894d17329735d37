/**
 * Answers that cost a scan of many rows (supply at a block, the leaderboard,
 * a page of nodes' performance over a window), computed once per indexed
 * head and shared by every request that reads the same head.
 *
 * Why it is safe: the index changes only when the indexer commits, and every
 * commit moves the head (height and hash) in the indexer_status row; a
 * rollback of unfinalized blocks changes the hash. A request reads that row
 * first (one statement, SupplyService.head) and asks here under it, so an
 * answer is never served under a head other than the one it was computed
 * after: its statements ran after the head was read and saw at least that
 * head's data. A new head (or a reorg) drops every answer of the old one.
 *
 * One cache belongs to one API server (not to the module), bounded in
 * entries; a failed computation is not kept.
 */
export interface HeadKey {
  height: number
  hash: string
}

export class HeadCache {
  private head?: string
  private entries = new Map<string, Promise<unknown>>()

  constructor(private readonly maxEntries = 1000) {}

  get<T>(head: HeadKey, key: string, compute: () => Promise<T>): Promise<T> {
    const id = `${head.height}:${head.hash}`
    if (id !== this.head) {
      this.head = id
      this.entries = new Map()
    }
    const entries = this.entries
    const hit = entries.get(key) as Promise<T> | undefined
    if (hit) return hit
    if (entries.size >= this.maxEntries) entries.delete(entries.keys().next().value!)
    const p = compute()
    entries.set(key, p)
    p.catch(() => {
      if (entries.get(key) === p) entries.delete(key)
    })
    return p
  }
}
