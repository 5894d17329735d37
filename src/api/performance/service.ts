/**
 * Node performance for delegators, hardware providers and the network:
 * per-node figures over a window of eras, a leaderboard, network totals,
 * and HyperNode deviation from consensus; all from the node-era rollups.
 * GraphQL reaches them through ./resolvers.ts.
 */
import DataLoader from 'dataloader'
import type { NetworkPreset } from '../../config'
import { EraWindow, resolveWindow, WindowError } from '../../domain/performance'
import { parseBlock } from '../args'
import { badInput } from '../errors'
import type { Db } from '../sql/db'
import { bookedCapacityByNodes } from '../sql/entities'
import type { NodeRow } from '../sql/lists'
import { deviations, EraAggregate, eraAggregates, networkTotals, nodeCounts, NodeExtras, nodeExtras } from '../sql/performance'
import type { SupplyService } from '../supply/service'

export interface WindowArgs {
  eraFrom?: number | null
  eraTo?: number | null
  from?: Date | null
  to?: Date | null
  lastEras?: number | null
  lastDays?: number | null
}

export interface ResolvedWindow extends EraWindow {
  /** Head block time (unix seconds) the window was resolved against. */
  headTime: number
}

/**
 * What the service reads of its request's context. ApiContext has all of it;
 * naming it here, not importing ApiContext, keeps the context (which builds
 * this service) and the service out of an import cycle.
 */
export interface PerformanceDeps {
  readonly db: Db
  readonly preset: NetworkPreset
  readonly supply: Pick<SupplyService, 'head'>
  shared<T>(key: string, compute: () => Promise<T>): Promise<T>
}

/** Per-request performance state: windows resolved once, per-node figures batched per window. */
export class PerformanceService {
  private head?: Promise<number>
  private readonly loaders = new Map<string, DataLoader<string, NodePerformance>>()
  private readonly deviationsByWindow = new Map<string, ReturnType<typeof deviations>>()
  private readonly totalsByWindow = new Map<string, ReturnType<typeof networkTotals>>()
  private counts?: ReturnType<typeof nodeCounts>

  constructor(private readonly ctx: PerformanceDeps) {}

  private headTime(): Promise<number> {
    return (this.head ??= this.ctx.supply.head().then((h) => (h ? Math.floor(h.timestamp.getTime() / 1000) : this.ctx.preset.eraOrigin)))
  }

  async window(args: WindowArgs | null | undefined): Promise<ResolvedWindow> {
    const headTime = await this.headTime()
    const sec = (d: Date | null | undefined) => (d == null ? undefined : Math.floor(d.getTime() / 1000))
    try {
      const w = resolveWindow(
        {
          eraFrom: parseBlock('window.eraFrom', args?.eraFrom),
          eraTo: parseBlock('window.eraTo', args?.eraTo),
          from: sec(args?.from),
          to: sec(args?.to),
          lastEras: args?.lastEras ?? undefined,
          lastDays: args?.lastDays ?? undefined,
        },
        headTime,
        this.ctx.preset.eraOrigin,
      )
      return { ...w, headTime }
    } catch (e) {
      if (e instanceof WindowError) throw badInput(e.argument, e.message)
      throw e
    }
  }

  node(w: ResolvedWindow, row: NodeRow): Promise<NodePerformance> {
    const key = `${w.eraFrom}:${w.eraTo}`
    let l = this.loaders.get(key)
    if (!l) {
      l = new DataLoader<string, NodePerformance>((ids) =>
        // The same nodes over the same window (a leaderboard page, a node's page) at the same head: computed once.
        this.ctx.shared(`performance:${key}:${ids.join(',')}`, async () => {
          const [agg, extras, booked] = await Promise.all([eraAggregates(this.ctx.db, ids, w), nodeExtras(this.ctx.db, ids, w), bookedCapacityByNodes(this.ctx.db, ids)])
          return ids.map((id) => ({ window: w, agg: agg.get(id), extras: extras.get(id)!, booked: booked.get(id) ?? '0', nodeId: id }) as NodePerformance)
        }),
      )
      this.loaders.set(key, l)
    }
    return l.load(row.id).then((p) => ({ ...p, row }))
  }

  /** Node counts by status, region and class: one statement however many groupings are asked. */
  nodeCounts() {
    return (this.counts ??= nodeCounts(this.ctx.db))
  }

  totals(w: ResolvedWindow) {
    const key = `${w.eraFrom}:${w.eraTo}`
    let t = this.totalsByWindow.get(key)
    if (!t) this.totalsByWindow.set(key, (t = networkTotals(this.ctx.db, w, w.headTime)))
    return t
  }

  deviations(w: ResolvedWindow) {
    const key = `${w.eraFrom}:${w.eraTo}`
    let d = this.deviationsByWindow.get(key)
    if (!d) this.deviationsByWindow.set(key, (d = deviations(this.ctx.db, w, 3)))
    return d
  }
}

export interface NodePerformance {
  nodeId: string
  row: NodeRow
  window: ResolvedWindow
  agg?: EraAggregate
  extras: NodeExtras
  booked: string
}
