import { formatUnits } from '../domain/units'
import type { ApiContext } from './context'
import { badInput } from './errors'
import { connection, PageArgs, pageRequest } from './pagination'
import { BigIntScalar } from './scalars'
import type { AccountRow } from './sql/accounts'
import { balanceAtBlock } from './sql/accounts'
import { indexerStatus } from './sql/meta'
import { accountTransfers, TransferRow } from './sql/transfers'

const ADDRESS = /^0x[0-9a-fA-F]{40}$/

export function parseAddress(argument: string, v: string): string {
  if (!ADDRESS.test(v)) throw badInput(argument, `"${v.slice(0, 60)}" is not a 0x-prefixed 20-byte hex address`)
  return v.toLowerCase()
}

export function parseBlock(argument: string, v: number | null | undefined): number | undefined {
  if (v == null) return undefined
  if (!Number.isInteger(v) || v < 0) throw badInput(argument, `must be a block number ≥ 0 (got ${v})`)
  return v
}

async function balance(row: AccountRow, args: { block?: number | null }, ctx: ApiContext): Promise<string> {
  const block = parseBlock('block', args.block)
  return block === undefined ? row.balance : balanceAtBlock(ctx.db, row.id, block)
}

export const resolvers = {
  BigInt: BigIntScalar,
  Query: {
    async _meta(_: unknown, __: unknown, ctx: ApiContext) {
      const s = await indexerStatus(ctx.db)
      return {
        height: s?.height ?? null,
        hash: s?.hash ?? null,
        timestamp: s?.timestamp.toISOString() ?? null,
        finalizedHeight: s?.finalized_height ?? null,
        chainHead: s?.chain_head ?? null,
        lag: s ? Math.max(0, s.chain_head - s.height) : null,
        undecodedLogs: s?.undecoded_logs ?? 0,
        hasErrors: false,
      }
    },
    async account(_: unknown, args: { id: string }, ctx: ApiContext) {
      return ctx.loaders.account.load(parseAddress('id', args.id))
    },
  },
  Account: {
    balance,
    async balanceFormatted(row: AccountRow, args: { block?: number | null }, ctx: ApiContext) {
      return formatUnits(await balance(row, args, ctx))
    },
    transfersIn: (r: AccountRow) => r.transfers_in,
    transfersOut: (r: AccountRow) => r.transfers_out,
    firstSeenBlock: (r: AccountRow) => r.first_seen_block,
    lastActiveBlock: (r: AccountRow) => r.last_active_block,
    async transfers(row: AccountRow, args: PageArgs & { orderBy: 'NEWEST_FIRST' | 'OLDEST_FIRST' }, ctx: ApiContext) {
      const req = pageRequest(args)
      const rows = await accountTransfers(ctx.db, row.id, {
        afterId: req.afterKey,
        beforeId: req.beforeKey,
        limit: req.fetch,
        descending: args.orderBy !== 'OLDEST_FIRST',
        backward: req.backward,
      })
      return connection(rows, req, (r) => r.id)
    },
  },
  Transfer: {
    blockNumber: (r: TransferRow) => r.block_number,
    blockHash: (r: TransferRow) => r.block_hash,
    timestamp: (r: TransferRow) => r.timestamp.toISOString(),
    txHash: (r: TransferRow) => r.tx_hash,
    logIndex: (r: TransferRow) => r.log_index,
    from: (r: TransferRow) => r.from_id,
    to: (r: TransferRow) => r.to_id,
    valueFormatted: (r: TransferRow) => formatUnits(r.value),
    fromBalanceAfter: (r: TransferRow) => r.from_balance_after,
    toBalanceAfter: (r: TransferRow) => r.to_balance_after,
  },
}
