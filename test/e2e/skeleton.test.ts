/**
 * The walking skeleton end to end: devnet → indexer (child process) →
 * Postgres → API over HTTP, held against the chain's own balanceOf.
 */
import fs from 'node:fs'
import path from 'node:path'
import * as icnt from '../../src/abi/ICNT'
import { ApiServer } from '../../src/api/server'
import type { Devnet } from '../../src/devnet'
import { ROOT, ethCall, sql } from '../helpers'
import { IndexedApi, indexedApi } from '../helpers/api'

let t: IndexedApi
let devnet: Devnet
let dbUrl: string
let api: ApiServer
let head: number

beforeAll(async () => {
  t = await indexedApi({ eras: 80 })
  ;({ devnet, dbUrl, api, head } = t)
})

afterAll(async () => {
  await t?.stop()
})

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })
  return (await res.json()) as { data?: T }
}

describe('walking skeleton', () => {
  test('every indexed balance equals balanceOf at the head, to the wei', async () => {
    const rows = await sql<{ id: string; balance: string }>(dbUrl, `SELECT id, balance::text FROM account WHERE id <> '0x0000000000000000000000000000000000000000'`)
    expect(rows.length).toBeGreaterThan(50)
    const token = devnet.deployment.token
    for (const r of rows) {
      expect({ id: r.id, balance: BigInt(r.balance) }).toEqual({ id: r.id, balance: await ethCall(devnet.anvil.rpc, token, icnt.functions.balanceOf, { account: r.id }, head) })
    }
    const minted = await sql<{ balance: string }>(dbUrl, `SELECT balance::text FROM account WHERE id = '0x0000000000000000000000000000000000000000'`)
    expect(-BigInt(minted[0].balance)).toBe(await ethCall(devnet.anvil.rpc, token, icnt.functions.totalSupply, {}, head))
  })

  test('_meta names the indexed head', async () => {
    const r = await gql<{ _meta: { height: number; hash: string; lag: number } }>('{ _meta { height hash lag } }')
    const block = await devnet.anvil.rpc.call<{ hash: string }>('eth_getBlockByNumber', ['0x' + head.toString(16), false])
    expect(r.data!._meta).toEqual({ height: head, hash: block.hash, lag: 0 })
  })

  test('account balance now and at a past block equal balanceOf', async () => {
    const who = devnet.deployment.treasury
    const past = Math.floor(head / 2)
    const r = await gql<{ account: { balance: string; past: string } }>(`query($id: String!, $b: Int) { account(id: $id) { balance past: balance(block: $b) } }`, { id: who.toUpperCase().replace('0X', '0x'), b: past })
    const token = devnet.deployment.token
    expect(BigInt(r.data!.account.balance)).toBe(await ethCall(devnet.anvil.rpc, token, icnt.functions.balanceOf, { account: who }, head))
    expect(BigInt(r.data!.account.past)).toBe(await ethCall(devnet.anvil.rpc, token, icnt.functions.balanceOf, { account: who }, past))
  })

  test("walking an account's transfers in pages of 7, forward and back, yields each exactly once in order", async () => {
    const who = devnet.deployment.treasury
    const all = await sql<{ id: string }>(dbUrl, `SELECT id FROM transfer WHERE from_id = $1 OR to_id = $1 ORDER BY id DESC`, [who])
    expect(all.length).toBeGreaterThan(20)
    const q = `query($id: String!, $first: Int, $after: String, $last: Int, $before: String) { account(id: $id) { transfers(first: $first, after: $after, last: $last, before: $before) { nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`
    type Page = { account: { transfers: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string } } } }
    const forward: string[] = []
    let after: string | undefined
    for (;;) {
      const p = (await gql<Page>(q, { id: who, first: 7, after })).data!.account.transfers
      forward.push(...p.nodes.map((n) => n.id))
      if (!p.pageInfo.hasNextPage) break
      after = p.pageInfo.endCursor
    }
    expect(forward).toEqual(all.map((r) => r.id))
    const backward: string[] = []
    let before: string | undefined
    for (;;) {
      const p = (await gql<Page>(q, { id: who, last: 7, before })).data!.account.transfers
      backward.unshift(...p.nodes.map((n) => n.id))
      if (!p.pageInfo.hasPreviousPage) break
      before = p.pageInfo.startCursor
    }
    expect(backward).toEqual(all.map((r) => r.id))
  })

  test('bad arguments get BAD_USER_INPUT naming the argument', async () => {
    const r1 = await gql('{ account(id: "0x123") { id } }')
    expect(r1.errors![0].extensions!.code).toBe('BAD_USER_INPUT')
    expect(r1.errors![0].message).toMatch(/^id:/)
    const r2 = await gql(`{ account(id: "${devnet.deployment.treasury}") { transfers(first: 5000) { nodes { id } } } }`)
    expect(r2.errors![0].message).toMatch(/^first: must be between 0 and 1000/)
  })
})

describe('README', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
  const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1])

  test('has GraphQL examples', () => expect(examples.length).toBeGreaterThanOrEqual(2))

  test.each(examples.map((q, i) => [i, q]))('example %i runs without errors and returns data', async (_i, q) => {
    const r = await gql<Record<string, unknown>>(q as string)
    expect(r.errors).toBeUndefined()
    for (const v of Object.values(r.data!)) expect(v).not.toBeNull()
  })
})
