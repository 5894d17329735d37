/**
 * The devnet's activity simulator: deterministic (seeded PRNG, fixed block
 * times), era by era. It keeps a mirror of the state it needs to only send
 * transactions that succeed, and every block is checked for reverts, so a
 * mirror that drifts from the contracts stops the run at once.
 */
import * as icnt from '../abi/ICNT'
import * as l1bridge from '../abi/L1StandardBridge'
import * as l2bridge from '../abi/L2StandardBridge'
import * as market from '../abi/CapacityMarket'
import * as oracle from '../abi/SLAOracle'
import * as staking from '../abi/ICNStaking'
import * as vesting from '../abi/ICNVesting'
import { ERA_SECONDS, ONE_MONTH, vestedAt } from '../domain/vesting'
import { actor, DEPLOYER } from './actors'
import { categoryBytes32, genesisSchedules, GenesisSchedule, ICNT } from './allocations'
import { DevChain } from './chain'
import { RpcClient } from '../runtime/rpc'
import type { Deployment } from './deploy'

const MAX_UINT = 2n ** 256n - 1n
const ZERO = '0x0000000000000000000000000000000000000000'

/** A chain that takes transactions and mines nothing: what a replay sends to (its blocks are already on the real chain). */
class DiscardingChain extends DevChain {
  constructor() {
    super(new RpcClient('http://127.0.0.1:1'))
  }
  override send(): void {}
  override async mine(): Promise<[]> {
    return []
  }
}
const DAY = 24 * 3600
const REGIONS = ['eu-central', 'eu-west', 'us-east', 'us-west', 'ap-southeast']
const CLASSES = ['storage', 'gpu', 'cpu']
const SLASH_REASON = categoryBytes32('SLA_VIOLATION')

/** mulberry32: a small, fast, well-distributed 32-bit PRNG. */
export class Rng {
  private s: number
  constructor(seed: number) {
    this.s = seed >>> 0
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0
    let t = this.s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }
  chance(p: number): boolean {
    return this.next() < p
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]
  }
}

export interface SimulatorOptions {
  seed: number
  /** Multiplies actors and traffic; 1 is a small network. */
  scale: number
  /** Eras before which delegations emit V1, then V2, then DelegationCreated. */
  upgradeEras: [number, number]
  /** From this era on, the degrading nodes lose uptime and gain latency. */
  degradeFromEra: number
}

interface SimNode {
  id: number
  hp: string
  status: number
  capacity: bigint
  collateral: bigint
  delegated: bigint
  /** Positions still on the node: [delegator, lockedDelegationIndex]. */
  positions: Array<[string, number]>
  nextNodeDelegationIndex: number
  degrading: boolean
  /** Eras whose reports reached a quorum, and of those the ones that met the SLA (what the simulator put in). */
  quorumEras: number
  metEras: number
  /** Bookings not ended. */
  bookings: number[]
  recentViolations: number[]
}

interface SimDelegation {
  index: number
  nodeId: number
  amount: bigint
  unlock: number
  undelegatedAt?: number
  reclaimed: boolean
}

interface SimBooking {
  id: number
  nodeId: number
  sp: string
  capacity: bigint
  endTime: number
  ended: boolean
}

interface SimHyperNode {
  id: number
  operator: string
  active: boolean
  dishonest: boolean
}

interface Report {
  nodeId: bigint
  era: bigint
  uptimeBps: number
  latencyMs: number
  challengesPassed: number
  challengesFailed: number
}

/**
 * A bridge transfer whose first half is on chain (a deposit escrowed on the
 * L1, a withdrawal burned on the L2) and whose second half the relayer sends
 * in the first market block at or after `due` (unix seconds): in flight until then.
 */
export interface PendingRelay {
  kind: 'deposit' | 'withdrawal'
  from: string
  to: string
  amount: bigint
  due: number
}

/** What the simulator knows it put into the chain, for tests to hold the index against. */
export interface SimulatorTruth {
  degradingNodes: number[]
  dishonestHyperNodes: number[]
  degradeFromEra: number
  /** Per node, over all eras so far: eras with a quorum of reports and eras that met the SLA. */
  eraOutcomes: { nodeId: number; quorumEras: number; metEras: number }[]
}

