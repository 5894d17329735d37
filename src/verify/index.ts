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
  /** Checks beyond the spec's (a reference contract's view) that this deployment cannot answer, with why. */
  skipped: { check: string; reason: string }[]
}

interface Callable<A, R> {
  encode(args: A): string
  decodeResult(output: string): R
}

/**
 * eth_calls at one block, sent in JSON-RPC batches. Each call belongs to a
 * check. The token's balanceOf and totalSupply are what the spec defines on
 * any deployment; the other checks read a reference contract's views, which
 * another deployment may not have: each is probed with its first call, and
 * skipped whole (with why) when that reverts or does not decode. Any other
 * failure stops verify with a one-line error.
 */
class CallBatch {
  private calls: { check: string; to: string; data: string; decode: (out: string) => unknown; use: (r: unknown) => void }[] = []
  readonly skipped = new Map<string, string>()

  constructor(
    private readonly rpc: RpcClient,
    private readonly blockTag: string,
  ) {}

  add<A, R>(check: string, to: string, fn: Callable<A, R>, args: A, use: (r: R) => void): void {
    this.calls.push({ check, to, data: fn.encode(args), decode: (out) => fn.decodeResult(out), use: use as (r: unknown) => void })
  }

  private request(c: { to: string; data: string }) {
    return { method: 'eth_call', params: [{ to: c.to, data: c.data }, this.blockTag] }
  }

  async run(chunk = 250): Promise<void> {
    const firsts = new Map<string, (typeof this.calls)[number]>()
    for (const c of this.calls) if (!REQUIRED.has(c.check) && !firsts.has(c.check)) firsts.set(c.check, c)
    const probes = [...firsts.values()]
    const answers = await this.rpc.batchSettled<string>(probes.map((c) => this.request(c)))
    answers.forEach((o, i) => {
      const c = probes[i]
      if ('error' in o) return this.skipped.set(c.check, `${c.to}: ${o.error.message}`)
      try {
        c.decode(o.result)
      } catch (e) {
        this.skipped.set(c.check, `${c.to}: its answer does not decode (${oneLine(e)})`)
      }
    })
    const calls = this.calls.filter((c) => !this.skipped.has(c.check))
    for (let i = 0; i < calls.length; i += chunk) {
      const part = calls.slice(i, i + chunk)
      const outs = await this.rpc.batchSettled<string>(part.map((c) => this.request(c)))
      outs.forEach((o, j) => {
        const c = part[j]
        if ('error' in o) throw new VerifyError(`${c.check} at ${c.to} failed: ${o.error.message}`)
        let r: unknown
        try {
          r = c.decode(o.result)
        } catch (e) {
          throw new VerifyError(`${c.check} at ${c.to}: the answer does not decode (${oneLine(e)})`)
        }
        c.use(r)
      })
    }
    this.calls = []
  }
}

const REQUIRED = new Set(['token balanceOf', 'token totalSupply'])

/** A decoder's message, which spans lines, as one line. */
const oneLine = (e: unknown) => String((e as Error).message ?? e).replace(/\s+/g, ' ').trim()

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
    calls.add('token balanceOf', c.token, icnt.functions.balanceOf, { account }, (v) => {
      check(`account ${account}`, 'balance', balance, v)
      checkNow(`account ${account}`, 'balance', now?.balances.get(account), (b) => b, v)
    })
  }
  const supply = await supplyAt(db, at)
  calls.add('token totalSupply', c.token, icnt.functions.totalSupply, {}, (v) => {
    check('token', 'totalSupply', supply.totalSupply, v)
    checkNow('token', 'totalSupply', now?.supply, (x) => x.totalSupply, v)
  })
  if (c.vesting) calls.add('token balanceOf', c.token, icnt.functions.balanceOf, { account: c.vesting }, (v) => check('supply checkpoint', 'vestingBalance', supply.vestingBalance, v))
  if (c.staking) calls.add('token balanceOf', c.token, icnt.functions.balanceOf, { account: c.staking }, (v) => check('supply checkpoint', 'staked', supply.staked, v))

  if (c.vesting) {
    for (const s of await schedulesAt(db, at)) {
      calls.add('vesting getSchedule()', s.contract, vesting.functions.getSchedule, { scheduleId: s.scheduleId }, (v) => {
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
      calls.add('staking getDelegation()', c.staking, staking.functions.getDelegation, { delegator: p.delegator, lockedDelegationIndex: BigInt(p.lockedDelegationIndex) }, (v) => {
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
      calls.add('staking getNode()', c.staking, staking.functions.getNode, { nodeId: n.nodeId }, (v) => {
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
        calls.add('market bookedCapacity()', c.market, market.functions.bookedCapacity, { nodeId: n.nodeId }, (v) => check(e, 'bookedCapacity', mine, v))
      }
    }
  }

  await calls.run()
  const skipped = [...calls.skipped].map(([check, reason]) => ({ check, reason }))
  return { block: at, checked, differences, skipped }
}
