/**
 * The minimal squid of the token workload (a child of bench:ingest):
 *   node bench/lib/baseline-squid.js
 * What a new SQD user writes first, untuned: the SDK's
 * TypeormDatabase({supportHotBlocks: true}) and, per batch, one findBy(In)
 * of the accounts the transfers touch, one upsert of those accounts and one
 * insert of the transfers, on the same processor settings as the indexer
 * (makeProcessor, without the relay). Same tables, same rows per transfer
 * (balances after, counters) as the indexer's Account and Transfer.
 * Runs until stopped; bench:ingest times it from start to head.
 */
import { TypeormDatabase } from '@subsquid/typeorm-store'
import { In } from 'typeorm'
import * as icnt from '../../lib/abi/ICNT'
import { exportDatabaseUrlForSdk, indexerConfig } from '../../lib/config'
import { eventId } from '../../lib/domain/ids'
import { Account, Transfer } from '../../lib/model'
import { makeProcessor } from '../../lib/processor'
import { freePort } from '../../lib/runtime/ports'

async function main(): Promise<void> {
  const cfg = indexerConfig()
  exportDatabaseUrlForSdk(cfg.databaseUrl)
  const processor = makeProcessor(cfg, cfg.rpcUrls[0], await freePort())
  processor.run(new TypeormDatabase({ supportHotBlocks: true }), async (ctx) => {
    const transfers: { id: string; block: number; hash: string; ts: number; tx: string; logIndex: number; from: string; to: string; value: bigint }[] = []
    for (const b of ctx.blocks) {
      for (const l of b.logs) {
        if (l.topics[0] !== icnt.events.Transfer.topic) continue
        const e = icnt.events.Transfer.decode(l)
        transfers.push({ id: eventId(b.header.height, l.logIndex), block: b.header.height, hash: b.header.hash, ts: b.header.timestamp, tx: l.transactionHash, logIndex: l.logIndex, from: e.from.toLowerCase(), to: e.to.toLowerCase(), value: e.value })
      }
    }
    const ids = new Set<string>()
    for (const t of transfers) ids.add(t.from).add(t.to)
    const accounts = new Map((await ctx.store.findBy(Account, { id: In([...ids]) })).map((a) => [a.id, a]))
    const account = (id: string, block: number) => {
      let a = accounts.get(id)
      if (!a) accounts.set(id, (a = new Account({ id, balance: 0n, transfersIn: 0, transfersOut: 0, firstSeenBlock: block, lastActiveBlock: block })))
      return a
    }
    const rows = transfers.map((t) => {
      const from = account(t.from, t.block)
      const to = account(t.to, t.block)
      from.balance -= t.value
      to.balance += t.value
      from.transfersOut += 1
      to.transfersIn += 1
      from.lastActiveBlock = to.lastActiveBlock = t.block
      return new Transfer({ id: t.id, blockNumber: t.block, blockHash: t.hash, timestamp: new Date(t.ts), txHash: t.tx, logIndex: t.logIndex, fromId: t.from, toId: t.to, value: t.value, fromBalanceAfter: from.balance, toBalanceAfter: to.balance })
    })
    await ctx.store.upsert([...accounts.values()])
    await ctx.store.insert(rows)
  })
}

main().catch((e: unknown) => {
  console.error(`baseline-squid: ${(e as Error).stack ?? String(e)}`)
  process.exit(1)
})
