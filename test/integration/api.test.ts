/**
 * The GraphQL API against a database indexed from the devnet simulator:
 * every query family checked against the chain's own views and the index's
 * tables; every list walked forward and backward; statements counted.
 */
import * as market from '../../src/abi/CapacityMarket'
import * as staking from '../../src/abi/ICNStaking'
import * as icnt from '../../src/abi/ICNT'
import * as vesting from '../../src/abi/ICNVesting'
import { narrowing } from '../../src/api/selection'
import { ApiServer } from '../../src/api/server'
import type { Devnet } from '../../src/devnet'
import { blockNumber, ethCall, IndexerProcess, sql, waitForHeight } from '../helpers'
import { IndexedApi, indexedApi } from '../helpers/api'

let t: IndexedApi
let devnet: Devnet
let dbUrl: string
let indexer: IndexerProcess
let api: ApiServer
let head: number

beforeAll(async () => {
  t = await indexedApi({ eras: 160, seed: 5 })
  ;({ devnet, dbUrl, indexer, api, head } = t)
})

afterAll(async () => {
  await t?.stop()
})

interface GqlError {
  message: string
  extensions?: { code?: string; argument?: string }
}

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })
  const body = (await res.json()) as { data?: T; errors?: GqlError[] }
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`)
  return body.data!
}

async function gqlErrors(query: string, variables: Record<string, unknown> = {}): Promise<GqlError[]> {
  const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })
  return ((await res.json()) as { errors?: GqlError[] }).errors ?? []
}

interface Page<T> {
  nodes: T[]
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }
  totalCount?: number
}

/** Walks a list (a query with $first/$after/$last/$before) forward or backward to its end with small pages. */
async function walk<T>(query: string, pick: (data: unknown) => Page<T>, size: number, backward: boolean, vars: Record<string, unknown> = {}, onPage?: () => Promise<void>): Promise<T[]> {
  const out: T[] = []
  let cursor: string | null = null
  for (let i = 0; i < 10_000; i++) {
    const v = backward ? { ...vars, last: size, before: cursor } : { ...vars, first: size, after: cursor }
    const page = pick(await gql(query, v))
    expect(page.nodes.length).toBeLessThanOrEqual(size)
    if (backward) out.unshift(...page.nodes)
    else out.push(...page.nodes)
    const more = backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage
    if (!more) return out
    cursor = backward ? page.pageInfo.startCursor : page.pageInfo.endCursor
    await onPage?.()
  }
  throw new Error('list did not end')
}

const PAGE_VARS = '$first: Int, $after: String, $last: Int, $before: String'
const PAGE_ARGS = 'first: $first, after: $after, last: $last, before: $before'
const PAGE_INFO = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor }'

const ids = (rows: { id: string }[]) => rows.map((r) => r.id)

describe('lists walk forward and backward, each row once, in order', () => {
  const cases: { name: string; field: string; fields: string; args?: string; sqlIds: string }[] = [
    { name: 'accounts by balance', field: 'accounts', fields: 'id balance', sqlIds: `SELECT id FROM account WHERE id <> '0x0000000000000000000000000000000000000000' ORDER BY balance DESC, id DESC` },
    { name: 'transfers oldest first', field: 'transfers', fields: 'id', args: 'orderBy: OLDEST_FIRST', sqlIds: `SELECT id FROM transfer ORDER BY id` },
    { name: 'nodes by delegated stake', field: 'nodes', fields: 'id', args: 'orderBy: DELEGATED_STAKE_DESC', sqlIds: `SELECT node_id::text AS id FROM node ORDER BY delegated_stake DESC, node.id DESC` },
    { name: 'delegations newest first', field: 'delegations', fields: 'id', sqlIds: `SELECT id FROM delegation ORDER BY created_block DESC, id DESC` },
    { name: 'delegations by amount', field: 'delegations', fields: 'id', args: 'orderBy: AMOUNT_DESC', sqlIds: `SELECT id FROM delegation ORDER BY amount DESC, id DESC` },
    { name: 'vesting schedules', field: 'vestingSchedules', fields: 'id', sqlIds: `SELECT schedule_id::text AS id FROM vesting_schedule ORDER BY vesting_schedule.id` },
    { name: 'bookings by price', field: 'bookings', fields: 'id', args: 'orderBy: PRICE_DESC', sqlIds: `SELECT booking_id::text AS id FROM booking ORDER BY price DESC, booking.id DESC` },
    { name: 'hyperNodes', field: 'hyperNodes', fields: 'id', sqlIds: `SELECT hyper_node_id::text AS id FROM hyper_node ORDER BY hyper_node.id` },
    { name: 'SLA reports of node 1', field: 'slaAttestations', fields: 'id', args: 'filter: { nodeId: "1" }', sqlIds: `SELECT id FROM sla_attestation WHERE node_id = '000000000001' ORDER BY id DESC` },
  ]
  test.each(cases.map((c) => [c.name, c]))('%s', async (_n, c) => {
    const expected = (await sql<{ id: string }>(dbUrl, c.sqlIds)).map((r) => r.id)
    expect(expected.length).toBeGreaterThan(3)
    const query = `query(${PAGE_VARS}) { ${c.field}(${PAGE_ARGS}${c.args ? `, ${c.args}` : ''}) { nodes { ${c.fields} } ${PAGE_INFO} totalCount } }`
    const pick = (d: unknown) => (d as Record<string, Page<{ id: string }>>)[c.field]
    const size = Math.max(2, Math.ceil(expected.length / 6))
    expect(ids(await walk(query, pick, size, false))).toEqual(expected)
    expect(ids(await walk(query, pick, size, true))).toEqual(expected)
    const first = pick(await gql(query, { first: 1 }))
    expect(first.totalCount).toBe(expected.length)
  })

  test('under concurrent inserts: a walk sees every row that existed once, in order, and nothing twice', async () => {
    const query = `query(${PAGE_VARS}) { transfers(${PAGE_ARGS}, orderBy: OLDEST_FIRST) { nodes { id } ${PAGE_INFO} } }`
    const before = (await sql<{ id: string }>(dbUrl, `SELECT id FROM transfer ORDER BY id`)).map((r) => r.id)
    let steps = 0
    // New eras are mined and indexed while the walk goes on.
    const walked = ids(
      await walk(query, (d) => (d as { transfers: Page<{ id: string }> }).transfers, Math.ceil(before.length / 5), false, {}, async () => {
        if (steps++ < 3) {
          const h = await blockNumber(devnet.anvil.rpc)
          await devnet.simulator.step()
          await waitForHeight(dbUrl, h + 1, indexer)
        }
      }),
    )
    expect(steps).toBeGreaterThan(0)
    expect(new Set(walked).size).toBe(walked.length)
    expect(walked.slice(0, before.length)).toEqual(before)
    expect([...walked].sort()).toEqual(walked)
    head = await blockNumber(devnet.anvil.rpc)
    await waitForHeight(dbUrl, head, indexer)
    const after = (await sql<{ id: string }>(dbUrl, `SELECT id FROM transfer ORDER BY id`)).map((r) => r.id)
    expect(after.length).toBeGreaterThan(before.length)
    expect(walked).toEqual(after.slice(0, walked.length))
  })
})

describe('query families against the chain', () => {
  test('accounts: the top holders and their balances equal balanceOf', async () => {
    const d = await gql<{ accounts: { nodes: { id: string; balance: string }[] } }>(`{ accounts(first: 20) { nodes { id balance } } }`)
    const h = (await sql<{ height: number }>(dbUrl, `SELECT height FROM indexer_status`))[0].height
    const balances = d.accounts.nodes.map((a) => BigInt(a.balance))
    expect([...balances].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0))).toEqual(balances)
    for (const a of d.accounts.nodes) expect(BigInt(a.balance)).toBe(await ethCall(devnet.anvil.rpc, devnet.deployment.token, icnt.functions.balanceOf, { account: a.id }, h))
  })

  test('transfers filters: account, sides, block and value ranges', async () => {
    const [t] = await sql<{ from_id: string; to_id: string; block_number: number }>(dbUrl, `SELECT from_id, to_id, block_number FROM transfer WHERE from_id <> '0x0000000000000000000000000000000000000000' ORDER BY id DESC LIMIT 1 OFFSET 50`)
    const who = t.from_id.toUpperCase().replace('0X', '0x')
    const lo = Math.floor(t.block_number / 2)
    const d = await gql<{ transfers: { nodes: { from: string; to: string; blockNumber: number; value: string }[]; totalCount: number } }>(
      `query($a: String!, $lo: Int!, $hi: Int!) { transfers(first: 1000, filter: { account: $a, blockFrom: $lo, blockTo: $hi, minValue: "1" }) { nodes { from to blockNumber value } totalCount } }`,
      { a: who, lo, hi: t.block_number },
    )
    const [c] = await sql<{ n: string }>(dbUrl, `SELECT count(*)::text AS n FROM transfer WHERE (from_id = $1 OR to_id = $1) AND block_number BETWEEN $2 AND $3 AND value >= 1`, [t.from_id, lo, t.block_number])
    expect(d.transfers.totalCount).toBe(Number(c.n))
    expect(d.transfers.nodes.length).toBe(Math.min(1000, Number(c.n)))
    for (const x of d.transfers.nodes) {
      expect(x.from === t.from_id || x.to === t.from_id).toBe(true)
      expect(x.blockNumber >= lo && x.blockNumber <= t.block_number).toBe(true)
    }
    const out = await gql<{ transfers: { nodes: { from: string }[] } }>(`query($a: String!) { transfers(first: 50, filter: { from: $a }) { nodes { from } } }`, { a: who })
    expect(out.transfers.nodes.every((x) => x.from === t.from_id)).toBe(true)
  })

  test("nodes: collateral, delegated stake, positions, capacity and booked capacity equal the contracts' views", async () => {
    const d = await gql<{ nodes: { nodes: { id: string; status: string; totalCapacity: string; collateral: string; delegatedStake: string; activePositions: number; bookedCapacity: string; hardwareProvider: { id: string } }[] } }>(
      `{ nodes(first: 1000) { nodes { id status totalCapacity collateral delegatedStake activePositions bookedCapacity hardwareProvider { id } } } }`,
    )
    const h = (await sql<{ height: number }>(dbUrl, `SELECT height FROM indexer_status`))[0].height
    const STATUS = ['', 'REGISTERED', 'VALIDATED', 'REJECTED', 'REMOVED']
    expect(d.nodes.nodes.length).toBeGreaterThan(5)
    for (const n of d.nodes.nodes) {
      const c = await ethCall(devnet.anvil.rpc, devnet.deployment.staking, staking.functions.getNode, { nodeId: BigInt(n.id) }, h)
      const booked = await ethCall(devnet.anvil.rpc, devnet.deployment.market, market.functions.bookedCapacity, { nodeId: BigInt(n.id) }, h)
      expect({ id: n.id, status: n.status, cap: n.totalCapacity, col: n.collateral, del: n.delegatedStake, pos: n.activePositions, booked: n.bookedCapacity, hp: n.hardwareProvider.id }).toEqual({
        id: n.id, status: STATUS[c.status], cap: c.totalCapacity.toString(), col: c.collateral.toString(), del: c.delegatedTotal.toString(), pos: Number(c.delegatorPositions), booked: booked.toString(), hp: c.hardwareProvider.toLowerCase(),
      })
    }
  })

  test('node(id) with its registry data, delegations and bookings', async () => {
    const [n] = await sql<{ node_id: string; id: string }>(dbUrl, `SELECT node_id::text, id FROM node ORDER BY delegation_count DESC LIMIT 1`)
    const d = await gql<{ node: { id: string; region: string; hwClass: string; delegations: { nodes: { id: string; node: { id: string } }[]; totalCount: number }; bookings: { totalCount: number; nodes: { node: { id: string } }[] }; eras: { nodes: { era: number }[] } } }>(
      `query($id: ID!) { node(id: $id) { id region hwClass delegations(first: 1000) { nodes { id node { id } } totalCount } bookings(first: 1000) { totalCount nodes { node { id } } } eras(first: 3) { nodes { era } } } }`,
      { id: n.node_id },
    )
    const [c] = await sql<{ dl: string; bk: string }>(dbUrl, `SELECT (SELECT count(*) FROM delegation WHERE node_id = $1)::text AS dl, (SELECT count(*) FROM booking WHERE node_id = $1)::text AS bk`, [n.id])
    expect(d.node.id).toBe(n.node_id)
    expect(d.node.delegations.totalCount).toBe(Number(c.dl))
    expect(d.node.delegations.nodes.length).toBe(Number(c.dl))
    expect(d.node.delegations.nodes.every((x) => x.node.id === n.node_id)).toBe(true)
    expect(d.node.bookings.totalCount).toBe(Number(c.bk))
    const eras = d.node.eras.nodes.map((e) => e.era)
    expect(eras).toEqual([...eras].sort((a, b) => b - a))
    expect(await gql(`{ node(id: "999999") { id } }`)).toEqual({ node: null })
  })

  test("a wallet's delegations equal getDelegation, and its staking history is every event that touched it, in order", async () => {
    const [w] = await sql<{ delegator: string }>(
      dbUrl,
      `SELECT e.delegator FROM delegation_event e JOIN reward_claim r ON r.account = e.delegator WHERE e.kind = 'SLASHED' GROUP BY e.delegator ORDER BY count(*) DESC LIMIT 1`,
    )
    expect(w).toBeDefined()
    const h = (await sql<{ height: number }>(dbUrl, `SELECT height FROM indexer_status`))[0].height
    const d = await gql<{ account: { delegations: { nodes: { lockedDelegationIndex: number; amount: string; status: string; node: { id: string }; events: { kind: string }[] }[] } } }>(
      `query($a: String!) { account(id: $a) { delegations(first: 1000) { nodes { lockedDelegationIndex amount status node { id } events { kind } } } } }`,
      { a: w.delegator },
    )
    expect(d.account.delegations.nodes.length).toBeGreaterThan(0)
    for (const p of d.account.delegations.nodes) {
      const c = await ethCall(devnet.anvil.rpc, devnet.deployment.staking, staking.functions.getDelegation, { delegator: w.delegator, lockedDelegationIndex: BigInt(p.lockedDelegationIndex) }, h)
      expect({ amount: p.amount, node: p.node.id, undelegated: p.status !== 'ACTIVE' }).toEqual({ amount: c.amount.toString(), node: c.nodeId.toString(), undelegated: c.undelegated })
      expect(p.events[0].kind).toMatch(/^CREATED/)
    }
    const query = `query($a: String!, ${PAGE_VARS}) { stakingHistory(account: $a, ${PAGE_ARGS}, orderBy: OLDEST_FIRST) { nodes { id kind amount blockNumber } ${PAGE_INFO} } }`
    const feed = await walk(query, (x) => (x as { stakingHistory: Page<{ id: string; kind: string; amount: string | null; blockNumber: number }> }).stakingHistory, 5, false, { a: w.delegator })
    const expected = await sql<{ id: string; kind: string }>(
      dbUrl,
      `SELECT id, kind FROM delegation_event WHERE delegator = $1
       UNION ALL SELECT id, 'REWARD_' || kind FROM reward_claim WHERE account = $1
       UNION ALL SELECT s.id, 'COLLATERAL_SLASHED' FROM slash s JOIN node n ON n.id = s.node_id WHERE n.hardware_provider = $1
       ORDER BY id`,
      [w.delegator],
    )
    expect(feed.map((f) => [f.id, f.kind])).toEqual(expected.map((e) => [e.id, e.kind]))
    expect([...new Set(feed.map((f) => f.kind))]).toEqual(expect.arrayContaining(['SLASHED', 'REWARD_DELEGATOR_CLAIMED']))
    const only = await gql<{ stakingHistory: { nodes: { kind: string }[] } }>(`query($a: String!) { stakingHistory(account: $a, filter: { kinds: [SLASHED] }) { nodes { kind } } }`, { a: w.delegator })
    expect(only.stakingHistory.nodes.length).toBe(expected.filter((e) => e.kind === 'SLASHED').length)
  })

  test('vesting schedules: released and revoked equal getSchedule; filters by beneficiary and revocation', async () => {
    const h = (await sql<{ height: number }>(dbUrl, `SELECT height FROM indexer_status`))[0].height
    const d = await gql<{ vestingSchedules: { nodes: { id: string; released: string; revoked: boolean; category: string; beneficiary: { id: string } }[] } }>(`{ vestingSchedules { nodes { id released revoked category beneficiary { id } } } }`)
    expect(d.vestingSchedules.nodes.length).toBe(13)
    for (const s of d.vestingSchedules.nodes) {
      const c = await ethCall(devnet.anvil.rpc, devnet.deployment.vesting, vesting.functions.getSchedule, { scheduleId: BigInt(s.id) }, h)
      expect({ id: s.id, released: s.released, revoked: s.revoked }).toEqual({ id: s.id, released: c.released.toString(), revoked: c.revoked })
    }
    const revoked = await gql<{ vestingSchedules: { nodes: { revoked: boolean }[] } }>(`{ vestingSchedules(filter: { revoked: true }) { nodes { revoked } } }`)
    expect(revoked.vestingSchedules.nodes).toEqual([{ revoked: true }])
    const b = d.vestingSchedules.nodes[0].beneficiary.id
    const mine = await gql<{ account: { vestingSchedules: { nodes: { id: string }[] } } }>(`query($a: String!) { account(id: $a) { vestingSchedules { nodes { id } } } }`, { a: b })
    expect(mine.account.vestingSchedules.nodes.map((x) => x.id)).toEqual(d.vestingSchedules.nodes.filter((x) => x.beneficiary.id === b).map((x) => x.id))
  })

  test('bookings, hyperNodes and SLA reports with their filters', async () => {
    const bk = await gql<{ bookings: { nodes: { id: string; ended: boolean; endReason: string | null; price: string; node: { id: string }; serviceProvider: { id: string } }[]; totalCount: number } }>(
      `{ bookings(first: 1000, filter: { ended: true }) { nodes { id ended endReason price node { id } serviceProvider { id } } totalCount } }`,
    )
    const [c] = await sql<{ n: string }>(dbUrl, `SELECT count(*)::text AS n FROM booking WHERE ended`)
    expect(bk.bookings.totalCount).toBe(Number(c.n))
    expect(bk.bookings.nodes.every((b) => b.ended && ['EXPIRED', 'CANCELLED', 'PROVIDER_FAULT'].includes(b.endReason!))).toBe(true)
    const hn = await gql<{ hyperNodes: { nodes: { id: string; reportCount: number; status: string }[] } }>(`{ hyperNodes { nodes { id reportCount status } } }`)
    const rows = await sql<{ id: string; n: string }>(dbUrl, `SELECT hyper_node_id AS id, count(*)::text AS n FROM sla_attestation GROUP BY 1 ORDER BY 1`)
    expect(hn.hyperNodes.nodes.map((h) => [h.id.padStart(12, '0'), h.reportCount])).toEqual(rows.map((r) => [r.id, Number(r.n)]))
    const sla = await gql<{ slaAttestations: { nodes: { nodeId: string; hyperNodeId: string; era: number; hyperNode: { id: string } }[] } }>(
      `{ slaAttestations(first: 50, filter: { nodeId: "2", hyperNodeId: "1", eraFrom: 10, eraTo: 100 }) { nodes { nodeId hyperNodeId era hyperNode { id } } } }`,
    )
    expect(sla.slaAttestations.nodes.length).toBeGreaterThan(0)
    expect(sla.slaAttestations.nodes.every((a) => a.nodeId === '2' && a.hyperNodeId === '1' && a.hyperNode.id === '1' && a.era >= 10 && a.era <= 100)).toBe(true)
  })
})

describe('N+1-free', () => {
  const nestedQuery = (n: number) => `{
    nodes(first: ${n}) { nodes {
      id hardwareProvider { id balance }
      delegations(first: 5) { nodes { amount delegator { id balance } events { kind } } }
      bookings(first: 3) { nodes { price serviceProvider { id } } }
      eras(first: 2) { nodes { era meetsSla } }
    } }
  }`

  async function statements(query: string): Promise<number> {
    const before = api.db.statements
    await gql(query)
    return api.db.statements - before
  }

  test('three levels over a page of 100 nodes issue a bounded number of statements, the same as for 5 nodes', async () => {
    const [{ n }] = await sql<{ n: string }>(dbUrl, `SELECT count(*)::text AS n FROM node`)
    expect(Number(n)).toBeGreaterThan(5)
    const many = await statements(nestedQuery(100))
    const few = await statements(nestedQuery(5))
    expect(many).toBeLessThanOrEqual(8)
    expect(many).toBe(few)
  })

  test("every connection under a page of accounts, their totalCounts and balance(block:) are batched: as many statements for 100 accounts as for 5", async () => {
    const block = Number((await sql<{ h: number }>(dbUrl, `SELECT height AS h FROM indexer_status`))[0].h) - 3
    const q = (n: number) => `{ accounts(first: ${n}, orderBy: BALANCE_DESC) { nodes {
      id balance(block: ${block})
      transfers(first: 3) { totalCount nodes { id } }
      delegations(first: 2) { totalCount nodes { id } }
      vestingSchedules(first: 2) { totalCount nodes { id } }
      bookings(first: 2) { totalCount nodes { id } }
      nodes(first: 2) { totalCount nodes { id } }
      stakingHistory(first: 2) { totalCount nodes { id } }
    } } }`
    const [{ n }] = await sql<{ n: string }>(dbUrl, `SELECT count(*)::text AS n FROM account`)
    expect(Number(n)).toBeGreaterThan(5)
    // The indexed range (for the block's range check) is read once and then cached, as after any first request.
    await statements(q(1))
    const few = await statements(q(5))
    const many = await statements(q(100))
    expect(many).toBe(few)
    // The status, the accounts, the balances, then a page and a count for each of the six lists.
    expect(many).toBeLessThanOrEqual(15)
  })

  test('nested lists at a past block are batched too', async () => {
    const block = Number((await sql<{ h: number }>(dbUrl, `SELECT height AS h FROM indexer_status`))[0].h) - 3
    const q = (n: number) => `{ nodes(first: ${n}, block: { number: ${block} }) { nodes { id
      delegations(first: 3) { totalCount nodes { id delegator { id } } }
      bookings(first: 2) { totalCount nodes { id } }
      hardwareProvider { nodes(first: 2) { totalCount nodes { id } } }
    } } }`
    await statements(q(1))
    const few = await statements(q(3))
    const many = await statements(q(100))
    expect(many).toBe(few)
    expect(many).toBeLessThanOrEqual(12)
  })

  test('a page of 100 transfers with both accounts: two statements', async () => {
    expect(await statements(`{ transfers(first: 100) { nodes { id fromAccount { balance } toAccount { balance } } } }`)).toBe(2)
  })
})

describe('a page reads only the columns its query asks for', () => {
  interface TypeRef {
    kind: string
    name: string | null
    ofType: TypeRef | null
  }
  const named = (t: TypeRef): TypeRef => (t.ofType ? named(t.ofType) : t)
  const ENTITIES = new Set(['Account', 'Node', 'HyperNode', 'Delegation', 'Booking', 'VestingSchedule'])
  /** The row type's fields a selection can name without arguments: scalars and enums by name, objects by `{ id }`. */
  async function rowFields(type: string): Promise<string[]> {
    const d = await gql<{ __type: { fields: { name: string; args: { name: string; type: TypeRef }[]; type: TypeRef }[] } }>(
      `query($t: String!) { __type(name: $t) { fields { name args { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }`,
      { t: type },
    )
    return d.__type.fields
      .filter((f) => f.args.every((a) => a.type.kind !== 'NON_NULL'))
      .flatMap((f) => {
        const t = named(f.type)
        if (t.kind === 'SCALAR' || t.kind === 'ENUM') return [f.name]
        // An object by its id (a connection or list of them is a list of its own, checked where it is a root).
        if (t.kind === 'OBJECT' && ENTITIES.has(t.name!) && f.type.kind !== 'LIST' && f.type.ofType?.kind !== 'LIST') return [`${f.name} { id }`]
        return []
      })
  }
  async function wholeRows<T>(query: string): Promise<T> {
    narrowing.on = false
    try {
      return await gql<T>(query)
    } finally {
      narrowing.on = true
    }
  }

  test('each field of every list asked alone answers what whole rows answer, at the head, at a past block and nested', async () => {
    const w = (await sql<{ delegator: string }>(dbUrl, `SELECT delegator FROM delegation_event GROUP BY delegator ORDER BY count(*) DESC LIMIT 1`))[0].delegator
    const past = head - 40
    const lists: [string, string, (d: Record<string, unknown>) => unknown[]][] = [
      ['Account', 'accounts(first: 20, orderBy: BALANCE_DESC)', (d) => (d.accounts as Page<unknown>).nodes],
      ['Transfer', 'transfers(first: 20)', (d) => (d.transfers as Page<unknown>).nodes],
      ['Node', 'nodes(first: 20)', (d) => (d.nodes as Page<unknown>).nodes],
      ['Node', `nodes(first: 20, block: { number: ${past} })`, (d) => (d.nodes as Page<unknown>).nodes],
      ['Delegation', 'delegations(first: 20)', (d) => (d.delegations as Page<unknown>).nodes],
      ['Delegation', `delegations(first: 20, orderBy: AMOUNT_DESC, block: { number: ${past} })`, (d) => (d.delegations as Page<unknown>).nodes],
      ['VestingSchedule', 'vestingSchedules(first: 20)', (d) => (d.vestingSchedules as Page<unknown>).nodes],
      ['Booking', 'bookings(first: 20)', (d) => (d.bookings as Page<unknown>).nodes],
      ['HyperNode', 'hyperNodes(first: 20)', (d) => (d.hyperNodes as Page<unknown>).nodes],
      ['SlaAttestation', 'slaAttestations(first: 20)', (d) => (d.slaAttestations as Page<unknown>).nodes],
      ['StakingEvent', `stakingHistory(account: "${w}", first: 20)`, (d) => (d.stakingHistory as Page<unknown>).nodes],
    ]
    let compared = 0
    for (const [type, root, pick] of lists) {
      const fields = await rowFields(type)
      expect(fields.length).toBeGreaterThan(2)
      const whole = pick(await wholeRows(`{ ${root} { nodes { ${fields.join(' ')} } } }`)) as Record<string, unknown>[]
      expect(whole.length).toBeGreaterThan(0)
      for (const f of fields) {
        const name = f.split(' ')[0]
        const alone = pick(await gql(`{ ${root} { edges { node { ${f} } } nodes { ${f} } } }`)) as Record<string, unknown>[]
        expect([root, name, alone.map((r) => r[name])]).toEqual([root, name, whole.map((r) => r[name])])
        compared += 1
      }
    }
    // Nested lists are narrowed per field selection: two aliases of one field asking for different columns.
    const nested = `{ nodes(first: 10) { nodes { id a: delegations(first: 5) { nodes { amount } } b: delegations(first: 5) { nodes { delegator { id } createdAt } } } } }`
    expect(await gql(nested)).toEqual(await wholeRows(nested))
    expect(compared).toBeGreaterThan(80)
  })

  test('a page of delegation ids reads neither their amounts nor their timestamps', async () => {
    const seen: string[] = []
    const query = api.db.query.bind(api.db)
    api.db.query = (async (text: string, params?: unknown[]) => {
      seen.push(text)
      return query(text, params)
    }) as typeof api.db.query
    try {
      await gql(`{ delegations(first: 5) { nodes { id } } nodes(first: 3) { nodes { delegations(first: 2) { nodes { id } } } } }`)
    } finally {
      api.db.query = query
    }
    const pages = seen.filter((s) => /FROM delegation\b/.test(s))
    expect(pages).toHaveLength(2)
    for (const s of pages) expect(s).not.toMatch(/created_at|amount/)
  })
})

/** A cursor in this API's encoding around any key, as a client could forge one. */
const forged = (key: string[]) => Buffer.from('c1:' + JSON.stringify(key), 'utf8').toString('base64url')

describe('bad arguments', () => {
  test('a cursor of one list given to another is BAD_USER_INPUT naming both', async () => {
    const r = await gql<{ nodes: { pageInfo: { endCursor: string } } }>(`{ nodes(first: 1) { pageInfo { endCursor } } }`)
    const errors = await gqlErrors(`{ transfers(after: "${r.nodes.pageInfo.endCursor}") { nodes { id } } }`)
    expect(errors.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'after' })])
    expect(errors[0].message).toMatch(/is a cursor of another list or order \(nodes:[A-Z_]+[-+]\), not of this one \(transfers-\)/)
  })

  test('a NUL in a variable, deep in an input object, is BAD_USER_INPUT naming its path', async () => {
    const errors = await gqlErrors(`query($f: NodeFilter) { nodes(filter: $f) { nodes { id } } }`, { f: { region: 'eu\u0000' } })
    expect(errors.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'filter.region' })])
  })

  test.each([
    ['a malformed address', `{ account(id: "0x123") { id } }`, 'id'],
    ['a malformed filter address', `{ transfers(filter: { account: "nope" }) { nodes { id } } }`, 'filter.account'],
    ['a negative block', `{ transfers(filter: { blockFrom: -1 }) { nodes { id } } }`, 'filter.blockFrom'],
    ['a node id that is not a number', `{ node(id: "abc") { id } }`, 'id'],
    ['a page over the cap', `{ nodes(first: 1001) { nodes { id } } }`, 'first'],
    ['a cursor from another list', `{ accounts(after: "YzE6WyIwMDAwMDAwMDAxLTAwMDAwMCJd") { nodes { id } } }`, 'after'],
    ['a negative amount', `{ delegations(filter: { minAmount: "-5" }) { nodes { id } } }`, 'filter.minAmount'],
    ['a forged one-element cursor', `{ transfers(after: "${forged(['x'])}") { nodes { id } } }`, 'after'],
    ['a forged two-element cursor on accounts', `{ accounts(orderBy: BALANCE_DESC, after: "${forged(['1', '0x00'])}") { nodes { id } } }`, 'after'],
    ["a cursor naming this list, with a balance that is not a number", `{ accounts(orderBy: BALANCE_DESC, after: "${forged(['accounts:BALANCE_DESC-', 'lots', '0x00'])}") { nodes { id } } }`, 'after'],
    ['a cursor naming this list, holding a NUL', `{ accounts(orderBy: ADDRESS, after: "${forged(['accounts:ADDRESS+', '0x\u0000'])}") { nodes { id } } }`, 'after'],
    ['a cursor of this list in the other direction', `{ transfers(orderBy: OLDEST_FIRST, after: "${forged(['transfers-', '0000000001-000000'])}") { nodes { id } } }`, 'after'],
    ['a NUL in a string filter', `{ nodes(filter: { region: "eu\\u0000" }) { nodes { id } } }`, 'filter.region'],
    ['a string filter of 5000 characters', `{ nodes(filter: { region: "${'e'.repeat(5000)}" }) { nodes { id } } }`, 'filter.region'],
  ])('%s is BAD_USER_INPUT naming the argument', async (_n, query, argument) => {
    const errors = await gqlErrors(query)
    expect(errors.length).toBe(1)
    expect(errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument })
    expect(errors[0].message).toContain(argument)
  })

  test('an unknown enum value and a bad DateTime are refused with a coded error', async () => {
    const e1 = await gqlErrors(`{ nodes(filter: { status: SLEEPING }) { nodes { id } } }`)
    expect(e1[0].extensions?.code).toMatch(/GRAPHQL_VALIDATION_FAILED|BAD_USER_INPUT/)
    const e2 = await gqlErrors(`query($t: DateTime) { transfers(filter: { timeFrom: $t }) { nodes { id } } }`, { t: 'yesterday' })
    expect(e2[0].extensions?.code).toBe('BAD_USER_INPUT')
    expect(e2[0].message).toContain('DateTime')
  })
})
