import DataLoader from 'dataloader'
import type { NetworkPreset } from '../config'
import type { HeadCache } from './headcache'
import type { PageRequest } from './pagination'
import { PerformanceService } from './performance/service'
import { SupplyService } from './supply/service'
import type { Db } from './sql/db'
import { keysetPagesByParent, ListSpec } from './sql/list'
import { accountsByIds, bookedCapacityByNodes, delegationEventsByDelegations, hyperNodesByIds, nodesByIds } from './sql/entities'
import type { AccountRow, HyperNodeRow, NodeRow, StakingEventRow } from './sql/lists'

function byKey<K, R>(load: (keys: readonly K[]) => Promise<Map<K, R>>, missing: R): DataLoader<K, R> {
  return new DataLoader(async (keys) => {
    const m = await load(keys)
    return keys.map((k) => m.get(k) ?? missing)
  })
}

/** Per-request state: DataLoaders are never shared between requests. */
export class ApiContext {
  readonly account: DataLoader<string, AccountRow | null>
  readonly node: DataLoader<string, NodeRow | null>
  readonly hyperNode: DataLoader<string, HyperNodeRow | null>
  readonly bookedCapacity: DataLoader<string, string>
  readonly delegationEvents: DataLoader<string, (StakingEventRow & { delegator: string })[]>
  readonly supply: SupplyService
  readonly performance: PerformanceService
  private readonly nested = new Map<string, DataLoader<string, unknown[]>>()

  constructor(
    readonly db: Db,
    readonly preset: NetworkPreset,
    headCache?: HeadCache,
  ) {
    this.supply = new SupplyService(db, preset, headCache)
    this.performance = new PerformanceService(this)
    this.account = byKey((ids) => accountsByIds(db, ids), null)
    this.node = byKey((ids) => nodesByIds(db, ids), null)
    this.hyperNode = byKey((ids) => hyperNodesByIds(db, ids), null)
    this.bookedCapacity = byKey((ids) => bookedCapacityByNodes(db, ids), '0')
    this.delegationEvents = byKey((ids) => delegationEventsByDelegations(db, ids), [])
  }

  /**
   * An answer computed once per indexed head and shared between requests
   * (see headcache.ts); `key` must name everything the answer depends on
   * besides the index's data.
   */
  async shared<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const head = await this.supply.head()
    return head ? this.supply.shared(head, key, compute) : compute()
  }

  /**
   * A nested connection page (e.g. each node's delegations) for every parent
   * of the same field and arguments, in one statement.
   */
  nestedPage<R extends object>(field: string, argsKey: string, spec: ListSpec<R>, parentCol: string, req: PageRequest, parent: string): Promise<R[]> {
    const key = `${field}\u0000${argsKey}\u0000${req.argsKey}`
    let loader = this.nested.get(key) as DataLoader<string, R[]> | undefined
    if (!loader) {
      loader = new DataLoader<string, R[]>(async (parents) => {
        const m = await keysetPagesByParent(this.db, spec, parentCol, parents, req)
        return parents.map((p) => m.get(p) ?? [])
      })
      this.nested.set(key, loader as DataLoader<string, unknown[]>)
    }
    return loader.load(parent)
  }
}

export function makeContext(db: Db, preset: NetworkPreset, headCache?: HeadCache): ApiContext {
  return new ApiContext(db, preset, headCache)
}
