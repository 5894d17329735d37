/**
 * Entities at any past block (the `block:` argument): nodes, positions,
 * bookings, schedules, HyperNodes and accounts at sampled blocks of the
 * devnet's history (with events and without) equal the contracts' views
 * through eth_call at those blocks; every field and nested list under an
 * entity asked at a block answers at that block; at the head, the history
 * answers exactly what the current tables hold; cursors carry their block.
 */
import * as icnt from '../../src/abi/ICNT'
import * as market from '../../src/abi/CapacityMarket'
import * as sla from '../../src/abi/SLAOracle'
import * as staking from '../../src/abi/ICNStaking'
import * as vesting from '../../src/abi/ICNVesting'
import { categoryFromBytes32 } from '../../src/domain/bytes32'
import { blockNumber, ethCall, sql, waitForHeight } from '../helpers'
import { IndexedApi, indexedApi, post } from '../helpers/api'

let t: IndexedApi
let samples: number[]
/** Two blocks without events, mined an hour apart after the history. */
let quiet: number[]
/** The indexed head after them. */
let top: number

type Gql<T> = { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }
async function gql<T>(query: string, variables?: Record<string, unknown>): Promise<Gql<T>> {
  return (await post(t.api.url, { query, variables })).json as Gql<T>
}
async function data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const r = await gql<T>(query, variables)
  if (r.errors) throw new Error(`${query.slice(0, 120)}: ${JSON.stringify(r.errors)}`)
  return r.data!
}

const STATUS: Record<string, number> = { REGISTERED: 1, VALIDATED: 2, REJECTED: 3, REMOVED: 4 }

beforeAll(async () => {
  t = await indexedApi({ eras: 10 })
  const rpc = t.devnet.anvil.rpc
  let time = Number((await rpc.call<{ timestamp: string }>('eth_getBlockByNumber', ['latest', false])).timestamp)
  quiet = []
  for (let i = 0; i < 2; i++) {
    time += 3600
    await rpc.call('evm_setNextBlockTimestamp', ['0x' + time.toString(16)])
    await rpc.call('evm_mine', [])
    quiet.push(await blockNumber(rpc))
  }
  top = quiet[quiet.length - 1]
  await waitForHeight(t.dbUrl, top, t.indexer)
  // Blocks spread over the history, the first and the last included, and the blocks right after a few of them (often without events).
  const n = t.head
  // From the block where the last protocol contract has code (the devnet deploys them one block after another).
  const c = t.devnet.preset.contracts
  let first = 1
  for (const address of [c.staking!, c.market!, c.vesting!, c.slaOracle!]) {
    while ((await t.devnet.anvil.rpc.call<string>('eth_getCode', [address, '0x' + first.toString(16)])) === '0x') first += 1
  }
  const picks = [first, first + 1, Math.floor(n * 0.15), Math.floor(n * 0.3), Math.floor(n * 0.5), Math.floor(n * 0.7), Math.floor(n * 0.85), n - 1, n]
  samples = [...new Set([...picks.flatMap((b) => [b, Math.min(n, b + 1)]).filter((b) => b >= first), ...quiet])].sort((a, b) => a - b)
})

afterAll(async () => {
  await t?.stop()
})

interface NodeReply {
  id: string
  hardwareProvider: { id: string }
  region: string
  hwClass: string
  status: string
  totalCapacity: string
  collateral: string
  delegatedStake: string
  activePositions: number
  bookedCapacity: string
}

