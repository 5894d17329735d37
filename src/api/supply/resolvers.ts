/** Resolvers of the supply schema (./schema.ts): arguments checked here, figures from SupplyService. */
import { formatUnits } from '../../domain/units'
import type { Interval } from '../../domain/supply'
import { parseBlock } from '../args'
import type { ApiContext } from '../context'
import { badInput } from '../errors'
import { accountList } from '../sql/lists'
import { keysetPage } from '../sql/list'
import { holderStats } from '../sql/supply'
import type { LabelledBalance, SupplyAnswer } from './service'

const share = (part: bigint, total: bigint) => (total === 0n ? 0 : Number((part * 1_000_000_000n) / total) / 1e9)

export const supplyResolvers = {
  Query: {
    async supply(_: unknown, args: { block?: number | null; timestamp?: Date | null }, ctx: ApiContext) {
      return ctx.supply.supply({ block: parseBlock('block', args.block), timestamp: args.timestamp ?? undefined })
    },
    supplyHistory: (_: unknown, a: { from: Date; to: Date; interval: string }, ctx: ApiContext) => ctx.supply.history(a.from, a.to, a.interval as Interval),
    allocations: (_: unknown, __: unknown, ctx: ApiContext) => ctx.supply.allocations(),
    unlockSchedule: (_: unknown, a: { from: Date; to: Date; interval: string }, ctx: ApiContext) => ctx.supply.unlocks(a.from, a.to, a.interval as Interval),
    vestedSupply: (_: unknown, a: { at: Date }, ctx: ApiContext) => ctx.supply.vestedAt(a.at),
    async holders(_: unknown, a: { top: number }, ctx: ApiContext) {
      if (!Number.isInteger(a.top) || a.top < 0 || a.top > 1000) throw badInput('top', `must be between 0 and 1000 (got ${a.top})`)
      const [stats, top, sup] = await Promise.all([
        holderStats(ctx.db),
        keysetPage(ctx.db, accountList({}, 'BALANCE_DESC'), { limit: a.top, backward: false }),
        ctx.supply.supply({}),
      ])
      const total = sup?.totalSupply ?? 0n
      const labels = new Map(ctx.preset.labels.map((l) => [l.address, l]))
      return {
        count: stats.count,
        top: top.filter((r) => BigInt(r.balance) > 0n).map((r) => ({ address: r.id, balance: r.balance, label: labels.get(r.id)?.label ?? null, category: labels.get(r.id)?.category ?? null, share: share(BigInt(r.balance), total) })),
        top10: { balance: stats.top10, share: share(BigInt(stats.top10), total) },
        top100: { balance: stats.top100, share: share(BigInt(stats.top100), total) },
        top1000: { balance: stats.top1000, share: share(BigInt(stats.top1000), total) },
      }
    },
  },
  Supply: {
    totalSupplyFormatted: (s: SupplyAnswer) => formatUnits(s.totalSupply),
    circulatingSupplyFormatted: (s: SupplyAnswer) => formatUnits(s.circulatingSupply),
  },
  LabelledWallet: { balanceFormatted: (l: LabelledBalance) => formatUnits(l.balance) },
  CategoryAmount: { amountFormatted: (c: { amount: bigint }) => formatUnits(c.amount) },
  UnlockBucket: { totalFormatted: (u: { total: bigint }) => formatUnits(u.total) },
  VestedSupply: { totalFormatted: (u: { total: bigint }) => formatUnits(u.total) },
  Holder: { balanceFormatted: (h: { balance: string }) => formatUnits(h.balance) },
}
