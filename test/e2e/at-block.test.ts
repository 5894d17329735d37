/**
 * Truth at every block: supply at blocks with no event (mined empty, hours
 * apart, after the devnet's history) is exact against eth_call at those
 * blocks and names each block's own hash and time; every point-in-time
 * question outside the indexed range is a coded error naming the range.
 */
import * as icnt from '../../src/abi/ICNT'
import * as vesting from '../../src/abi/ICNVesting'
import { blockNumber, ethCall, waitForHeight } from '../helpers'
import { IndexedApi, indexedApi, post, request } from '../helpers/api'

let t: IndexedApi
/** The empty blocks mined after the history, and the indexed head after them. */
let empty: number[]
let head: number

const hex = (n: number) => '0x' + n.toString(16)

async function timeOf(n: number): Promise<string> {
  const b = await t.devnet.anvil.rpc.call<{ timestamp: string }>('eth_getBlockByNumber', [hex(n), false])
  return new Date(Number(b.timestamp) * 1000).toISOString()
}

beforeAll(async () => {
  t = await indexedApi({ eras: 12 })
  const rpc = t.devnet.anvil.rpc
  const last = await rpc.call<{ timestamp: string }>('eth_getBlockByNumber', ['latest', false])
  let time = Number(last.timestamp)
  empty = []
  for (let i = 0; i < 3; i++) {
    time += 6 * 3600
    await rpc.call('evm_setNextBlockTimestamp', [hex(time)])
    await rpc.call('evm_mine', [])
    empty.push(await blockNumber(rpc))
  }
  head = empty[empty.length - 1]
  await waitForHeight(t.dbUrl, head, t.indexer)
})

afterAll(async () => {
  await t?.stop()
})

interface SupplyReply {
  block: { number: number; hash: string; timestamp: string }
  at: string
  totalSupply: string
  locked: string
  vestedUnreleased: string
  unvested: string
}
const SUPPLY_FIELDS = 'block { number hash timestamp } at totalSupply locked vestedUnreleased unvested'

async function gql<T>(query: string): Promise<{ data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }> {
  const r = await post(t.api.url, { query })
  return r.json as { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }
}

describe('at every block', () => {
  test('supply at blocks with no event equals eth_call at those blocks, and names their own hash and time', async () => {
    const rpc = t.devnet.anvil.rpc
    const { token, vesting: vestingAddress } = t.devnet.preset.contracts
    const count = Number(await ethCall(rpc, vestingAddress!, vesting.functions.scheduleCount, {}))
    expect(count).toBeGreaterThan(0)
    const seen = new Set<string>()
    for (const n of empty) {
      const header = await rpc.call<{ hash: string; timestamp: string; transactions: unknown[] }>('eth_getBlockByNumber', [hex(n), false])
      expect(header.transactions).toEqual([])
      const r = await gql<{ supply: SupplyReply }>(`{ supply(block: ${n}) { ${SUPPLY_FIELDS} } }`)
      expect(r.errors).toBeUndefined()
      const s = r.data!.supply
      const time = new Date(Number(header.timestamp) * 1000).toISOString()
      expect(s.block).toEqual({ number: n, hash: header.hash, timestamp: time })
      expect(s.at).toBe(time)
      expect(s.totalSupply).toBe((await ethCall(rpc, token!, icnt.functions.totalSupply, {}, n)).toString())
      const locked = await ethCall(rpc, token!, icnt.functions.balanceOf, { account: vestingAddress! }, n)
      expect(s.locked).toBe(locked.toString())
      // Vested and not yet released at N's own time: the contract's releasable() at N, summed over every schedule.
      let releasable = 0n
      for (let id = 0; id < count; id++) releasable += await ethCall(rpc, vestingAddress!, vesting.functions.releasable, { scheduleId: BigInt(id) }, n)
      expect(s.vestedUnreleased).toBe((releasable < locked ? releasable : locked).toString())
      expect(BigInt(s.unvested)).toBe(locked - BigInt(s.vestedUnreleased))
      seen.add(s.vestedUnreleased)
    }
    // Six hours apart, the vesting split moves: no block answered with a neighbour's time.
    expect(seen.size).toBe(empty.length)
  })

  test('/supply?block=N answers block N itself; block 0, before the preset\'s start block 1, is a 400 naming the range', async () => {
    const one = await request(t.api.url, '/supply?block=1')
    expect(one.status).toBe(200)
    const header = await t.devnet.anvil.rpc.call<{ hash: string }>('eth_getBlockByNumber', ['0x1', false])
    expect((one.json as unknown as { block: { number: number; hash: string } }).block).toMatchObject({ number: 1, hash: header.hash })
    const zero = await request(t.api.url, '/supply?block=0')
    expect(zero.status).toBe(400)
    expect((zero.json as unknown as { error: string }).error).toBe(`block: block 0 is outside the indexed range: blocks 1 to ${head} (${await timeOf(1)} to ${await timeOf(head)})`)
  })

  test('outside the indexed range: a coded error that names the range, never a neighbour and never null', async () => {
    const first = await t.devnet.anvil.rpc.call<{ timestamp: string }>('eth_getBlockByNumber', ['0x1', false])
    const range = `blocks 1 to ${head}`
    const cases: [string, string][] = [
      [`{ supply(block: ${head + 1}) { totalSupply } }`, 'block'],
      [`{ supply(timestamp: "${new Date((Number(first.timestamp) - 3600) * 1000).toISOString()}") { totalSupply } }`, 'timestamp'],
      [`{ vestedSupply(at: "2000-01-01T00:00:00Z") { total } }`, 'at'],
      [`{ account(id: "${t.devnet.preset.contracts.vesting}") { balance(block: ${head + 1}) } }`, 'block'],
      [`{ supplyHistory(from: "2000-01-01T00:00:00Z", to: "2000-01-03T00:00:00Z", interval: DAY) { supply { totalSupply } } }`, 'from'],
    ]
    for (const [query, argument] of cases) {
      const r = await gql(query)
      expect(r.errors).toHaveLength(1)
      const e = r.errors![0]
      expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument, indexedRange: { fromBlock: 1, toBlock: head } })
      expect(e.message).toContain(`is outside the indexed range: ${range}`)
    }
    const rest = await request(t.api.url, `/supply?block=${head + 1}`)
    expect(rest.status).toBe(400)
    expect((rest.json as unknown as { error: string }).error).toContain(range)
  })

  test('within the range, past and future instants answer', async () => {
    const last = await t.devnet.anvil.rpc.call<{ timestamp: string }>('eth_getBlockByNumber', [hex(head), false])
    const r = await gql<{ a: { block: { number: number } }; v: { total: string }; f: { total: string } }>(
      `{ a: supply(block: ${empty[0] - 1}) { block { number } } v: vestedSupply(at: "${new Date(Number(last.timestamp) * 1000).toISOString()}") { total } f: vestedSupply(at: "2100-01-01T00:00:00Z") { total } }`,
    )
    expect(r.errors).toBeUndefined()
    expect(r.data!.a.block.number).toBe(empty[0] - 1)
    expect(BigInt(r.data!.f.total)).toBeGreaterThanOrEqual(BigInt(r.data!.v.total))
  })
})
