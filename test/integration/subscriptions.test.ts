/**
 * Live updates end to end: the real indexer on a devnet, the API in-process,
 * a graphql-ws client over a real WebSocket. New chain activity must reach
 * the subscribers exactly: every item pushed matches its filter and is
 * already in the database when it arrives, and what a client holds (items
 * kept, minus those a `reorg` event voids) equals the matching rows of the
 * block range, through a dropped database connection and through a reorg.
 */
import { Client as WsClient, createClient } from 'graphql-ws'
import { Pool } from 'pg'
import WebSocket from 'ws'
import * as icnt from '../../src/abi/ICNT'
import { MAX_SUBSCRIPTIONS_PER_CONNECTION } from '../../src/api/live'
import { LIVE_APPLICATION_NAME } from '../../src/api/live/feed'
import { ApiServer, startApiServer } from '../../src/api/server'
import { loadPreset } from '../../src/config'
import type { Devnet } from '../../src/devnet'
import { actor } from '../../src/devnet/actors'
import { DevChain } from '../../src/devnet/chain'
import { blockNumber, ethCall, IndexerProcess, runIndexer, sql, testDatabase, testDevnet, waitFor, waitForHeight } from '../helpers'

const ICNT = 10n ** 18n
const WATCHED = actor('holder:0')
const MIN_VALUE = 1000n * ICNT

let devnet: Devnet
let dbUrl: string
let indexer: IndexerProcess
let api: ApiServer
let checks: Pool

interface GqlError {
  message: string
  extensions?: { code?: string; argument?: string }
}

interface Block {
  height: number
  hash: string
  timestamp: string
  reorg: boolean
}

interface Item {
  id: string
  blockNumber: number
  [field: string]: unknown
}

/** What one subscription of the recorder asks for, and how to check it against the database. */
interface Spec {
  label: string
  query: string
  variables?: Record<string, unknown>
  field: 'transfers' | 'delegationEvents' | 'slaAttestations'
  table: string
  /** The pushed item passes the subscription's filter. */
  matches: (item: Item) => boolean
  /** SQL condition (and its parameters from $3 on) the filter stands for. */
  where: string
  params: unknown[]
}

const SPECS: Spec[] = [
  {
    label: 'all transfers',
    field: 'transfers',
    query: 'subscription { transfers { id blockNumber from to value fromAccount { id } } }',
    table: 'transfer',
    matches: (t) => (t.fromAccount as { id: string }).id === t.from,
    where: 'TRUE',
    params: [],
  },
  {
    label: 'transfers of one account',
    field: 'transfers',
    // Any letter case is accepted.
    query: 'subscription($a: String) { transfers(filter: { account: $a }) { id blockNumber from to value } }',
    variables: { a: WATCHED.toUpperCase().replace('0X', '0x') },
    table: 'transfer',
    matches: (t) => t.from === WATCHED || t.to === WATCHED,
    where: '(from_id = $3 OR to_id = $3)',
    params: [WATCHED],
  },
  {
    label: 'large transfers',
    field: 'transfers',
    query: `subscription { transfers(filter: { minValue: "${MIN_VALUE}" }) { id blockNumber value } }`,
    table: 'transfer',
    matches: (t) => BigInt(t.value as string) >= MIN_VALUE,
    where: 'value >= $3::numeric',
    params: [MIN_VALUE.toString()],
  },
  {
    label: 'all delegation events',
    field: 'delegationEvents',
    query: 'subscription { delegationEvents { id kind delegator nodeId blockNumber amount } }',
    table: 'delegation_event',
    matches: () => true,
    where: 'TRUE',
    params: [],
  },
  {
    label: 'delegation events of some kinds',
    field: 'delegationEvents',
    query: 'subscription { delegationEvents(filter: { kinds: [CREATED, CREATED_V1, CREATED_V2, UNDELEGATED] }) { id kind blockNumber } }',
    table: 'delegation_event',
    matches: (e) => ['CREATED', 'CREATED_V1', 'CREATED_V2', 'UNDELEGATED'].includes(e.kind as string),
    where: 'kind = ANY($3)',
    params: [['CREATED', 'CREATED_V1', 'CREATED_V2', 'UNDELEGATED']],
  },
  {
    label: 'all SLA reports',
    field: 'slaAttestations',
    query: 'subscription { slaAttestations { id nodeId hyperNodeId era blockNumber } }',
    table: 'sla_attestation',
    matches: () => true,
    where: 'TRUE',
    params: [],
  },
  {
    label: 'SLA reports on node 1 by HyperNode 1',
    field: 'slaAttestations',
    query: 'subscription { slaAttestations(filter: { nodeId: "1", hyperNodeId: "1" }) { id nodeId hyperNodeId blockNumber } }',
    table: 'sla_attestation',
    matches: (a) => a.nodeId === '1' && a.hyperNodeId === '1',
    where: 'node_id = $3 AND hyper_node_id = $4',
    params: ['000000000001', '000000000001'],
  },
]

