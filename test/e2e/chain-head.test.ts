/**
 * The chain head the indexer reports is the chain's own (eth_blockNumber),
 * not a lower bound: every progress line while syncing history names the
 * real head without "≥", and the status row (_meta.chainHead, lag, /readyz)
 * holds it from the first commit.
 */
import { blockNumber, runIndexer, sql, testDatabase, testDevnet, waitFor, waitForHeight } from '../helpers'

test('progress and the status row name the real head while syncing', async () => {
  const devnet = await testDevnet({ eras: 40 })
  const dbUrl = await testDatabase()
  const head = await blockNumber(devnet.anvil.rpc)
  const indexer = runIndexer({ RPC_URL: devnet.anvil.url, DATABASE_URL: dbUrl, PROGRESS_INTERVAL_MS: '100', INDEXER_COMMIT_ROWS: '1' })
  try {
    const seen: { height: number; chain_head: number }[] = []
    await waitFor('the index at the head', async () => {
      const rows = await sql<{ height: number; chain_head: number }>(dbUrl, `SELECT height, chain_head FROM indexer_status`).catch(() => [])
      if (rows[0]) seen.push(rows[0])
      return rows[0]?.height === head
    })
    await waitForHeight(dbUrl, head, indexer)
    expect(seen.length).toBeGreaterThan(0)
    expect([...new Set(seen.map((r) => r.chain_head))]).toEqual([head])
    const lines = indexer.output().split('\n').filter((l) => l.startsWith('progress: '))
    expect(lines.length).toBeGreaterThan(1)
    for (const l of lines) expect(l).toMatch(new RegExp(`^progress: block \\d+ of ${head} \\(`))
    // Not vacuous: some line was written before the head was reached.
    expect(lines.some((l) => !l.endsWith('at head'))).toBe(true)
  } finally {
    await indexer.stop()
    await devnet.stop()
  }
}, 180_000)