export class Simulator {
  readonly rng: Rng
  /** The era whose activity the next `step` produces. */
  era = 0
  private readonly bal = new Map<string, bigint>()
  private readonly nodes: SimNode[] = []
  private readonly delegations = new Map<string, SimDelegation[]>()
  private readonly bookings: SimBooking[] = []
  private readonly hyperNodes: SimHyperNode[] = []
  private readonly schedules: Array<GenesisSchedule & { id: number; released: bigint; revokedAt?: number }>
  private readonly accrued = new Map<string, bigint>()
  private readonly pendingClaims = new Map<string, Array<{ index: number; amount: bigint; unlock: number; claimed: boolean }>>()
  private holders: string[] = []
  private readonly hps: string[]
  private readonly delegators: string[]
  private readonly sps: string[]
  private eventVersion = 1
  private hpGrant = 0n
  /**
   * The protocol token's balances: on the two-chain devnet the L2's, else the
   * very map `bal` is (one token, one chain).
   */
  private readonly bal2: Map<string, bigint>
  /** Contracts on the L2 (two-chain devnet): their transactions go to `l2`. */
  private readonly l2Contracts = new Set<string>()
  private readonly relays: PendingRelay[] = []
  /** Holders who bridged to the L2 (two-chain devnet). */
  private readonly l2Holders: string[] = []
  private readonly l1BridgeApproved = new Set<string>()
  /** What era 0 hands out on the L2 once its deposit has arrived. */
  private l2Grants: Array<[string, bigint]> = []

  constructor(
    /** Where its transactions go (the L1 on the two-chain devnet); replaced once a replay has rebuilt the mirror (see `replayed`). */
    public chain: DevChain,
    readonly d: Deployment,
    readonly tge: number,
    readonly opts: SimulatorOptions,
    /** The two-chain devnet's L2, where the protocol and the bridged token are. */
    public l2?: DevChain,
  ) {
    if (d.bridge && !l2) throw new Error('a two-chain deployment needs its L2 chain')
    if (!d.bridge && l2) throw new Error('an L2 chain was given for a single-chain deployment')
    this.bal2 = d.bridge ? new Map() : this.bal
    // The genesis approved the L1 bridge for the distributor.
    if (d.bridge) this.l1BridgeApproved.add(d.rewardsDistributor)
    if (d.bridge) for (const a of [d.staking, d.market, d.slaOracle, d.bridge.l2Bridge, d.bridge.l2Token]) this.l2Contracts.add(a)
    // Transactions go to the chain that holds their contract: no address may be a contract on both.
    for (const a of d.bridge ? [d.token, d.vesting, d.bridge.l1Bridge] : []) if (this.l2Contracts.has(a)) throw new Error(`${a} is a contract on both chains`)
    this.rng = new Rng(opts.seed)
    const s = opts.scale
    this.holders = range(40 * s).map((i) => actor(`holder:${i}`))
    this.hps = range(4 * s).map((i) => actor(`hp:${i}`))
    this.delegators = range(20 * s).map((i) => actor(`delegator:${i}`))
    this.sps = range(6 * s).map((i) => actor(`sp:${i}`))
    this.schedules = genesisSchedules(tge).map((g, id) => ({ ...g, id, released: 0n }))
    this.bal.set(d.rewardsDistributor, 0n)
  }

  /**
   * A simulator whose mirror is what `eras` steps from the start built, the
   * transactions they sent already on `chain` (a devnet resumed from its saved
   * state). The simulation depends on nothing but its seed and era, so the
   * steps are run again against a chain that takes nothing.
   */
  static async replayed(chain: DevChain, d: Deployment, tge: number, opts: SimulatorOptions, eras: number, l2?: DevChain): Promise<Simulator> {
    const sim = new Simulator(new DiscardingChain(), d, tge, opts, l2 && new DiscardingChain())
    while (sim.era < eras) await sim.step()
    sim.chain = chain
    sim.l2 = l2
    return sim
  }

  /** The ICNT balance the mirror holds for every address it tracks (to hold a resumed chain against); the L1's on two chains. */
  mirroredBalances(): Array<[string, bigint]> {
    return [...this.bal]
  }

  /** The bridged ICNT balances the mirror holds on the two-chain devnet's L2 (empty on one chain). */
  mirroredL2Balances(): Array<[string, bigint]> {
    return this.d.bridge ? [...this.bal2] : []
  }

  /** Bridge transfers sent and not yet relayed, oldest first. */
  pendingRelays(): readonly PendingRelay[] {
    return this.relays
  }

  truth(): SimulatorTruth {
    return {
      degradingNodes: this.nodes.filter((n) => n.degrading).map((n) => n.id),
      dishonestHyperNodes: this.hyperNodes.filter((h) => h.dishonest).map((h) => h.id),
      degradeFromEra: this.opts.degradeFromEra,
      eraOutcomes: this.nodes.map((n) => ({ nodeId: n.id, quorumEras: n.quorumEras, metEras: n.metEras })),
    }
  }

  private time(offset: number): number {
    return this.tge + this.era * ERA_SECONDS + offset
  }

  private balance(a: string): bigint {
    return this.bal.get(a) ?? 0n
  }

  private move(from: string, to: string, v: bigint): void {
    this.bal.set(from, this.balance(from) - v)
    this.bal.set(to, this.balance(to) + v)
  }

  /** A balance of the token staking and the market use (the L2's on two chains). */
  private pbalance(a: string): bigint {
    return this.bal2.get(a) ?? 0n
  }

  private pmove(from: string, to: string, v: bigint): void {
    this.bal2.set(from, this.pbalance(from) - v)
    this.bal2.set(to, this.pbalance(to) + v)
  }