describe('entities at a past block', () => {
  test('nodes, positions, bookings, schedules, HyperNodes and balances at sampled blocks equal eth_call at those blocks', async () => {
    const rpc = t.devnet.anvil.rpc
    const c = t.devnet.preset.contracts
    let compared = 0
    for (const n of samples) {
      const at = `{number: ${n}}`
      const d = await data<{
        nodes: { totalCount: number; nodes: NodeReply[] }
        delegations: { totalCount: number; nodes: { delegator: { id: string }; lockedDelegationIndex: number; node: { id: string }; nodeDelegationIndex: number; amount: string; status: string }[] }
        bookings: { totalCount: number; nodes: { id: string; node: { id: string }; serviceProvider: { id: string }; capacity: string; price: string; endTime: string; ended: boolean }[] }
        vestingSchedules: { totalCount: number; nodes: { id: string; beneficiary: { id: string }; category: string; total: string; released: string; revoked: boolean }[] }
        hyperNodes: { totalCount: number; nodes: { id: string; operator: string; location: string; status: string }[] }
      }>(`{
        nodes(first: 1000, block: ${at}) { totalCount nodes { id hardwareProvider { id } region hwClass status totalCapacity collateral delegatedStake activePositions bookedCapacity } }
        delegations(first: 1000, block: ${at}) { totalCount nodes { delegator { id } lockedDelegationIndex node { id } nodeDelegationIndex amount status } }
        bookings(first: 1000, block: ${at}) { totalCount nodes { id node { id } serviceProvider { id } capacity price endTime ended } }
        vestingSchedules(first: 1000, block: ${at}) { totalCount nodes { id beneficiary { id } category total released revoked } }
        hyperNodes(first: 1000, block: ${at}) { totalCount nodes { id operator location status } }
      }`)
      expect(d.nodes.totalCount).toBe(Number(await ethCall(rpc, c.staking!, staking.functions.nodeCount, {}, n)))
      for (const node of d.nodes.nodes) {
        const v = await ethCall(rpc, c.staking!, staking.functions.getNode, { nodeId: BigInt(node.id) }, n)
        expect([node.id, node.hardwareProvider.id, node.region, node.hwClass, STATUS[node.status], node.totalCapacity, node.collateral, node.delegatedStake, node.activePositions]).toEqual([
          node.id, v.hardwareProvider.toLowerCase(), v.regionId, v.hwClass, v.status, v.totalCapacity.toString(), v.collateral.toString(), v.delegatedTotal.toString(), Number(v.delegatorPositions),
        ])
        expect(node.bookedCapacity).toBe((await ethCall(rpc, c.market!, market.functions.bookedCapacity, { nodeId: BigInt(node.id) }, n)).toString())
        compared += 1
      }
      for (const p of d.delegations.nodes) {
        const v = await ethCall(rpc, c.staking!, staking.functions.getDelegation, { delegator: p.delegator.id, lockedDelegationIndex: BigInt(p.lockedDelegationIndex) }, n)
        expect([p.node.id, p.nodeDelegationIndex, p.amount, p.status !== 'ACTIVE', p.status === 'RECLAIMED' || p.status === 'WITHDRAWN']).toEqual([
          v.nodeId.toString(), Number(v.nodeDelegationIndex), v.amount.toString(), v.undelegated, v.reclaimed,
        ])
        compared += 1
      }
      // Every position of every delegator the chain knows at N, and no other.
      const delegators = new Set(d.delegations.nodes.map((p) => p.delegator.id))
      let positions = 0
      for (const who of delegators) positions += Number(await ethCall(rpc, c.staking!, staking.functions.delegationCount, { delegator: who }, n))
      expect(d.delegations.totalCount).toBe(positions)
      expect(d.bookings.totalCount).toBe(Number(await ethCall(rpc, c.market!, market.functions.bookingCount, {}, n)))
      for (const b of d.bookings.nodes) {
        const v = await ethCall(rpc, c.market!, market.functions.getBooking, { bookingId: BigInt(b.id) }, n)
        expect([b.node.id, b.serviceProvider.id, b.capacity, b.price, b.endTime, b.ended]).toEqual([v.nodeId.toString(), v.serviceProvider.toLowerCase(), v.capacity.toString(), v.price.toString(), v.endTime.toString(), v.ended])
        compared += 1
      }
      expect(d.vestingSchedules.totalCount).toBe(Number(await ethCall(rpc, c.vesting!, vesting.functions.scheduleCount, {}, n)))
      for (const s of d.vestingSchedules.nodes) {
        const v = await ethCall(rpc, c.vesting!, vesting.functions.getSchedule, { scheduleId: BigInt(s.id) }, n)
        expect([s.beneficiary.id, s.category, s.total, s.released, s.revoked]).toEqual([v.beneficiary.toLowerCase(), categoryFromBytes32(v.category), v.total.toString(), v.released.toString(), v.revoked])
        compared += 1
      }
      expect(d.hyperNodes.totalCount).toBe(Number(await ethCall(rpc, c.slaOracle!, sla.functions.hyperNodeCount, {}, n)))
      for (const h of d.hyperNodes.nodes) {
        const v = await ethCall(rpc, c.slaOracle!, sla.functions.getHyperNode, { hyperNodeId: BigInt(h.id) }, n)
        expect([h.operator, h.location, h.status === 'ACTIVE' ? 1 : 2]).toEqual([v.operator.toLowerCase(), v.location, v.status])
        compared += 1
      }
      // Balances at N of every holder at the head (an account with no transfer by N is null).
      const holders = (await data<{ accounts: { nodes: { id: string }[] } }>(`{ accounts(first: 30) { nodes { id } } }`)).accounts.nodes
      for (const h of holders) {
        const a = (await data<{ account: { balance: string; firstSeenBlock: number; lastActiveBlock: number } | null }>(`{ account(id: "${h.id}", block: ${at}) { balance firstSeenBlock lastActiveBlock } }`)).account
        const balance = await ethCall(rpc, c.token!, icnt.functions.balanceOf, { account: h.id }, n)
        if (a === null) expect(balance).toBe(0n)
        else {
          expect(a.balance).toBe(balance.toString())
          expect(a.firstSeenBlock).toBeLessThanOrEqual(n)
          expect(a.lastActiveBlock).toBeLessThanOrEqual(n)
        }
      }
    }
    // Not a vacuous comparison: the devnet's history has all of these.
    expect(compared).toBeGreaterThan(200)
  })

  test('every field and nested list under an entity asked at a block answers at that block', async () => {
    const n = samples[Math.floor(samples.length / 2)]
    const at = `{number: ${n}}`
    const d = await data<{
      nodes: { nodes: { id: string; hardwareProvider: { id: string; balance: string }; delegations: { totalCount: number; nodes: { id: string; amount: string; node: { delegatedStake: string }; events: { blockNumber: number }[] }[] }; bookings: { nodes: { id: string; ended: boolean }[] } }[] }
    }>(`{ nodes(first: 20, block: ${at}) { nodes { id hardwareProvider { id balance } delegations(first: 200) { totalCount nodes { id amount node { delegatedStake } events { blockNumber } } } bookings(first: 200) { nodes { id ended } } } } }`)
    expect(d.nodes.nodes.length).toBeGreaterThan(0)
    let nested = 0
    for (const node of d.nodes.nodes) {
      const flat = await data<{ delegations: { totalCount: number; nodes: { id: string; amount: string }[] }; bookings: { nodes: { id: string; ended: boolean }[] }; account: { balance: string } }>(
        `{ delegations(first: 1000, filter: {nodeId: "${node.id}"}, block: ${at}) { totalCount nodes { id amount } } bookings(first: 1000, filter: {nodeId: "${node.id}"}, block: ${at}) { nodes { id ended } }
           account(id: "${node.hardwareProvider.id}", block: ${at}) { balance } }`,
      )
      expect(node.delegations.nodes.map((x) => [x.id, x.amount])).toEqual(flat.delegations.nodes.map((x) => [x.id, x.amount]))
      expect(node.delegations.totalCount).toBe(flat.delegations.totalCount)
      expect(node.bookings.nodes).toEqual(flat.bookings.nodes)
      expect(node.hardwareProvider.balance).toBe(flat.account?.balance ?? '0')
      for (const p of node.delegations.nodes) {
        for (const e of p.events) expect(e.blockNumber).toBeLessThanOrEqual(n)
        nested += 1
      }
    }
    expect(nested).toBeGreaterThan(0)
  })

  test('at the head, the history answers what the current tables hold, eras included', async () => {
    const lists = [
      `nodes(first: 100) { totalCount nodes { id status totalCapacity collateral delegatedStake activePositions delegationCount revenue bookingCount slashCount violationCount bookedCapacity
        eras(first: 20) { nodes { era reportCount quorum uptimeBps latencyMs challengePassRate meetsSla failedMetrics } } } }`,
      `delegations(first: 1000) { totalCount nodes { id amount slashed withdrawn status undelegatedBlock reclaimedBlock } }`,
      `bookings(first: 1000) { totalCount nodes { id price endTime ended endReason } }`,
      `vestingSchedules(first: 1000) { totalCount nodes { id released revoked revokedAt unvestedReturned curve } }`,
      `hyperNodes(first: 1000) { totalCount nodes { id status reportCount } }`,
    ]
    let all = ''
    for (const list of lists) {
      const head = await data<Record<string, unknown>>(`{ ${list} }`)
      const atHead = await data<Record<string, unknown>>(`{ ${list.replace(/\(first: (\d+)\)/, `(first: $1, block: {number: ${top}})`)} }`)
      expect(atHead).toEqual(head)
      all += JSON.stringify(head)
    }
    expect(all).toContain('"quorum":true')
  })

  test('a block by instant is the last block at or before it', async () => {
    const n = samples[3]
    const b = await t.devnet.anvil.rpc.call<{ timestamp: string }>('eth_getBlockByNumber', ['0x' + n.toString(16), false])
    const time = new Date(Number(b.timestamp) * 1000 + 500).toISOString()
    const d = await data<{ a: { totalCount: number }; b: { totalCount: number } }>(`{ a: delegations(block: {number: ${n}}) { totalCount } b: delegations(block: {timestamp: "${time}"}) { totalCount } }`)
    expect(d.a.totalCount).toBe(d.b.totalCount)
  })

  test('cursors carry their block: refused at another block and at the head, with a coded error', async () => {
    const n = samples[4]
    const d = await data<{ nodes: { pageInfo: { endCursor: string } } }>(`{ nodes(first: 1, block: {number: ${n}}) { pageInfo { endCursor } } }`)
    const cursor = d.nodes.pageInfo.endCursor
    expect(cursor).toEqual(expect.any(String))
    expect((await gql(`{ nodes(first: 1, after: "${cursor}", block: {number: ${n}}) { nodes { id } } }`)).errors).toBeUndefined()
    for (const q of [`{ nodes(first: 1, after: "${cursor}", block: {number: ${n + 1}}) { nodes { id } } }`, `{ nodes(first: 1, after: "${cursor}") { nodes { id } } }`]) {
      const r = await gql(q)
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' })
      expect(r.errors?.[0].message).toContain(`at block ${n}`)
    }
  })

  test('a block outside the indexed range, or a malformed one, is a coded error naming it', async () => {
    const cases: [string, string, string][] = [
      [`{ node(id: "1", block: {number: ${top + 5}}) { id } }`, 'block.number', `is outside the indexed range: blocks 1 to ${top}`],
      [`{ nodes(block: {number: 0}) { totalCount } }`, 'block.number', 'is outside the indexed range'],
      [`{ account(id: "${t.devnet.preset.contracts.vesting}", block: {timestamp: "2001-01-01T00:00:00Z"}) { balance } }`, 'block.timestamp', 'is outside the indexed range'],
      [`{ hyperNodes(block: {number: 1, timestamp: "2001-01-01T00:00:00Z"}) { totalCount } }`, 'block', 'exactly one of number or timestamp'],
      [`{ bookings(block: {}) { totalCount } }`, 'block', 'exactly one of number or timestamp'],
      [`{ vestingSchedules(block: {number: -3}) { totalCount } }`, 'block.number', 'must be a block number'],
    ]
    for (const [q, argument, message] of cases) {
      const r = await gql(q)
      expect(r.errors).toHaveLength(1)
      expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument })
      expect(r.errors![0].message).toContain(message)
    }
  })

  test('an index built before entity history was kept answers NOT_INDEXED below the block it starts at', async () => {
    const [{ versions_from: from }] = await sql<{ versions_from: number }>(t.dbUrl, `SELECT versions_from FROM indexer_status`)
    expect(from).toBe(1)
    // What the migration leaves on an existing index: history from the block after its head.
    await sql(t.dbUrl, `UPDATE indexer_status SET versions_from = $1`, [samples[4]])
    try {
      const r = await gql(`{ node(id: "1", block: {number: ${samples[4] - 1}}) { id } }`)
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'NOT_INDEXED', argument: 'block', versionsFrom: samples[4] })
      expect(r.errors?.[0].message).toContain('re-index')
      expect((await gql(`{ node(id: "1", block: {number: ${samples[4]}}) { id } }`)).errors).toBeUndefined()
    } finally {
      await sql(t.dbUrl, `UPDATE indexer_status SET versions_from = $1`, [from])
    }
  })
})
