/**
 * The API over two chains: the two-chain devnet indexed by the supervisor
 * (one indexer per chain, one database), served by the real API on the
 * network preset. The network's supply at sampled instants, deposits and
 * withdrawals in flight among them, equals what both chains' eth_call
 * answers at the matching blocks add up to; each field answers from its
 * chain; the token lists merge both chains and page both ways; an account
 * shows its balance on each chain and their sum.
 */
import { ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import { chromium } from 'playwright-core'
import path from 'node:path'
import * as icnt from '../../src/abi/ICNT'
import { startApiServer, ApiServer } from '../../src/api/server'
import { chainSchemas } from '../../src/config'
import { chainPreset, MultiChainPreset } from '../../src/config/preset'
import { Devnet, startDevnet } from '../../src/devnet'
import { freePort } from '../../src/runtime/ports'
import type { RpcClient } from '../../src/runtime/rpc'
import { ROOT, sql, testDatabase, waitFor } from '../helpers'

let devnet: Devnet
let network: MultiChainPreset
let dbUrl: string
let api: ApiServer
let supervisor: ChildProcess
let out = ''
const ts: Record<string, number[]> = {}

const CHROMIUM = '/usr/bin/chromium'
const haveBrowser = fs.existsSync(CHROMIUM)
if (!haveBrowser) {
  console.warn(`\n${'!'.repeat(78)}\n!! SKIPPING the two-chain dashboard browser test: ${CHROMIUM} is not installed (apt-get install chromium)\n${'!'.repeat(78)}\n`)
}

// What the page-side functions use (the project's TypeScript has no DOM library).
declare const document: { querySelectorAll(s: string): Array<{ getAttribute(n: string): string | null }> }

const hex = (n: number) => '0x' + n.toString(16)
/** An eth_call's uint256 (before the contract's deployment the call answers 0x: nothing). */
const uint = (x: string) => BigInt(x === '0x' ? 0 : x)

/** A GraphQL answer as JSON.parse gives it: the expectations below say its shape. */
type Json = ReturnType<typeof JSON.parse>

async function gql<T = Json>(query: string, variables: Record<string, unknown> = {}): Promise<{ data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }> {
  const r = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })
  return (await r.json()) as { data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }
}

async function ok<T = Json>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await gql<T>(query, variables)
  if (r.errors) throw new Error(JSON.stringify(r.errors))
  return r.data!
}

const rpcOf = (chain: string): RpcClient => (chain === 'l1' ? devnet.anvil.rpc : devnet.l2!.anvil.rpc)

async function times(rpc: RpcClient): Promise<number[]> {
  const head = Number(await rpc.call<string>('eth_blockNumber'))
  const blocks = await rpc.batch<{ timestamp: string }>(Array.from({ length: head + 1 }, (_, n) => ({ method: 'eth_getBlockByNumber', params: [hex(n), false] })))
  return blocks.map((b) => Number(b.timestamp))
}

/** The chain's latest block with time ≤ t. */
function blockAt(chain: string, t: number): number {
  const xs = ts[chain]
  let n = -1
  while (n + 1 < xs.length && xs[n + 1] <= t) n++
  return n
}

async function balances(chain: string, token: string, accounts: string[], block: number): Promise<bigint[]> {
  const out = await rpcOf(chain).batch<string>(accounts.map((account) => ({ method: 'eth_call', params: [{ to: token, data: icnt.functions.balanceOf.encode({ account }) }, hex(block)] })))
  return out.map(uint)
}

async function totalSupply(chain: string, token: string, block: number): Promise<bigint> {
  return uint(await rpcOf(chain).call<string>('eth_call', [{ to: token, data: icnt.functions.totalSupply.encode({}) }, hex(block)]))
}

