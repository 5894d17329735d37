import DataLoader from 'dataloader'
import type { MultiChainPreset, NetworkPreset } from '../config'
import type { HeadCache } from './headcache'
import type { PageRequest } from './pagination'
import { PerformanceService } from './performance/service'
import { SupplyService } from './supply/service'
import type { Db } from './sql/db'
import { keysetCountsByParent, keysetPagesByParent, ListSpec } from './sql/list'
import {
  accountsAt,
  accountsByIds,
  balancesAtHeights,
  blockAtTime,
  blockByHeight,
  bookedCapacityAt,
  bookedCapacityByNodes,
  delegationEventsAt,
  delegationEventsByDelegations,
  hyperNodesAt,
  hyperNodesByIds,
  nodesAt,
  nodesByIds,
} from './sql/entities'
import { At, markOne } from './at'
import type { AccountRow, HyperNodeRow, NodeRow, StakingEventRow } from './sql/lists'

/** What a request knows of a multi-chain network (src/api/network.ts's NetworkApi). */
export interface NetworkView {
  network: MultiChainPreset
  /** In the preset's order: each chain's name, preset and the schema of its tables. */
  chains: ReadonlyArray<{ name: string; preset: NetworkPreset; schema: string }>
  /** The chain of the staking contract (the protocol's lists), and of the vesting contract. */
  protocol: string
  vesting: string
}

/** A request's view of a multi-chain network: its ApiContext per chain. */
export interface NetworkRequest {
  api: NetworkView
  chains: Map<string, ApiContext>
}

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
  private readonly nestedCounts = new Map<string, DataLoader<string, number>>()
  /** Loaders of rows as they stood at a past block, one per kind and block. */
  private readonly atLoaders = new Map<string, DataLoader<string, unknown>>()

  /** The chain this context answers from (on a single-chain network, the preset's name). */
  readonly chain: string
  /** On a multi-chain network: every chain's context of the request (this one among them). */
  network?: NetworkRequest

  constructor(
    readonly db: Db,
    readonly preset: NetworkPreset,
    headCache?: HeadCache,
  ) {
    this.chain = preset.name
    this.supply = new SupplyService(db, preset, headCache)
    this.performance = new PerformanceService(this)
    this.account = byKey((ids) => accountsByIds(db, ids), null)
    this.node = byKey((ids) => nodesByIds(db, ids), null)
    this.hyperNode = byKey((ids) => hyperNodesByIds(db, ids), null)
    this.bookedCapacity = byKey((ids) => bookedCapacityByNodes(db, ids), '0')
    this.delegationEvents = byKey((ids) => delegationEventsByDelegations(db, ids), [])
  }

  private loaderAt<R>(kind: string, at: At, load: (ids: readonly string[]) => Promise<Map<string, R>>, missing: R | null): DataLoader<string, R | null> {
    const key = `${kind}@${at.height}`
    let l = this.atLoaders.get(key) as DataLoader<string, R | null> | undefined
    if (!l) {
      l = byKey<string, R | null>(load, missing)
      this.atLoaders.set(key, l as DataLoader<string, unknown>)
    }
    return l
  }

  /** A node at the head, or as it stood after block `at` (its row then carries `at`). */
  async nodeAt(id: string, at: At | undefined): Promise<NodeRow | null> {
    if (!at) return this.node.load(id)
    return markOne(await this.loaderAt<NodeRow>('node', at, (ids) => nodesAt(this.db, ids, at.height), null).load(id), at)
  }

  async hyperNodeAt(id: string, at: At | undefined): Promise<HyperNodeRow | null> {
    if (!at) return this.hyperNode.load(id)
    return markOne(await this.loaderAt<HyperNodeRow>('hyperNode', at, (ids) => hyperNodesAt(this.db, ids, at.height), null).load(id), at)
  }

  async accountAt(id: string, at: At | undefined): Promise<AccountRow | null> {
    if (!at) return this.account.load(id)
    return markOne(await this.loaderAt<AccountRow>('account', at, (ids) => accountsAt(this.db, ids, at.height), null).load(id), at)
  }

  bookedCapacityAt(id: string, at: At | undefined): Promise<string> {
    if (!at) return this.bookedCapacity.load(id)
    return this.loaderAt<string>('booked', at, (ids) => bookedCapacityAt(this.db, ids, at), '0').load(id) as Promise<string>
  }

  delegationEventsAt(id: string, at: At | undefined): Promise<(StakingEventRow & { delegator: string })[]> {
    if (!at) return this.delegationEvents.load(id)
    return this.loaderAt<(StakingEventRow & { delegator: string })[]>('delegationEvents', at, (ids) => delegationEventsAt(this.db, ids, at.height), []).load(id) as Promise<(StakingEventRow & { delegator: string })[]>
  }

  /** The header of a stored block, or of the last block at or before an instant. */
  blockAt(height: number): Promise<At | undefined> {
    return blockByHeight(this.db, height)
  }

  blockAtTime(t: Date): Promise<At | undefined> {
    return blockAtTime(this.db, t)
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
  nestedPage<R extends object>(field: string, argsKey: string, spec: ListSpec<R>, req: PageRequest, parent: string): Promise<R[]> {
    const key = `${field}\u0000${argsKey}\u0000${req.argsKey}\u0000${req.tag}`
    let loader = this.nested.get(key) as DataLoader<string, R[]> | undefined
    if (!loader) {
      loader = new DataLoader<string, R[]>(async (parents) => {
        const m = await keysetPagesByParent(this.db, spec, parents, req)
        return parents.map((p) => m.get(p) ?? [])
      })
      this.nested.set(key, loader as DataLoader<string, unknown[]>)
    }
    return loader.load(parent)
  }

  /** A nested connection's totalCount for every parent of the same field and arguments, in one statement. */
  nestedCount<R>(field: string, argsKey: string, spec: ListSpec<R>, parent: string): Promise<number> {
    const key = `count\u0000${field}\u0000${argsKey}`
    let loader = this.nestedCounts.get(key)
    if (!loader) {
      loader = new DataLoader<string, number>(async (parents) => {
        const m = await keysetCountsByParent(this.db, spec, parents)
        return parents.map((p) => m.get(p) ?? 0)
      })
      this.nestedCounts.set(key, loader)
    }
    return loader.load(parent)
  }

  /** An account's balance after block `block`, batched over the accounts asked for at that block. */
  balanceAt(id: string, block: number): Promise<string> {
    const key = `balance@${block}`
    let l = this.atLoaders.get(key) as DataLoader<string, string> | undefined
    if (!l) {
      l = new DataLoader<string, string>(async (ids) => {
        const m = (await balancesAtHeights(this.db, [block], [...ids])).get(0)
        return ids.map((id) => (m?.get(id) ?? 0n).toString())
      })
      this.atLoaders.set(key, l as DataLoader<string, unknown>)
    }
    return l.load(id)
  }
}

export function makeContext(db: Db, preset: NetworkPreset, headCache?: HeadCache): ApiContext {
  return new ApiContext(db, preset, headCache)
}
