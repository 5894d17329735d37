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
 * head's data. A new head (or a reorg) starts a new set of answers.
 *
 * While the index follows a live chain, requests in flight straddle two heads
 * (some read the head before the indexer's last commit, some after). The
 * answers of the two newest heads are kept, so those requests do not drop
 * each other's answers: with a single set, each request of the other head
 * replaced it, and every request computed the leaderboard again (6 requests/s
 * live against 308 static in bench:api). A request that read an older head
 * still is computed for itself and not kept.
 *
 * One cache belongs to one API server (not to the module), bounded in heads
 * and in entries per head; a failed computation is not kept.
 */
export interface HeadKey {
  height: number
  hash: string
}

interface HeadAnswers {
  height: number
  entries: Map<string, Promise<unknown>>
}

export class HeadCache {
  /** Answers by head (`height:hash`), in the order the heads were first seen. */
  private heads = new Map<string, HeadAnswers>()

  constructor(
    private readonly maxEntries = 1000,
    private readonly keepHeads = 2,
  ) {}

  /** The answers of `head`, a new set for a head not seen yet, or undefined for one older than every head kept. */
  private answers(head: HeadKey): Map<string, Promise<unknown>> | undefined {
    const id = `${head.height}:${head.hash}`
    const known = this.heads.get(id)
    if (known) return known.entries
    if (this.heads.size >= this.keepHeads && [...this.heads.values()].every((h) => head.height < h.height)) return undefined
    const entries = new Map<string, Promise<unknown>>()
    this.heads.set(id, { height: head.height, entries })
    while (this.heads.size > this.keepHeads) {
      // The lowest head goes (of two at one height, after a reorg, the one seen first).
      let lowest: [string, HeadAnswers] | undefined
      for (const e of this.heads) if (!lowest || e[1].height < lowest[1].height) lowest = e
      this.heads.delete(lowest![0])
    }
    return entries
  }

  get<T>(head: HeadKey, key: string, compute: () => Promise<T>): Promise<T> {
    const entries = this.answers(head)
    if (!entries) return compute()
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
