/**
 * The truth check: every figure the index holds at a block against what the
 * chain answers through eth_call at that same block. Used by the truth test
 * and by operators (`npm run verify [block]`).
 */
import type { Client } from 'pg'
import * as market from '../abi/CapacityMarket'
import * as staking from '../abi/ICNStaking'
import * as icnt from '../abi/ICNT'
import * as vesting from '../abi/ICNVesting'
import type { NetworkPreset } from '../config'
import { ZERO_ADDRESS } from '../domain/ids'
import type { RpcClient } from '../runtime/rpc'
import { balancesAt, bookedAt, CurrentState, currentState, indexedHead, nodesAt, positionsAt, schedulesAt, supplyAt } from './db'

export interface Difference {
  /** e.g. "account 0xab…", "node 7", "delegation 0xab…-000001" */
  entity: string
  field: string
  index: string
  chain: string
}

export interface VerifyResult {
  block: number
  /** Figures compared. */
  checked: number
  differences: Difference[]
}

interface Callable<A, R> {
  encode(args: A): string
  decodeResult(output: string): R
}

/** eth_calls at one block, sent in JSON-RPC batches. */
class CallBatch {
  private calls: { to: string; data: string; done: (out: string) => void }[] = []

  constructor(
    private readonly rpc: RpcClient,
    private readonly blockTag: string,
  ) {}

  add<A, R>(to: string, fn: Callable<A, R>, args: A, use: (r: R) => void): void {
    this.calls.push({ to, data: fn.encode(args), done: (out) => use(fn.decodeResult(out)) })
  }

  async run(chunk = 250): Promise<void> {
    for (let i = 0; i < this.calls.length; i += chunk) {
      const part = this.calls.slice(i, i + chunk)
      const outs = await this.rpc.batch<string>(part.map((c) => ({ method: 'eth_call', params: [{ to: c.to, data: c.data }, this.blockTag] })))
      outs.forEach((o, j) => part[j].done(o))
    }
    this.calls = []
  }
}

export class VerifyError extends Error {}

/**
 * Compares the index with the chain at `block` (default: the indexed head).
 * The block must be indexed and, at the head, on the chain's canonical branch.
 */