  /** Queues a transaction on the chain that holds `to`. */
  private tx(from: string, to: string, data: string, gas: number, label: string): void {
    const chain = this.l2 && this.l2Contracts.has(to) ? this.l2 : this.chain
    chain.send({ from, to, data, gas, label })
  }

  /** Mines one block at `t` on every chain (the two chains keep one clock). */
  private async mine(t: number): Promise<void> {
    await this.chain.mine(t)
    if (this.l2) await this.l2.mine(t)
  }

  /** Escrows `amount` of `from`'s L1 ICNT for `to` on the L2; relayed at `due`. */
  private deposit(from: string, to: string, amount: bigint, due: number): void {
    const b = this.d.bridge!
    if (!this.l1BridgeApproved.has(from)) {
      this.l1BridgeApproved.add(from)
      this.tx(from, this.d.token, icnt.functions.approve.encode({ spender: b.l1Bridge, value: MAX_UINT }), 80_000, 'approve the L1 bridge')
    }
    this.move(from, b.l1Bridge, amount)
    this.tx(from, b.l1Bridge, l1bridge.functions.depositERC20To.encode({ l1Token: this.d.token, l2Token: b.l2Token, to, amount, minGasLimit: 200_000, extraData: '0x' }), 150_000, 'bridge deposit')
    this.relays.push({ kind: 'deposit', from, to, amount, due })
  }

  /** Burns `amount` of `from`'s L2 ICNT, to be released to `to` on the L1 at `due`. */
  private withdraw(from: string, to: string, amount: bigint, due: number): void {
    const b = this.d.bridge!
    this.pmove(from, ZERO, amount)
    this.tx(from, b.l2Bridge, l2bridge.functions.withdrawTo.encode({ l2Token: b.l2Token, to, amount, minGasLimit: 200_000, extraData: '0x' }), 150_000, 'bridge withdrawal')
    this.relays.push({ kind: 'withdrawal', from, to, amount, due })
  }

  /** The relayer's half of every bridge transfer due by `t`: a mint on the L2, or a release from the L1 escrow. */
  private relayDue(t: number): void {
    const b = this.d.bridge!
    for (let i = 0; i < this.relays.length; ) {
      const r = this.relays[i]
      if (r.due > t) {
        i++
        continue
      }
      this.relays.splice(i, 1)
      const args = { l1Token: this.d.token, l2Token: b.l2Token, from: r.from, to: r.to, amount: r.amount, extraData: '0x' }
      if (r.kind === 'deposit') {
        this.pmove(ZERO, r.to, r.amount)
        this.tx(b.relayer, b.l2Bridge, l2bridge.functions.finalizeDeposit.encode(args), 150_000, 'relay deposit')
      } else {
        this.move(b.l1Bridge, r.to, r.amount)
        this.tx(b.relayer, b.l1Bridge, l1bridge.functions.finalizeERC20Withdrawal.encode(args), 150_000, 'finalize withdrawal')
      }
    }
  }

  private expansionWallet(): string {
    return actor(this.schedules.find((s) => s.category === 'NETWORK_EXPANSION')!.beneficiaryRole)
  }

  /** Era 0's set-up: fund the actors from the expansion allocation, approvals, HyperNodes. */
  private async setup(): Promise<void> {
    const expansion = this.schedules.find((s) => s.category === 'NETWORK_EXPANSION')!
    const wallet = actor(expansion.beneficiaryRole)
    this.release(expansion, this.time(60))
    // 60M of the 70M expansion allocation go out to the actors; the rest stays with the fund.
    const share = (budget: bigint, n: number) => (budget * ICNT) / BigInt(n)
    const vary = (v: bigint) => (v * BigInt(this.rng.int(50, 150))) / 100n
    this.hpGrant = share(25_000_000n, this.hps.length)
    const grants: Array<[string, bigint]> = [
      ...this.holders.map((h): [string, bigint] => [h, vary(share(15_000_000n, this.holders.length))]),
      ...this.hps.map((h): [string, bigint] => [h, this.hpGrant]),
      ...this.delegators.map((h): [string, bigint] => [h, vary(share(12_000_000n, this.delegators.length))]),
      ...this.sps.map((h): [string, bigint] => [h, share(8_000_000n, this.sps.length)]),
    ]
    if (this.d.bridge) {
      // Holders trade on the L1; the protocol's actors are funded on the L2,
      // through one deposit the wallet hands out there once it arrives.
      const onL1 = grants.slice(0, this.holders.length)
      for (let i = 0; i < onL1.length; i += 200) this.batchTransfer(wallet, onL1.slice(i, i + 200))
      this.l2Grants = grants.slice(this.holders.length)
      this.deposit(wallet, wallet, this.l2Grants.reduce((sum, [, v]) => sum + v, 0n), this.time(600))
    } else {
      for (let i = 0; i < grants.length; i += 200) this.batchTransfer(wallet, grants.slice(i, i + 200))
    }
    const protocolToken = this.d.bridge?.l2Token ?? this.d.token
    for (const a of this.hps.concat(this.delegators)) {
      this.tx(a, protocolToken, icnt.functions.approve.encode({ spender: this.d.staking, value: MAX_UINT }), 80_000, 'approve staking')
    }
    for (const a of this.sps) {
      this.tx(a, protocolToken, icnt.functions.approve.encode({ spender: this.d.market, value: MAX_UINT }), 80_000, 'approve market')
    }
    const hnCount = 4 + Math.ceil(this.opts.scale / 4)
    for (let i = 1; i <= hnCount; i++) {
      const h: SimHyperNode = { id: i, operator: actor(`hypernode:${i}`), active: true, dishonest: i === hnCount }
      this.hyperNodes.push(h)
      this.tx(DEPLOYER, this.d.slaOracle, oracle.functions.registerHyperNode.encode({ operator: h.operator, location: this.rng.pick(REGIONS) }), 200_000, 'register hypernode')
    }
    await this.mine(this.time(120))
  }