/** The network's figures at instant t from eth_call alone, as the spec defines them. */
async function expected(t: number) {
  const l1 = chainPreset(network, 'l1')
  const l2 = chainPreset(network, 'l2')
  const b1 = blockAt('l1', t)
  const b2 = blockAt('l2', t)
  const bridge = network.bridge.l1Bridge
  const total = await totalSupply('l1', l1.contracts.token, b1)
  const bridged = await totalSupply('l2', l2.contracts.token, b2)
  const [escrowed, vestingBalance, ...l1Labels] = await balances('l1', l1.contracts.token, [bridge, l1.contracts.vesting!, ...l1.labels.map((l) => l.address)], b1)
  const l2Labels = await balances('l2', l2.contracts.token, l2.labels.map((l) => l.address), b2)
  const [staked] = await balances('l2', l2.contracts.token, [l2.contracts.staking!], b2)
  const nonCirculating = vestingBalance + [...l1Labels, ...l2Labels].reduce((s, x) => s + x, 0n)
  return { b1, b2, total, escrowed, bridged, inFlight: escrowed - bridged, nonCirculating, circulating: total - nonCirculating, locked: vestingBalance, staked }
}

beforeAll(async () => {
  devnet = await startDevnet({ port: await freePort(), l2Port: await freePort(), seed: 3, scale: 1, historyEras: 48, preserveHistoricalStates: true })
  network = devnet.network!
  dbUrl = await testDatabase()
  // A database that held a single-chain index: the supervisor says it leaves it alone.
  await sql(dbUrl, `CREATE TABLE public.indexer_status (id text PRIMARY KEY)`)
  supervisor = spawn(process.execPath, [path.join(ROOT, 'lib/main.js')], {
    env: { ...process.env, ICN_NETWORK: 'devnet-2chain', DATABASE_URL: dbUrl, RPC_URL_L1: devnet.anvil.url, RPC_URL_L2: devnet.l2!.anvil.url, PROGRESS_INTERVAL_MS: '100000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  supervisor.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  supervisor.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  for (const chain of ['l1', 'l2']) {
    const head = await rpcOf(chain).call<{ number: string; hash: string }>('eth_getBlockByNumber', ['latest', false])
    await waitFor(`chain ${chain} indexed to its head`, async () => {
      if (supervisor.exitCode !== null) throw new Error(`the supervisor exited: ${out}`)
      const rows = await sql<{ height: number; hash: string }>(dbUrl, `SELECT height, hash FROM ${chainSchemas(chain).data}.indexer_status WHERE id = 'status'`).catch(() => [])
      return rows[0]?.height === Number(head.number) && rows[0].hash === head.hash
    }, 120_000)
    ts[chain] = await times(rpcOf(chain))
  }
  api = await startApiServer({ databaseUrl: dbUrl, preset: chainPreset(network, 'l2'), network, host: '127.0.0.1', port: 0 })
}, 240_000)

afterAll(async () => {
  if (supervisor && supervisor.exitCode === null) {
    supervisor.kill('SIGTERM')
    await new Promise((r) => supervisor.once('exit', r))
  }
  await api?.close()
  await devnet?.stop()
})

describe('the API over two chains', () => {
  test('the network supply at sampled instants equals both chains\' eth_call answers at the matching blocks, in flight included', async () => {
    const from = Math.max(ts.l1[1], ts.l2[1])
    const to = Math.min(ts.l1[ts.l1.length - 1], ts.l2[ts.l2.length - 1])
    // Every block time of either chain in the common range, thinned to at most 80 instants.
    const all = [...new Set([...ts.l1, ...ts.l2].filter((t) => t >= from && t <= to))].sort((a, b) => a - b)
    const step = Math.max(1, Math.floor(all.length / 80))
    const instants = all.filter((_, i) => i % step === 0)
    let inFlight = 0
    for (const t of instants) {
      const e = await expected(t)
      const { supply: s } = await ok(`query ($t: DateTime) { supply(timestamp: $t) {
        at totalSupply escrowed bridged inFlight nonCirculating circulatingSupply locked staked inconsistencies
        chains { chain block { number } labelled { address balance } } } }`, { t: new Date(t * 1000).toISOString() })
      expect({ t, ...s, chains: s.chains.map((c: { chain: string; block: { number: number } }) => [c.chain, c.block.number]) }).toEqual({
        t,
        at: new Date(t * 1000).toISOString(),
        totalSupply: e.total.toString(),
        escrowed: e.escrowed.toString(),
        bridged: e.bridged.toString(),
        inFlight: e.inFlight.toString(),
        nonCirculating: e.nonCirculating.toString(),
        circulatingSupply: e.circulating.toString(),
        locked: e.locked.toString(),
        staked: e.staked.toString(),
        inconsistencies: [],
        chains: [['l1', e.b1], ['l2', e.b2]],
      })
      if (e.inFlight > 0n) inFlight += 1
    }
    expect(instants.length).toBeGreaterThan(30)
    // Deposits and withdrawals were in flight at a good share of the instants.
    expect(inFlight).toBeGreaterThan(instants.length / 5)
  })

  test('the network supply history: each bucket is the network at its end', async () => {
    const from = new Date(Math.max(ts.l1[1], ts.l2[1]) * 1000 + 3_600_000)
    const to = new Date(Math.min(ts.l1[ts.l1.length - 1], ts.l2[ts.l2.length - 1]) * 1000)
    const { supplyHistory } = await ok(`query ($f: DateTime!, $t: DateTime!) { supplyHistory(from: $f, to: $t, interval: HOUR) { start end supply { at circulatingSupply inFlight escrowed } } }`, { f: from.toISOString(), t: to.toISOString() })
    expect(supplyHistory.length).toBeGreaterThan(10)
    for (const p of supplyHistory.slice(1, 12)) {
      const t = Math.min(Date.parse(p.end) - 1000, to.getTime()) / 1000
      const e = await expected(t)
      expect({ end: p.end, ...p.supply }).toEqual({ end: p.end, at: new Date(t * 1000).toISOString(), circulatingSupply: e.circulating.toString(), inFlight: e.inFlight.toString(), escrowed: e.escrowed.toString() })
    }
  })

  test('the default instant is the earlier head; a later instant is refused naming both chains; the REST figures are the network\'s', async () => {
    const earlier = Math.min(ts.l1[ts.l1.length - 1], ts.l2[ts.l2.length - 1])
    const later = Math.max(ts.l1[ts.l1.length - 1], ts.l2[ts.l2.length - 1])
    const { supply } = await ok(`{ supply { at totalSupply circulatingSupply totalSupplyFormatted circulatingSupplyFormatted } }`)
    expect(supply.at).toBe(new Date(earlier * 1000).toISOString())
    const e = await expected(earlier)
    expect(supply.circulatingSupply).toBe(e.circulating.toString())
    const r = await gql(`query ($t: DateTime) { supply(timestamp: $t) { totalSupply } }`, { t: new Date((later + 1) * 1000).toISOString() })
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT')
    expect(r.errors?.[0].message).toMatch(/after the earlier of the chains' indexed heads \(l1 at .*, l2 at .*\)/)
    const get = async (p: string) => {
      const res = await fetch(`${api.url}${p}`)
      return { status: res.status, body: await res.text() }
    }
    expect(await get('/supply/total')).toEqual({ status: 200, body: supply.totalSupplyFormatted })
    expect(await get('/supply/circulating')).toEqual({ status: 200, body: supply.circulatingSupplyFormatted })
    const full = JSON.parse((await get('/supply')).body)
    expect(full).toMatchObject({ network: 'devnet-2chain', at: supply.at, escrowed: { wei: e.escrowed.toString() }, bridged: { wei: e.bridged.toString() }, inFlight: { wei: e.inFlight.toString() }, inconsistencies: [] })
    expect(full.chains.map((c: { chain: string; block: { number: number } }) => [c.chain, c.block.number])).toEqual([['l1', e.b1], ['l2', e.b2]])
    const one = JSON.parse((await get('/supply?chain=l1&block=5')).body)
    expect(one).toMatchObject({ chain: 'l1', block: { number: 5 }, totalSupply: { wei: (await totalSupply('l1', network.chains[0].contracts.token, 5)).toString() } })
    expect(await get('/supply?block=5')).toMatchObject({ status: 400, body: expect.stringContaining('block: a block is of one chain: give chain (one of l1, l2)') })
    expect(await get('/supply?chain=l9')).toEqual({ status: 400, body: JSON.stringify({ error: 'chain: "l9" is not a chain of network devnet-2chain (its chains: l1, l2)' }) })
    // Per chain, at a block: the chain's own figures.
    const { chainSupply } = await ok(`{ chainSupply(chain: "l2", block: 7) { chain block { number } totalSupply } }`)
    expect(chainSupply).toEqual({ chain: 'l2', block: { number: 7 }, totalSupply: (await totalSupply('l2', network.chains[1].contracts.token, 7)).toString() })
  })

  test('a single-chain index already in the database is named and left as it is', async () => {
    expect(out).toMatch(/this database also holds a single-chain index \(schema public\): network devnet-2chain does not reuse it/)
    expect(await sql(dbUrl, `SELECT id FROM public.indexer_status`)).toEqual([])
  })

  test('each field answers from its chain: the protocol from the L2, vesting from the L1, `chain` picks one, an unknown one is refused', async () => {
    const d = await ok(`{ nodes(first: 5) { nodes { id chain delegations(first: 2) { nodes { chain delegator { chain } } } } }
      vestingSchedules(first: 3) { nodes { chain beneficiary { chain } } }
      l1nodes: nodes(chain: "l1") { nodes { id } }
      _meta { chain height lag timestamp chains { chain height hash } } }`)
    expect(d.nodes.nodes.length).toBeGreaterThan(0)
    for (const n of d.nodes.nodes) {
      expect(n.chain).toBe('l2')
      for (const x of n.delegations.nodes) expect([x.chain, x.delegator.chain]).toEqual(['l2', 'l2'])
    }
    expect(d.vestingSchedules.nodes.length).toBeGreaterThan(0)
    for (const v of d.vestingSchedules.nodes) expect([v.chain, v.beneficiary.chain]).toEqual(['l1', 'l1'])
    expect(d.l1nodes.nodes).toEqual([])
    expect(d._meta).toMatchObject({ chain: 'devnet-2chain', height: null, lag: 0, timestamp: new Date(Math.min(ts.l1[ts.l1.length - 1], ts.l2[ts.l2.length - 1]) * 1000).toISOString() })
    expect(d._meta.chains.map((c: { chain: string; height: number }) => [c.chain, c.height])).toEqual([['l1', ts.l1.length - 1], ['l2', ts.l2.length - 1]])
    // Ids carry their chain, and a lookup by such an id answers from that chain.
    const nodeId = d.nodes.nodes[0].id
    expect(nodeId).toMatch(/^l2:\d+$/)
    const [holder] = await sql<{ id: string }>(dbUrl, `SELECT id FROM chain_l1.account WHERE balance > 0 ORDER BY id LIMIT 1`)
    const { node, one } = await ok(`query ($id: ID!, $a: String!) { node(id: $id) { id chain } one: account(id: $a) { id chain } }`, { id: nodeId, a: `l1:${holder.id}` })
    expect(node).toEqual({ id: nodeId, chain: 'l2' })
    expect(one).toEqual({ id: `l1:${holder.id}`, chain: 'l1' })
    const clash = await gql(`query ($id: ID!) { node(id: $id, chain: "l1") { id } }`, { id: nodeId })
    expect(clash.errors?.[0].message).toBe('id: names chain l2, but chain is l1')
    const bad = await gql(`{ transfers(chain: "l3") { nodes { id } } }`)
    expect(bad.errors?.[0]).toMatchObject({ message: 'chain: "l3" is not a chain of this network (its chains: l1, l2)', extensions: { code: 'BAD_USER_INPUT' } })
  })

  test('transfers over both chains: one order (block time, then chain), every row once, paged forward and back', async () => {
    const each = async (chain: string) => {
      const out: Array<{ id: string; timestamp: string }> = []
      let after: string | null = null
      for (;;) {
        const { transfers }: { transfers: { nodes: Array<{ id: string; timestamp: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } } = await ok(`query ($a: String, $c: String) { transfers(first: 1000, after: $a, chain: $c) { nodes { id timestamp } pageInfo { hasNextPage endCursor } } }`, { a: after, c: chain })
        out.push(...transfers.nodes)
        if (!transfers.pageInfo.hasNextPage) return out
        after = transfers.pageInfo.endCursor
      }
    }
    const l1 = await each('l1')
    const l2 = await each('l2')
    // Merged: newest first by block time; a tie goes to l1 first; each chain in its own order.
    const rank = (c: string) => (c === 'l1' ? 0 : 1)
    const want = [...l1.map((x, i) => ({ ...x, chain: 'l1', i })), ...l2.map((x, i) => ({ ...x, chain: 'l2', i }))]
      .sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp) || rank(a.chain) - rank(b.chain) || a.i - b.i)
      .map((x) => `${x.chain}:${x.id}`)
    const forward: string[] = []
    const cursors: string[] = []
    let after: string | null = null
    for (;;) {
      const { transfers }: Json = await ok(`query ($a: String) { transfers(first: 97, after: $a) { totalCount edges { cursor node { id chain } } pageInfo { hasNextPage endCursor } } }`, { a: after })
      expect(transfers.totalCount).toBe(l1.length + l2.length)
      for (const e of transfers.edges) {
        forward.push(`${e.node.chain}:${e.node.id}`)
        cursors.push(e.cursor)
      }
      if (!transfers.pageInfo.hasNextPage) break
      after = transfers.pageInfo.endCursor
    }
    expect(forward).toEqual(want)
    const backward: string[] = []
    let before: string | null = null
    for (;;) {
      const { transfers }: Json = await ok(`query ($b: String) { transfers(last: 89, before: $b) { nodes { id chain } pageInfo { hasPreviousPage startCursor } } }`, { b: before })
      backward.unshift(...transfers.nodes.map((n: { id: string; chain: string }) => `${n.chain}:${n.id}`))
      if (!transfers.pageInfo.hasPreviousPage) break
      before = transfers.pageInfo.startCursor
    }
    expect(backward).toEqual(want)
    // From any row's cursor, either way.
    for (const i of [0, 1, 57, Math.floor(want.length / 2), want.length - 2]) {
      const { a, b }: Json = await ok(`query ($c: String) { a: transfers(first: 13, after: $c) { nodes { id chain } } b: transfers(last: 13, before: $c) { nodes { id chain } } }`, { c: cursors[i] })
      expect(a.nodes.map((n: { id: string; chain: string }) => `${n.chain}:${n.id}`)).toEqual(want.slice(i + 1, i + 14))
      expect(b.nodes.map((n: { id: string; chain: string }) => `${n.chain}:${n.id}`)).toEqual(want.slice(Math.max(0, i - 13), i))
    }
    const wrong = await gql(`query ($c: String) { transfers(chain: "l1", after: $c) { nodes { id } } }`, { c: cursors[3] })
    expect(wrong.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT')
  })

  test('accounts over both chains: largest balance first, an address once per chain it holds on', async () => {
    const rows = await sql<{ chain: string; id: string; balance: string }>(dbUrl, `SELECT 'l1' AS chain, id, balance::text AS balance FROM chain_l1.account WHERE id <> $1
      UNION ALL SELECT 'l2', id, balance::text FROM chain_l2.account WHERE id <> $1`, ['0x0000000000000000000000000000000000000000'])
    const key = (r: { chain: string; id: string }) => `${r.chain}:${r.id}`
    const seen: string[] = []
    // Ids carry their chain: an address that holds on both chains is two accounts.
    let after: string | null = null
    let last = -1n
    for (;;) {
      const { accounts }: Json = await ok(`query ($a: String) { accounts(first: 41, after: $a) { nodes { id chain balance } pageInfo { hasNextPage endCursor } } }`, { a: after })
      for (const n of accounts.nodes) {
        if (last >= 0n) expect(BigInt(n.balance) <= last).toBe(true)
        last = BigInt(n.balance)
        expect(n.id.startsWith(`${n.chain}:`)).toBe(true)
        seen.push(n.id)
      }
      if (!accounts.pageInfo.hasNextPage) break
      after = accounts.pageInfo.endCursor
    }
    expect([...seen].sort()).toEqual(rows.map(key).sort())
  })

  test('an account: its balance on each chain and their sum, at the head and at an instant', async () => {
    const l1 = chainPreset(network, 'l1')
    const l2 = chainPreset(network, 'l2')
    // Holders on both chains.
    const rows = await sql<{ id: string }>(dbUrl, `SELECT a.id FROM chain_l1.account a JOIN chain_l2.account b ON a.id = b.id WHERE a.balance > 0 AND b.balance > 0 ORDER BY a.id LIMIT 5`)
    expect(rows.length).toBeGreaterThan(0)
    for (const { id } of rows) {
      const [b1] = await balances('l1', l1.contracts.token, [id], ts.l1.length - 1)
      const [b2] = await balances('l2', l2.contracts.token, [id], ts.l2.length - 1)
      const { account, one } = await ok(`query ($id: String!) { account(id: $id) { chain balance balances { chain balance } networkBalance } one: account(id: $id, chain: "l1") { chain balance } }`, { id })
      expect(account).toEqual({ chain: 'l2', balance: b2.toString(), balances: [{ chain: 'l1', balance: b1.toString() }, { chain: 'l2', balance: b2.toString() }], networkBalance: (b1 + b2).toString() })
      expect(one).toEqual({ chain: 'l1', balance: b1.toString() })
    }
    // At an instant: each chain at its latest block at or before it.
    const t = ts.l1[Math.floor(ts.l1.length / 2)]
    const id = rows[0].id
    const [h1] = await balances('l1', l1.contracts.token, [id], blockAt('l1', t))
    const [h2] = await balances('l2', l2.contracts.token, [id], blockAt('l2', t))
    const { account } = await ok(`query ($id: String!, $t: DateTime) { account(id: $id, block: { timestamp: $t }) { balances { chain balance } networkBalance } }`, { id, t: new Date(t * 1000).toISOString() })
    expect(account).toEqual({ balances: [{ chain: 'l1', balance: h1.toString() }, { chain: 'l2', balance: h2.toString() }], networkBalance: (h1 + h2).toString() })
    const byNumber = await gql(`query ($id: String!) { account(id: $id, block: { number: 5 }) { balance } }`, { id })
    expect(byNumber.errors?.[0].message).toMatch(/^block.number: a block number is of one chain: give chain/)
  })

  test('the README\'s examples for a network of chains run without errors and return data', async () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
    const examples = [...readme.matchAll(/```graphql network\n([\s\S]*?)```/g)].map((m) => m[1])
    expect(examples.length).toBeGreaterThanOrEqual(2)
    for (const q of examples) {
      const r = await gql(q)
      expect(r.errors).toBeUndefined()
      for (const v of Object.values(r.data!)) expect(v).not.toBeNull()
    }
  })

  test('holders of the network: balances summed over both chains, the bridge escrow not a holder', async () => {
    const rows = await sql<{ id: string; balance: string }>(dbUrl, `SELECT id, sum(balance)::text AS balance FROM (SELECT id, balance FROM chain_l1.account UNION ALL SELECT id, balance FROM chain_l2.account) a
      WHERE id NOT IN ('0x0000000000000000000000000000000000000000', $1) GROUP BY id HAVING sum(balance) > 0 ORDER BY sum(balance) DESC, id DESC`, [network.bridge.l1Bridge])
    const { holders } = await ok(`{ holders(top: 10) { count top { address balance } } }`)
    expect(holders.count).toBe(rows.length)
    expect(holders.top).toEqual(rows.slice(0, 10).map((r) => ({ address: r.id, balance: r.balance })))
  })

  ;(haveBrowser ? test : test.skip)('the dashboard: the network\'s supply with each chain, a wallet on both chains, every chain\'s status', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] })
    const problems: string[] = []
    try {
      const page = await browser.newPage()
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`)
      })
      const shown = async (selector: string) => {
        await page.waitForSelector(`${selector}, #view .error`)
        const error = await page.$('#view .error')
        if (error) throw new Error(`the page shows an error: ${await error.textContent()}`)
      }
      await page.goto(`${api.url}/`)
      await shown('#chains')
      const { supply } = await ok(`{ supply { circulatingSupplyFormatted totalSupplyFormatted } }`)
      expect(await page.getAttribute('#circulating', 'title')).toBe(supply.circulatingSupplyFormatted)
      expect(await page.getAttribute('#total-supply', 'title')).toBe(supply.totalSupplyFormatted)
      expect(await page.$$eval('#chains tbody tr', (trs) => trs.map((tr) => (tr as unknown as { getAttribute(n: string): string | null }).getAttribute('data-chain')))).toEqual(['l1', 'l2'])
      await page.waitForSelector('#supply-chart canvas')
      fs.mkdirSync(path.join(ROOT, 'test-artifacts/screenshots'), { recursive: true })
      await page.screenshot({ path: path.join(ROOT, 'test-artifacts/screenshots/two-chain-supply.png'), fullPage: true })

      const [{ id }] = await sql<{ id: string }>(dbUrl, `SELECT a.id FROM chain_l1.account a JOIN chain_l2.account b ON a.id = b.id WHERE a.balance > 0 AND b.balance > 0 AND a.transfers_in + a.transfers_out > 0 ORDER BY a.id LIMIT 1`)
      await page.goto(`${api.url}/#/wallet/${id}`)
      await shown('#wallet-balances')
      const { account } = await ok(`query ($id: String!) { account(id: $id) { balances { chain balance } networkBalance } }`, { id })
      expect(await page.$$eval('#wallet-balances [data-chain]', (xs) => xs.map((x) => (x as unknown as { getAttribute(n: string): string | null }).getAttribute('data-chain')))).toEqual(['l1', 'l2'])
      const wei = (v: string) => {
        const frac = (BigInt(v) % 10n ** 18n).toString().padStart(18, '0').replace(/0+$/, '')
        return `${BigInt(v) / 10n ** 18n}${frac ? `.${frac}` : ''}`
      }
      expect(await page.getAttribute('#wallet-balance', 'title')).toBe(wei(account.networkBalance))
      // Its transfers come from both chains.
      const chains = await page.$$eval('#wallet-transfers tbody tr', (trs) => trs.map((tr) => (tr as unknown as { getAttribute(n: string): string | null }).getAttribute('data-chain')))
      expect(chains.length).toBeGreaterThan(0)
      expect(chains.every((c) => c === 'l1' || c === 'l2')).toBe(true)
      await page.screenshot({ path: path.join(ROOT, 'test-artifacts/screenshots/two-chain-wallet.png'), fullPage: true })

      await page.goto(`${api.url}/#/status`)
      await shown('#meta [data-chain="l2"]')
      expect(await page.$$eval('#meta [data-chain]', (xs) => xs.map((x) => (x as unknown as { getAttribute(n: string): string | null }).getAttribute('data-chain')))).toEqual(['l1', 'l2'])
      await page.waitForFunction(() => /l1 block [\d,]+ · l2 block [\d,]+/.test(document.querySelectorAll('#live-text').length ? String((document.querySelectorAll('#live-text')[0] as unknown as { textContent: string }).textContent) : ''))
      expect(problems).toEqual([])
    } finally {
      await browser.close()
    }
  }, 120_000)
})
