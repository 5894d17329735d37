/** Loads every current-state row a batch's events touch: one read per entity type. */
import { Account, Booking, Delegation, Delegator, HyperNode, Node, NodeEra, VestingSchedule } from '../model'
import type { BatchStore, Entity } from './store'
import type { BatchState, TouchedIds } from './state'

function put<E extends Entity>(map: Map<string, E>, rows: E[]): void {
  for (const r of rows) if (!map.has(r.id)) map.set(r.id, r)
}

export async function loadState(store: BatchStore, state: BatchState, ids: TouchedIds): Promise<void> {
  const many = (s: Set<string>) => [...s]
  if (ids.accounts.size) put(state.accounts, await store.byIds(Account, many(ids.accounts)))
  if (ids.schedules.size) put(state.schedules, await store.byIds(VestingSchedule, many(ids.schedules)))
  // Bookings and positions name their node: load those nodes too.
  if (ids.bookings.size) {
    put(state.bookings, await store.byIds(Booking, many(ids.bookings)))
    for (const b of state.bookings.values()) ids.nodes.add(b.nodeId)
  }
  if (ids.delegations.size) {
    put(state.delegations, await store.byIds(Delegation, many(ids.delegations)))
    for (const d of state.delegations.values()) ids.nodes.add(d.nodeId)
  }
  if (ids.slashedNodes.size) put(state.delegations, await store.openDelegations(many(ids.slashedNodes)))
  if (ids.nodes.size) put(state.nodes, await store.byIds(Node, many(ids.nodes)))
  if (ids.delegators.size) put(state.delegators, await store.byIds(Delegator, many(ids.delegators)))
  if (ids.hyperNodes.size) put(state.hyperNodes, await store.byIds(HyperNode, many(ids.hyperNodes)))
  if (ids.nodeEras.size) put(state.nodeEras, await store.byIds(NodeEra, many(ids.nodeEras)))
  state.recordLoaded()
  const last = await store.lastCheckpoint()
  state.minted = last?.minted ?? 0n
  state.burned = last?.burned ?? 0n
}