  /** A batch transfer of ICNT, or with `onL2` of the L2's bridged ICNT (the same function on both tokens). */
  private batchTransfer(from: string, xs: Array<[string, bigint]>, onL2 = false): void {
    for (const [to, v] of xs) {
      if (onL2) this.pmove(from, to, v)
      else this.move(from, to, v)
    }
    const token = onL2 ? this.d.bridge!.l2Token : this.d.token
    this.tx(from, token, icnt.functions.batchTransfer.encode({ to: xs.map((x) => x[0]), amounts: xs.map((x) => x[1]) }), 60_000 + 40_000 * xs.length, onL2 ? 'L2 batch transfer' : 'batch transfer')
  }

  private release(s: (typeof this.schedules)[number], at: number): bigint {
    const amount = vestedAt({ ...s, curve: s.curve ?? null, revokedAt: s.revokedAt ?? null }, at) - s.released
    if (amount <= 0n) return 0n
    s.released += amount
    this.bal.set(actor(s.beneficiaryRole), this.balance(actor(s.beneficiaryRole)) + amount)
    this.tx(DEPLOYER, this.d.vesting, vesting.functions.release.encode({ scheduleId: BigInt(s.id) }), 150_000, `release schedule ${s.id}`)
    return amount
  }

  /** Produces one era of activity: a market block early in the era, reports on the last era late in it. */
  async step(): Promise<void> {
    if (this.era === 0) await this.setup()
    const [v2, v3] = this.opts.upgradeEras
    const wantVersion = this.era >= v3 ? 3 : this.era >= v2 ? 2 : 1
    if (wantVersion !== this.eventVersion) {
      this.eventVersion = wantVersion
      this.tx(DEPLOYER, this.d.staking, staking.functions.setDelegationEventVersion.encode({ v: wantVersion }), 60_000, 'upgrade delegation events')
    }
    const tMarket = this.time(600)
    if (this.d.bridge) {
      // The relays first in the block: what arrives may be spent in it.
      this.relayDue(tMarket)
      for (let i = 0; i < this.l2Grants.length; i += 200) this.batchTransfer(this.expansionWallet(), this.l2Grants.slice(i, i + 200), true)
      this.l2Grants = []
    }
    this.vestingActivity(tMarket)
    this.nodeActivity(tMarket)
    this.delegationActivity(tMarket)
    this.bookingActivity(tMarket)
    this.rewardActivity(tMarket)
    this.tradingActivity()
    if (this.d.bridge) this.bridgeActivity(tMarket)
    await this.mine(tMarket)
    if (this.era > 0) {
      this.reportEra(this.era - 1)
      await this.mine(this.time(3000))
    }
    this.era += 1
  }

  private vestingActivity(t: number): void {
    const day = Math.floor(this.era / 24)
    for (const s of this.schedules) {
      if (s.category === 'NETWORK_EXPANSION') continue
      // The distributor releases daily, other beneficiaries weekly.
      const every = s.category === 'NETWORK_REWARDS' ? 24 : 24 * 7
      if ((this.era + s.id) % every === 0) {
        const got = this.release(s, t)
        // On two chains the distributor pays claims on the L2: it bridges what it releases (arriving next era).
        if (got > 0n && s.category === 'NETWORK_REWARDS' && this.d.bridge) this.deposit(this.d.rewardsDistributor, this.d.rewardsDistributor, got, t + ERA_SECONDS)
        // Fund wallets sell part of what they release to the market.
        if (got > 0n && s.category !== 'NETWORK_REWARDS') {
          const wallet = actor(s.beneficiaryRole)
          const buyers = range(5).map((): [string, bigint] => [this.rng.pick(this.holders), got / 20n])
          this.batchTransfer(wallet, buyers)
        }
      }
    }
    // One team grant is revoked on day 3: its unvested part returns to the foundation.
    const team = this.schedules.find((s) => s.category === 'TEAM' && s.beneficiaryRole.endsWith(':2'))!
    if (day === 3 && this.era % 24 === 5 && team.revokedAt === undefined) {
      team.revokedAt = t
      const unvested = team.total - vestedAt({ ...team, curve: null, revokedAt: null }, t)
      this.bal.set(DEPLOYER, this.balance(DEPLOYER) + unvested)
      this.tx(DEPLOYER, this.d.vesting, vesting.functions.revoke.encode({ scheduleId: BigInt(team.id) }), 150_000, 'revoke team grant')
    }
  }