export async function verify(db: Client, rpc: RpcClient, preset: NetworkPreset, block?: number): Promise<VerifyResult> {
  const head = await indexedHead(db)
  if (!head) throw new VerifyError('the database holds no index yet (indexer_status is empty)')
  const at = block ?? head.height
  if (!Number.isInteger(at) || at < 0) throw new VerifyError(`block must be a non-negative integer (got ${block})`)
  if (at > head.height) throw new VerifyError(`block ${at} is beyond the indexed height ${head.height}`)
  const tag = '0x' + at.toString(16)
  const chainBlock = await rpc.call<{ hash: string; timestamp: string } | null>('eth_getBlockByNumber', [tag, false])
  if (!chainBlock) throw new VerifyError(`the chain has no block ${at}`)

  const differences: Difference[] = []
  let checked = 0
  const check = (entity: string, field: string, index: bigint | number | boolean | string, chain: bigint | number | boolean | string) => {
    checked += 1
    if (String(index) !== String(chain)) differences.push({ entity, field, index: String(index), chain: String(chain) })
  }
  // At the head, the current-state rows the API serves are checked too ("balance (current row)").
  let now: CurrentState | undefined
  if (at === head.height) {
    check('indexer', 'block hash', head.hash, chainBlock.hash)
    now = await currentState(db)
  }
  const checkNow = <T>(entity: string, field: string, row: T | undefined, pick: (r: T) => bigint | number | boolean, chain: bigint | number | boolean) => {
    if (now) check(entity, `${field} (current row)`, row === undefined ? 'missing' : pick(row), chain)
  }

  const c = preset.contracts
  const calls = new CallBatch(rpc, tag)

  // Token: every holder's balance, total supply, and the supply checkpoint's parts.
  const balances = await balancesAt(db, at)
  for (const [account, balance] of balances) {
    if (account === ZERO_ADDRESS) continue
    calls.add(c.token, icnt.functions.balanceOf, { account }, (v) => {
      check(`account ${account}`, 'balance', balance, v)
      checkNow(`account ${account}`, 'balance', now?.balances.get(account), (b) => b, v)
    })
  }
  const supply = await supplyAt(db, at)
  calls.add(c.token, icnt.functions.totalSupply, {}, (v) => {
    check('token', 'totalSupply', supply.totalSupply, v)
    checkNow('token', 'totalSupply', now?.supply, (x) => x.totalSupply, v)
  })
  if (c.vesting) calls.add(c.token, icnt.functions.balanceOf, { account: c.vesting }, (v) => check('supply checkpoint', 'vestingBalance', supply.vestingBalance, v))
  if (c.staking) calls.add(c.token, icnt.functions.balanceOf, { account: c.staking }, (v) => check('supply checkpoint', 'staked', supply.staked, v))

  if (c.vesting) {
    for (const s of await schedulesAt(db, at)) {
      calls.add(s.contract, vesting.functions.getSchedule, { scheduleId: s.scheduleId }, (v) => {
        check(`schedule ${s.scheduleId}`, 'released', s.released, v.released)
        check(`schedule ${s.scheduleId}`, 'revoked', s.revoked, v.revoked)
        checkNow(`schedule ${s.scheduleId}`, 'released', now?.schedules.get(s.scheduleId), (x) => x.released, v.released)
        checkNow(`schedule ${s.scheduleId}`, 'revoked', now?.schedules.get(s.scheduleId), (x) => x.revoked, v.revoked)
      })
    }
  }

  if (c.staking) {
    const positions = await positionsAt(db, at)
    const onNode = new Map<bigint, { stake: bigint; count: number }>()
    for (const p of positions) {
      if (!p.reclaimed) {
        const n = onNode.get(p.nodeId) ?? { stake: 0n, count: 0 }
        n.stake += p.amount
        n.count += 1
        onNode.set(p.nodeId, n)
      }
      calls.add(c.staking, staking.functions.getDelegation, { delegator: p.delegator, lockedDelegationIndex: BigInt(p.lockedDelegationIndex) }, (v) => {
        const e = `delegation ${p.id}`
        check(e, 'nodeId', p.nodeId, v.nodeId)
        check(e, 'nodeDelegationIndex', p.nodeDelegationIndex, v.nodeDelegationIndex)
        check(e, 'amount', p.amount, v.amount)
        check(e, 'undelegated', p.undelegated, v.undelegated)
        check(e, 'reclaimed', p.reclaimed, v.reclaimed)
        const row = now?.positions.get(p.id)
        checkNow(e, 'amount', row, (x) => x.amount, v.amount)
        checkNow(e, 'undelegated', row, (x) => x.undelegated, v.undelegated)
        checkNow(e, 'reclaimed', row, (x) => x.reclaimed, v.reclaimed)
      })
    }
    const booked = c.market ? await bookedAt(db, at, BigInt(chainBlock.timestamp)) : undefined
    for (const n of await nodesAt(db, at)) {
      const e = `node ${n.nodeId}`
      const pos = onNode.get(n.nodeId) ?? { stake: 0n, count: 0 }
      calls.add(c.staking, staking.functions.getNode, { nodeId: n.nodeId }, (v) => {
        check(e, 'status', n.status, v.status)
        check(e, 'totalCapacity', n.totalCapacity, v.totalCapacity)
        check(e, 'collateral', n.collateral, v.collateral)
        check(e, 'delegatedStake', pos.stake, v.delegatedTotal)
        check(e, 'activePositions', pos.count, v.delegatorPositions)
        const row = now?.nodes.get(n.nodeId)
        checkNow(e, 'status', row, (x) => x.status, v.status)
        checkNow(e, 'totalCapacity', row, (x) => x.totalCapacity, v.totalCapacity)
        checkNow(e, 'collateral', row, (x) => x.collateral, v.collateral)
        checkNow(e, 'delegatedStake', row, (x) => x.delegatedStake, v.delegatedTotal)
        checkNow(e, 'activePositions', row, (x) => x.activePositions, v.delegatorPositions)
      })
      if (c.market && booked) {
        const mine = booked.get(n.nodeId) ?? 0n
        calls.add(c.market, market.functions.bookedCapacity, { nodeId: n.nodeId }, (v) => check(e, 'bookedCapacity', mine, v))
      }
    }
  }

  await calls.run()
  return { block: at, checked, differences }
}