type Event = { kind: 'block'; block: Block } | { kind: 'item'; spec: Spec; item: Item }

/**
 * One client holding every subscription of SPECS and `blocks`, recording
 * what arrives in arrival order. Each item is looked up in the database the
 * moment it arrives.
 */
class Recorder {
  readonly events: Event[] = []
  readonly errors: unknown[] = []
  /** Per item received: whether the database had it when it arrived. */
  readonly found: Promise<string | undefined>[] = []
  readonly client: WsClient

  constructor() {
    this.client = wsClient()
    // `blocks` last: graphql-ws handles one connection's messages in order and
    // registers a subscription before it reads the next message, so once
    // `blocks` has pushed, every other subscription is live.
    for (const spec of SPECS) {
      this.client.subscribe<Record<string, Item>>(
        { query: spec.query, variables: spec.variables },
        {
          next: (r) => {
            if (r.errors) return this.errors.push(r.errors)
            const item = r.data![spec.field]
            this.found.push(
              checks.query(`SELECT 1 FROM ${spec.table} WHERE id = $1`, [item.id]).then((q) => (q.rowCount === 1 ? undefined : `${spec.label}: ${item.id}`)),
            )
            this.events.push({ kind: 'item', spec, item })
          },
          error: (e) => this.errors.push(e),
          complete: () => {},
        },
      )
    }
    this.client.subscribe<{ blocks: Block }>(
      { query: 'subscription { blocks { height hash timestamp reorg } }' },
      {
        next: (r) => {
          if (r.errors) return this.errors.push(r.errors)
          const block = r.data!.blocks
          this.found.push(
            checks
              .query(`SELECT 1 FROM block WHERE height = $1 AND hash = $2`, [block.height, block.hash])
              .then((q) => (q.rowCount === 1 ? undefined : `block ${block.height} ${block.hash}`)),
          )
          this.events.push({ kind: 'block', block })
        },
        error: (e) => this.errors.push(e),
        complete: () => {},
      },
    )
  }

  blocks(): Block[] {
    return this.events.flatMap((e) => (e.kind === 'block' ? [e.block] : []))
  }

  /** Waits for a `blocks` event at `height` or above; returns it. */
  async head(height: number): Promise<Block> {
    return waitFor(`a blocks event at ${height}`, async () => {
      if (this.errors.length) throw new Error(`subscription errors: ${JSON.stringify(this.errors)}`)
      return this.blocks().find((b) => b.height >= height)
    })
  }

  /**
   * What a client following the documented rules holds for `spec`: items in
   * arrival order, those above a `reorg` event's height dropped when it comes.
   */
  view(spec: Spec): Item[] {
    let out: Item[] = []
    for (const e of this.events) {
      if (e.kind === 'block' && e.block.reorg) out = out.filter((i) => i.blockNumber <= e.block.height)
      if (e.kind === 'item' && e.spec === spec) out.push(e.item)
    }
    return out
  }

  async notFoundOnArrival(): Promise<string[]> {
    return (await Promise.all(this.found)).filter((x): x is string => x !== undefined)
  }
}