  private nodeActivity(t: number): void {
    const s = this.opts.scale
    // Validate (or now and then reject) what registered last era.
    for (const n of this.nodes) {
      if (n.status === 1) {
        const status = n.id % 13 === 0 ? 3 : 2
        n.status = status
        this.tx(DEPLOYER, this.d.staking, staking.functions.setNodeStatus.encode({ nodeId: BigInt(n.id), status }), 80_000, 'set node status')
      }
    }
    // Hardware providers bring nodes online over the first days: three each.
    const target = Math.min(12 * s, Math.floor(((this.era + 1) * 12 * s) / 48) + 2 * s)
    while (this.nodes.length < target) {
      const id = this.nodes.length + 1
      const hp = this.hps[(id - 1) % this.hps.length]
      // Three nodes per provider, each backed by a quarter of what the provider was granted at most.
      const collateral = (this.hpGrant / 4n / 100n) * BigInt(this.rng.int(40, 100))
      const capacity = BigInt(this.rng.int(50, 500))
      const n: SimNode = {
        id, hp, status: 1, capacity, collateral, delegated: 0n, positions: [], nextNodeDelegationIndex: 0,
        degrading: id % 6 === 2, quorumEras: 0, metEras: 0, bookings: [], recentViolations: [],
      }
      this.nodes.push(n)
      this.pmove(hp, this.d.staking, collateral)
      this.tx(hp, this.d.staking, staking.functions.registerNode.encode({
        regionId: REGIONS[id % REGIONS.length], hwClass: CLASSES[(id >> 1) % CLASSES.length], totalCapacity: capacity,
        collateral, commitmentEnd: BigInt(t + 37 * ONE_MONTH),
      }), 400_000, 'register node')
    }
    // Now and then a provider adds capacity.
    if (this.rng.chance(0.05) && this.nodes.length > 0) {
      const n = this.rng.pick(this.nodes)
      if (n.status === 2) {
        n.capacity += BigInt(this.rng.int(10, 100))
        this.tx(n.hp, this.d.staking, staking.functions.setNodeCapacity.encode({ nodeId: BigInt(n.id), totalCapacity: n.capacity }), 1_000_000, 'grow capacity')
      }
    }
    // A validated node is removed about once a month of chain time.
    if (this.era > 48 && this.era % 720 === 100) {
      const n = this.nodes.find((x) => x.status === 2 && !x.degrading)
      if (n) {
        n.status = 4
        this.tx(DEPLOYER, this.d.staking, staking.functions.setNodeStatus.encode({ nodeId: BigInt(n.id), status: 4 }), 80_000, 'remove node')
      }
    }
  }

  private delegationActivity(t: number): void {
    const open = this.nodes.filter((n) => n.status === 1 || n.status === 2)
    const actions = Math.max(1, Math.round(this.opts.scale * 2))
    for (let k = 0; k < actions; k++) {
      const who = this.rng.pick(this.delegators)
      const list = this.delegations.get(who) ?? []
      this.delegations.set(who, list)
      const r = this.rng.next()
      if (r < 0.45 && open.length > 0) {
        const amount = BigInt(this.rng.int(1_000, 20_000)) * ICNT
        if (this.pbalance(who) < amount) continue
        const n = this.rng.pick(open)
        const idx = list.length
        const unlock = t + this.rng.int(1, 10) * DAY
        list.push({ index: idx, nodeId: n.id, amount, unlock, reclaimed: false })
        n.positions.push([who, idx])
        n.nextNodeDelegationIndex += 1
        n.delegated += amount
        this.pmove(who, this.d.staking, amount)
        const apy = BigInt(this.rng.int(100, 150)) * 10n ** 16n
        this.tx(who, this.d.staking, staking.functions.delegate.encode({ nodeId: BigInt(n.id), amount, apyScalingFactor: apy, unlockTimestamp: BigInt(unlock) }), 300_000, 'delegate')
      } else if (r < 0.65) {
        const p = list.find((x) => x.undelegatedAt === undefined && this.rng.chance(0.5))
        if (p) {
          p.undelegatedAt = t
          this.tx(who, this.d.staking, staking.functions.undelegate.encode({ lockedDelegationIndex: BigInt(p.index) }), 100_000, 'undelegate')
        }
      } else if (r < 0.85) {
        const p = list.find((x) => x.undelegatedAt !== undefined && !x.reclaimed && t >= x.undelegatedAt + 2 * ERA_SECONDS)
        if (p) {
          p.reclaimed = true
          const n = this.nodes[p.nodeId - 1]
          n.delegated -= p.amount
          n.positions = n.positions.filter(([d, i]) => !(d === who && i === p.index))
          this.tx(who, this.d.staking, staking.functions.reclaim.encode({ lockedDelegationIndex: BigInt(p.index) }), 150_000, 'reclaim')
        }
      } else {
        const p = list.find((x) => x.reclaimed && x.amount > 0n && t >= x.unlock)
        if (p) {
          const amount = this.rng.chance(0.3) ? p.amount / 2n : p.amount
          if (amount === 0n) continue
          p.amount -= amount
          this.pmove(this.d.staking, who, amount)
          this.tx(who, this.d.staking, staking.functions.withdraw.encode({ lockedDelegationIndex: BigInt(p.index), amount }), 120_000, 'withdraw')
        }
      }
    }
  }

  private bookingActivity(t: number): void {
    // End what has expired (anyone may), at most a few per era.
    for (const b of this.bookings) {
      if (!b.ended && b.endTime <= t && this.rng.chance(0.7)) this.endBooking(b, 0, b.sp)
    }
    const validated = this.nodes.filter((n) => n.status === 2)
    const actions = Math.max(1, Math.round(this.opts.scale * 1.5))
    for (let k = 0; k < actions; k++) {
      const r = this.rng.next()
      if (r < 0.6 && validated.length > 0) {
        const n = this.rng.pick(validated)
        const free = n.capacity - this.booked(n, t)
        if (free <= 0n) continue
        const sp = this.rng.pick(this.sps)
        const capacity = BigInt(this.rng.int(1, Math.max(1, Number(free / 3n))))
        const hours = this.rng.int(6, 7 * 24)
        const price = capacity * BigInt(hours) * 10n ** 16n * BigInt(this.rng.int(5, 15))
        if (this.pbalance(sp) < price) continue
        const id = this.bookings.length + 1
        const b: SimBooking = { id, nodeId: n.id, sp, capacity, endTime: t + hours * 3600, ended: false }
        this.bookings.push(b)
        n.bookings.push(id)
        this.pay(sp, n.hp, price)
        this.tx(sp, this.d.market, market.functions.book.encode({ nodeId: BigInt(n.id), capacity, startTime: BigInt(t), endTime: BigInt(b.endTime), price }), 1_000_000, 'book')
      } else if (r < 0.8) {
        const b = this.bookings.find((x) => !x.ended && x.endTime > t && this.rng.chance(0.3))
        if (b) {
          const extra = this.rng.int(6, 48) * 3600
          const price = b.capacity * BigInt(extra) * 10n ** 13n
          if (this.pbalance(b.sp) < price) continue
          b.endTime += extra
          this.pay(b.sp, this.nodes[b.nodeId - 1].hp, price)
          this.tx(b.sp, this.d.market, market.functions.extend.encode({ bookingId: BigInt(b.id), newEndTime: BigInt(b.endTime), additionalPrice: price }), 150_000, 'extend')
        }
      } else {
        const b = this.bookings.find((x) => !x.ended && x.endTime > t && this.rng.chance(0.3))
        if (b) {
          const faulty = this.nodes[b.nodeId - 1].degrading && this.era >= this.opts.degradeFromEra
          this.endBooking(b, faulty ? 2 : 1, faulty ? DEPLOYER : b.sp)
        }
      }
    }
  }

  private booked(n: SimNode, t: number): bigint {
    let sum = 0n
    for (const id of n.bookings) {
      const b = this.bookings[id - 1]
      if (!b.ended && b.endTime > t) sum += b.capacity
    }
    return sum
  }

  private pay(sp: string, hp: string, price: bigint): void {
    const hpShare = (price * 75n) / 100n
    this.pmove(sp, hp, hpShare)
    this.pmove(sp, this.d.treasury, price - hpShare)
  }

  private endBooking(b: SimBooking, reason: number, from: string): void {
    b.ended = true
    const n = this.nodes[b.nodeId - 1]
    n.bookings = n.bookings.filter((id) => id !== b.id)
    this.tx(from, this.d.market, market.functions.endBooking.encode({ bookingId: BigInt(b.id), reason }), 120_000, `end booking (${reason})`)
  }