function wsClient(): WsClient {
  return createClient({ url: `${api.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true })
}

/** The ids of the rows of `spec` in blocks (from, to], in chain order. */
async function expected(spec: Spec, from: number, to: number): Promise<string[]> {
  const rows = await sql<{ id: string }>(dbUrl, `SELECT id FROM ${spec.table} WHERE block_number > $1 AND block_number <= $2 AND ${spec.where} ORDER BY id`, [from, to, ...spec.params])
  return rows.map((r) => r.id)
}

/** Every subscription of `rec` holds exactly the matching rows of blocks (from, to], in chain order. */
async function expectExactly(rec: Recorder, from: number, to: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const spec of SPECS) {
    const held = rec.view(spec)
    expect(held.filter((i) => !spec.matches(i)).map((i) => `${spec.label}: ${i.id}`)).toEqual([])
    const got = held.filter((i) => i.blockNumber > from && i.blockNumber <= to).map((i) => i.id)
    expect({ label: spec.label, ids: got }).toEqual({ label: spec.label, ids: await expected(spec, from, to) })
    counts[spec.label] = got.length
  }
  expect(await rec.notFoundOnArrival()).toEqual([])
  expect(rec.errors).toEqual([])
  return counts
}

async function latest(): Promise<{ number: number; hash: string; timestamp: number }> {
  const b = await devnet.anvil.rpc.call<{ number: string; hash: string; timestamp: string }>('eth_getBlockByNumber', ['latest', false])
  return { number: Number(b.number), hash: b.hash, timestamp: Number(b.timestamp) }
}

/** Waits until the index stands at the chain's head (height and hash). */
async function indexedHead(): Promise<number> {
  const head = await latest()
  await waitFor(`index at ${head.number} ${head.hash}`, async () => {
    if (indexer.child.exitCode !== null) throw new Error(`indexer exited: ${indexer.output()}`)
    const rows = await sql<{ height: number; hash: string }>(dbUrl, `SELECT height, hash FROM indexer_status WHERE id = 'status'`)
    return rows[0]?.height === head.number && rows[0].hash === head.hash
  })
  return head.number
}

/**
 * Mines one block holding an ICNT approval by an account the simulator never
 * uses (a log at a watched address, so the indexer commits the block), and
 * waits for the index to reach it.
 */
let barrierNonce = 0
async function barrierBlock(): Promise<number> {
  const chain = new DevChain(devnet.anvil.rpc)
  chain.send({
    from: actor('live-test:barrier'),
    to: devnet.deployment.token,
    data: icnt.functions.approve.encode({ spender: actor('live-test:spender'), value: BigInt(++barrierNonce) }),
    gas: 100_000,
    label: 'live test barrier',
  })
  await chain.mine((await latest()).timestamp + 1)
  return indexedHead()
}

beforeAll(async () => {
  devnet = await testDevnet({ eras: 20 })
  dbUrl = await testDatabase()
  indexer = runIndexer({ RPC_URL: devnet.anvil.url, DATABASE_URL: dbUrl })
  await waitForHeight(dbUrl, await blockNumber(devnet.anvil.rpc), indexer)
  api = await startApiServer({ databaseUrl: dbUrl, preset: loadPreset('devnet'), host: '127.0.0.1', port: 0 })
  checks = new Pool({ connectionString: dbUrl, max: 4 })
})

afterAll(async () => {
  await checks?.end()
  await api?.close()
  await indexer?.stop()
  await devnet?.stop()
})

describe('a client subscribed to everything', () => {
  let rec: Recorder

  beforeAll(() => {
    rec = new Recorder()
  })

  afterAll(async () => {
    await rec?.client.dispose()
  })

  test('gets exactly the new items of an era of activity, each already queryable on arrival', async () => {
    const from = (await rec.head(await barrierBlock())).height
    await devnet.simulator.step()
    const to = await indexedHead()
    const last = await rec.head(to)
    expect(last).toMatchObject({ height: to, reorg: false })
    const counts = await expectExactly(rec, from, to)
    expect(counts['all transfers']).toBeGreaterThan(0)
    expect(counts['all SLA reports']).toBeGreaterThan(0)
    expect(rec.blocks().some((b) => b.reorg)).toBe(false)
    // Heads come in chain order.
    const heights = rec.blocks().map((b) => b.height)
    expect([...heights].sort((a, b) => a - b)).toEqual(heights)
  }, 300_000)

  test('catches up after its database connection is cut, missing nothing', async () => {
    const from = (await rec.head(await barrierBlock())).height
    const before = await sql<{ pid: number }>(dbUrl, `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, [LIVE_APPLICATION_NAME])
    expect(before).toHaveLength(1)
    await sql(dbUrl, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, [LIVE_APPLICATION_NAME])
    await devnet.simulator.step()
    const to = await indexedHead()
    await rec.head(to)
    await expectExactly(rec, from, to)
    const after = await sql<{ pid: number }>(dbUrl, `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, [LIVE_APPLICATION_NAME])
    expect(after).toHaveLength(1)
    expect(after[0].pid).not.toBe(before[0].pid)
  }, 300_000)

  test('through a reorg: a `reorg` event at the fork, then the new branch; what the client holds is the new chain', async () => {
    // Last: the reverted blocks leave the simulator's nonces behind, so no step follows.
    const holders = Array.from({ length: 40 }, (_, i) => actor(`holder:${i}`))
    const balances = await Promise.all(holders.map((h) => ethCall(devnet.anvil.rpc, devnet.deployment.token, icnt.functions.balanceOf, { account: h })))
    const senders = holders.filter((h, i) => h !== WATCHED && balances[i] > 1000n * ICNT)
    expect(senders.length).toBeGreaterThan(3)
    const mineBranch = async (blocks: number, salt: number) => {
      const chain = new DevChain(devnet.anvil.rpc)
      const t0 = (await latest()).timestamp
      for (let i = 0; i < blocks; i++) {
        chain.send({
          from: senders[(salt + i) % senders.length],
          to: devnet.deployment.token,
          data: icnt.functions.transfer.encode({ to: WATCHED, value: BigInt(salt) * ICNT + BigInt(i) }),
          gas: 100_000,
          label: 'live test transfer',
        })
        await chain.mine(t0 + salt + i)
      }
    }

    const base = (await rec.head(await barrierBlock())).height
    const baseHash = (await latest()).hash
    const snapshot = await devnet.anvil.rpc.call<string>('evm_snapshot')
    await mineBranch(3, 10)
    const oldHead = await indexedHead()
    await rec.head(oldHead)
    const watched = SPECS[1]
    expect(rec.view(watched).filter((t) => t.blockNumber > base)).toHaveLength(3)
    // Every item so far was queryable on arrival (checked before the rollback removes them).
    expect(await rec.notFoundOnArrival()).toEqual([])
    const beforeReorg = rec.events.length

    expect(await devnet.anvil.rpc.call<boolean>('evm_revert', [snapshot])).toBe(true)
    await mineBranch(4, 20)
    const newHead = await indexedHead()
    expect(newHead).toBe(oldHead + 1)
    await waitFor(`a blocks event at ${newHead} after the reorg`, async () => rec.blocks().slice(-1)[0]?.height === newHead && rec.blocks().some((b) => b.reorg))

    const reorgs = rec.events.slice(beforeReorg).flatMap((e) => (e.kind === 'block' && e.block.reorg ? [e.block] : []))
    expect(reorgs.length).toBeGreaterThan(0)
    // The highest head delivered that the new chain keeps: the block the branches fork from.
    expect(reorgs[reorgs.length - 1]).toMatchObject({ height: base, hash: baseHash, reorg: true })
    const held = rec.view(watched).filter((t) => t.blockNumber > base)
    expect(held.map((t) => t.value)).toEqual(['20000000000000000000', '20000000000000000001', '20000000000000000002', '20000000000000000003'])
    for (const spec of SPECS) {
      const got = rec.view(spec).filter((i) => i.blockNumber > base).map((i) => i.id)
      expect({ label: spec.label, ids: got }).toEqual({ label: spec.label, ids: await expected(spec, base, newHead) })
    }
    // The old branch's arrivals were checked before the rollback removed them; the new branch's now.
    expect(await rec.notFoundOnArrival()).toEqual([])
    expect(rec.errors).toEqual([])
  }, 300_000)
})

describe('the WebSocket endpoint', () => {
  /** The first result or error of one subscription. */
  function first(client: WsClient, query: string, variables?: Record<string, unknown>): Promise<{ data?: unknown; errors?: GqlError[] }> {
    return new Promise((resolve, reject) => {
      const stop = client.subscribe<unknown>(
        { query, variables },
        {
          next: (r) => {
            stop()
            resolve(r as { data?: unknown; errors?: GqlError[] })
          },
          error: (e) => (Array.isArray(e) ? resolve({ errors: e as GqlError[] }) : reject(e instanceof Error ? e : new Error(JSON.stringify(e)))),
          complete: () => {},
        },
      )
    })
  }

  test('refuses a bad filter with BAD_USER_INPUT naming the argument', async () => {
    const client = wsClient()
    try {
      const bad = await first(client, 'subscription { transfers(filter: { account: "0x1234" }) { id } }')
      expect(bad.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'filter.account' }) })])
      const node = await first(client, 'subscription($n: ID) { slaAttestations(filter: { nodeId: $n }) { id } }', { n: 'node-1' })
      expect(node.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'filter.nodeId' }) })])
      const from = await first(client, 'subscription { delegationEvents(filter: { delegator: "nope" }) { id } }')
      expect(from.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.delegator' })
      // Not valid against the schema at all.
      const invalid = await first(client, 'subscription { transfers(filter: { wallet: "0x" }) { id } }')
      expect(invalid.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED')
    } finally {
      await client.dispose()
    }
  })

  test('serves subscriptions only, and HTTP serves none', async () => {
    const client = wsClient()
    try {
      const r = await first(client, '{ _meta { height } }')
      expect(r.errors?.[0].extensions?.code).toBe('BAD_REQUEST')
      expect(r.errors?.[0].message).toMatch(/HTTP/)
    } finally {
      await client.dispose()
    }
    const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'subscription { blocks { height } }' }) })
    const body = (await res.json()) as { errors?: GqlError[] }
    expect(body.errors?.[0].extensions?.code).toBe('BAD_REQUEST')
    expect(body.errors?.[0].message).toMatch(/WebSocket/)
  })

  test(`holds at most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection`, async () => {
    const client = wsClient()
    try {
      const errors: unknown[] = []
      for (let i = 0; i < MAX_SUBSCRIPTIONS_PER_CONNECTION; i++) {
        client.subscribe({ query: 'subscription { blocks { height } }' }, { next: () => {}, error: (e) => errors.push(e), complete: () => {} })
      }
      const over = await first(client, 'subscription { blocks { height } }')
      expect(over.errors?.[0].extensions?.code).toBe('TOO_MANY_SUBSCRIPTIONS')
      expect(errors).toEqual([])
    } finally {
      await client.dispose()
    }
  })

  test('keeps serving after clients go: HTTP queries, and new subscribers get new blocks', async () => {
    const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ _meta { height } }' }) })
    const body = (await res.json()) as { data: { _meta: { height: number } } }
    const height = await blockNumber(devnet.anvil.rpc)
    expect(body.data._meta.height).toBe(height)
    const client = wsClient()
    try {
      let got: { data?: unknown } | undefined
      void first(client, 'subscription { blocks { height reorg } }').then((r) => (got = r))
      // Blocks are mined until one is pushed: the subscription is registered asynchronously.
      await waitFor('a blocks event for a new subscriber', async () => got ?? (await barrierBlock(), got))
      const block = (got as { data: { blocks: { height: number; reorg: boolean } } }).data.blocks
      expect(block.reorg).toBe(false)
      expect(block.height).toBeGreaterThan(height)
    } finally {
      await client.dispose()
    }
  }, 120_000)
})