  private rewardActivity(t: number): void {
    const distributor = this.d.rewardsDistributor
    // Once a day the protocol credits rewards; claimants claim over the next days.
    if (this.era % 24 === 12) {
      const accounts: string[] = []
      const amounts: bigint[] = []
      for (const [who, list] of this.delegations) {
        const active = list.reduce((s, p) => s + (p.undelegatedAt === undefined ? p.amount : 0n), 0n)
        if (active > 0n) {
          accounts.push(who)
          amounts.push(active / 1000n)
        }
      }
      for (const hp of this.hps) {
        accounts.push(hp)
        amounts.push(BigInt(this.rng.int(10, 200)) * ICNT)
      }
      for (let i = 0; i < accounts.length; i++) this.accrued.set(accounts[i], (this.accrued.get(accounts[i]) ?? 0n) + amounts[i])
      for (let i = 0; i < accounts.length; i += 200) {
        this.tx(DEPLOYER, this.d.staking, staking.functions.creditRewards.encode({ accounts: accounts.slice(i, i + 200), amounts: amounts.slice(i, i + 200) }), 100_000 + 30_000 * Math.min(200, accounts.length - i), 'credit rewards')
      }
    }
    for (const who of this.delegators) {
      const claims = this.pendingClaims.get(who) ?? []
      this.pendingClaims.set(who, claims)
      const acc = this.accrued.get(who) ?? 0n
      if (acc > 0n && this.rng.chance(0.05)) {
        this.accrued.set(who, 0n)
        const unlock = t + this.rng.int(1, 24) * ERA_SECONDS
        claims.push({ index: claims.length, amount: acc, unlock, claimed: false })
        this.tx(who, this.d.staking, staking.functions.initRewardsClaim.encode({ amount: acc, unlockTimestamp: BigInt(unlock) }), 150_000, 'init rewards claim')
      }
      const due = claims.find((c) => !c.claimed && c.unlock <= t)
      if (due && this.pbalance(distributor) >= due.amount && this.rng.chance(0.5)) {
        due.claimed = true
        this.pmove(distributor, who, due.amount)
        this.tx(who, this.d.staking, staking.functions.claimDelegatorRewards.encode({ pendingRewardsClaimIndex: BigInt(due.index) }), 120_000, 'claim delegator rewards')
      }
    }
    for (const hp of this.hps) {
      const acc = this.accrued.get(hp) ?? 0n
      if (acc > 0n && this.pbalance(distributor) >= acc && this.rng.chance(0.04)) {
        this.accrued.set(hp, 0n)
        this.pmove(distributor, hp, acc)
        this.tx(hp, this.d.staking, staking.functions.claimHpReward.encode({ amount: acc }), 120_000, 'claim hp reward')
      }
    }
  }

  private tradingActivity(): void {
    const s = this.opts.scale
    // New holders appear as the market grows.
    if (this.rng.chance(0.2)) this.holders.push(actor(`holder:${this.holders.length}`))
    const senders = Math.max(1, Math.round(s / 2))
    for (let k = 0; k < senders; k++) {
      const from = this.rng.pick(this.holders)
      const bal = this.balance(from)
      if (bal < 10n * ICNT) continue
      const n = Math.min(200, this.rng.int(10, 40) * Math.max(1, Math.round(s / senders)))
      const each = bal / BigInt(n * 4)
      const xs = range(n).map((): [string, bigint] => [this.rng.pick(this.holders), each - BigInt(this.rng.int(0, 1000))])
      this.batchTransfer(from, xs)
    }
    if (this.rng.chance(0.03)) {
      const who = this.rng.pick(this.holders)
      const amount = this.balance(who) / 100n
      if (amount > 0n) {
        this.move(who, '0x0000000000000000000000000000000000000000', amount)
        this.tx(who, this.d.token, icnt.functions.burn.encode({ value: amount }), 80_000, 'burn')
      }
    }
  }

  /**
   * Two-chain traffic: holders bridge part of their L1 ICNT (relayed one to
   * three eras later), trade it on the L2, and withdraw some of it (finalized
   * six to twelve eras later: OP's seven days, compressed).
   */
  private bridgeActivity(t: number): void {
    if (this.rng.chance(0.4)) {
      const who = this.rng.pick(this.holders)
      const amount = this.balance(who) / BigInt(this.rng.int(5, 20))
      if (amount > 0n) {
        this.deposit(who, who, amount, t + this.rng.int(1, 3) * ERA_SECONDS)
        if (!this.l2Holders.includes(who)) this.l2Holders.push(who)
      }
    }
    const funded = this.l2Holders.filter((h) => this.pbalance(h) >= 10n * ICNT)
    if (funded.length === 0) return
    if (this.rng.chance(0.5)) {
      const from = this.rng.pick(funded)
      const n = this.rng.int(3, 20)
      const each = this.pbalance(from) / BigInt(n * 4)
      this.batchTransfer(from, range(n).map((): [string, bigint] => [this.rng.pick(this.l2Holders), each]), true)
    }
    if (this.rng.chance(0.3)) {
      const who = this.rng.pick(funded)
      const amount = this.pbalance(who) / BigInt(this.rng.int(2, 10))
      if (amount > 0n) this.withdraw(who, who, amount, t + this.rng.int(6, 12) * ERA_SECONDS)
    }
  }

  /** The true state of a node in an era, which honest HyperNodes observe with noise. */
  private trueMetrics(n: SimNode, era: number): { uptime: number; latency: number; failRate: number } {
    if (n.degrading && era >= this.opts.degradeFromEra) {
      const k = era - this.opts.degradeFromEra
      return { uptime: Math.max(9000, 9960 - 4 * k), latency: Math.min(600, 150 + 2 * k), failRate: Math.min(0.3, 0.005 * k) }
    }
    return { uptime: 9990, latency: 40 + (n.id % 7) * 10, failRate: 0 }
  }

  private reportEra(era: number): void {
    const reported = this.nodes.filter((n) => n.status === 2)
    if (reported.length === 0) return
    const byNode = new Map<number, Report[]>()
    for (const h of this.hyperNodes) {
      // Now and then a HyperNode misses an era (and so some eras lack a quorum).
      if (!h.active || this.rng.chance(0.03)) continue
      const reports: Report[] = reported.map((n) => {
        const m = this.trueMetrics(n, era)
        const challenges = 20
        const failed = h.dishonest ? 0 : Math.round(challenges * m.failRate)
        return {
          nodeId: BigInt(n.id),
          era: BigInt(era),
          uptimeBps: h.dishonest ? 10000 : Math.min(10000, m.uptime + this.rng.int(-5, 5)),
          latencyMs: h.dishonest ? 20 : Math.max(1, m.latency + this.rng.int(-5, 5)),
          challengesPassed: challenges - failed,
          challengesFailed: failed,
        }
      })
      for (let i = 0; i < reports.length; i += 250) {
        const part = reports.slice(i, i + 250)
        this.tx(h.operator, this.d.slaOracle, encodeAttest(BigInt(h.id), part), 80_000 + 12_000 * part.length, 'attest')
      }
      for (const r of reports) {
        const list = byNode.get(Number(r.nodeId)) ?? []
        list.push(r)
        byNode.set(Number(r.nodeId), list)
      }
    }
    for (const n of reported) this.raiseViolations(n, era, byNode.get(n.id) ?? [])
  }

  private raiseViolations(n: SimNode, era: number, reports: Report[]): void {
    if (reports.length < 2) return
    const uptime = median(reports.map((r) => r.uptimeBps))
    const latency = median(reports.map((r) => r.latencyMs))
    const pass = median(reports.map((r) => (r.challengesPassed * 10000) / Math.max(1, r.challengesPassed + r.challengesFailed)))
    const raise = (metric: number, observed: number, threshold: number) => {
      this.tx(DEPLOYER, this.d.slaOracle, oracle.functions.raiseViolation.encode({ nodeId: BigInt(n.id), era: BigInt(era), metric, observed: BigInt(Math.round(observed)), threshold: BigInt(threshold) }), 80_000, 'violation')
    }
    const failed: Array<[number, number, number]> = []
    if (uptime < 9900) failed.push([0, uptime, 9900])
    if (latency > 200) failed.push([1, latency, 200])
    if (pass < 9900) failed.push([2, pass, 9900])
    for (const [metric, observed, threshold] of failed) raise(metric, observed, threshold)
    n.quorumEras += 1
    if (failed.length === 0) n.metEras += 1
    if (failed.length === 0) return
    n.recentViolations = n.recentViolations.filter((e) => e > era - 24).concat(era)
    // Three violating eras within a day: slash 0.5% of collateral and of delegated stake.
    if (n.recentViolations.length >= 3) {
      n.recentViolations = []
      this.slash(n, era)
    }
  }

  private slash(n: SimNode, era: number): void {
    const providerAmount = n.collateral / 200n
    // About 0.5% of the delegated stake, rounded down to an amount that splits
    // over the positions without rounding (the contract refuses an inexact slash).
    const positions = n.positions.map(([who, idx]) => this.delegations.get(who)![idx])
    const g = positions.reduce((acc, p) => gcd(acc, p.amount), 0n)
    const target = g === 0n ? 0n : (n.delegated / g) * (g / 200n)
    for (const p of positions) p.amount -= (p.amount * target) / n.delegated
    if (providerAmount + target === 0n) return
    n.collateral -= providerAmount
    n.delegated -= target
    this.pmove(this.d.staking, this.d.treasury, providerAmount + target)
    this.tx(DEPLOYER, this.d.staking, staking.functions.slash.encode({ nodeId: BigInt(n.id), era: BigInt(era), providerAmount, delegatorAmount: target, reason: SLASH_REASON }), 100_000 + 20_000 * n.positions.length, 'slash')
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b]
  return a
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i)
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/**
 * attest(uint256,(uint256,uint256,uint32,uint32,uint32,uint32)[]) encoded by
 * hand: @subsquid/evm-codec 0.3.0 encodes only the first field of each struct
 * in an array of static structs.
 */
export function encodeAttest(hyperNodeId: bigint, reports: Report[]): string {
  const word = (v: bigint | number) => BigInt(v).toString(16).padStart(64, '0')
  let out = oracle.functions.attest.selector + word(hyperNodeId) + word(64) + word(reports.length)
  for (const r of reports) {
    out += word(r.nodeId) + word(r.era) + word(r.uptimeBps) + word(r.latencyMs) + word(r.challengesPassed) + word(r.challengesFailed)
  }
  return out
}
