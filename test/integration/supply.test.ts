/**
 * Circulating supply against the chain: at sampled past blocks the API's
 * answer equals totalSupply() minus balanceOf of the vesting contract and of
 * every labelled wallet, computed independently with eth_call at that block.
 */
import * as icnt from '../../src/abi/ICNT'
import { ApiServer, startApiServer } from '../../src/api/server'
import { loadPreset } from '../../src/config'
import type { Devnet } from '../../src/devnet'
import { GENESIS_TIME } from '../../src/devnet/deploy'
import { formatUnits } from '../../src/domain/units'
import { ONE_MONTH } from '../../src/domain/vesting'
import { ethCall, sql } from '../helpers'
import { IndexedApi, indexedApi } from '../helpers/api'

const preset = loadPreset('devnet')
let t: IndexedApi
let devnet: Devnet
let dbUrl: string
let api: ApiServer
let head: number

beforeAll(async () => {
  t = await indexedApi({ eras: 240, seed: 7 })
  ;({ devnet, dbUrl, api, head } = t)
})

afterAll(async () => {
  await t?.stop()
})

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })
  const body = (await res.json()) as { data?: T; errors?: unknown[] }
  if (body.errors) throw new Error(JSON.stringify(body.errors))
  return body.data!
}

interface SupplyAnswer {
  block: { number: number; hash: string; timestamp: string }
  totalSupply: string
  circulatingSupply: string
  circulatingSupplyFormatted: string
  totalSupplyFormatted: string
  nonCirculating: string
  locked: string
  unvested: string
  vestedUnreleased: string
  staked: string
  labelled: { address: string; label: string; category: string; balance: string }[]
}

const SUPPLY_FIELDS = `block { number hash timestamp } totalSupply circulatingSupply circulatingSupplyFormatted totalSupplyFormatted nonCirculating locked unvested vestedUnreleased staked labelled { address label category balance }`

describe('supply at any block', () => {
  test('at ten sampled past blocks and the head, equal to totalSupply() − balanceOf(vesting) − Σ balanceOf(labelled), to the wei', async () => {
    const token = devnet.deployment.token
    const rpc = devnet.anvil.rpc
    const blocks = [...Array.from({ length: 10 }, (_, i) => Math.max(3, Math.floor((head * (i + 1)) / 11))), head]
    for (const b of blocks) {
      const { supply: s } = await gql<{ supply: SupplyAnswer }>(`query($b: Int) { supply(block: $b) { ${SUPPLY_FIELDS} } }`, { b })
      const total = await ethCall(rpc, token, icnt.functions.totalSupply, {}, b)
      const locked = await ethCall(rpc, token, icnt.functions.balanceOf, { account: devnet.deployment.vesting }, b)
      const staked = await ethCall(rpc, token, icnt.functions.balanceOf, { account: devnet.deployment.staking }, b)
      let labelled = 0n
      for (const l of preset.labels) labelled += await ethCall(rpc, token, icnt.functions.balanceOf, { account: l.address }, b)
      expect({ b, total: s.totalSupply, locked: s.locked, staked: s.staked, circulating: s.circulatingSupply, non: s.nonCirculating }).toEqual({
        b, total: total.toString(), locked: locked.toString(), staked: staked.toString(), circulating: (total - locked - labelled).toString(), non: (locked + labelled).toString(),
      })
      expect(BigInt(s.unvested) + BigInt(s.vestedUnreleased)).toBe(locked)
      expect(s.labelled.map((l) => l.address)).toEqual(preset.labels.map((l) => l.address))
      // The answer names the block it is computed at, and that block is the chain's.
      expect(s.block.number).toBeLessThanOrEqual(b)
      const chainBlock = await rpc.call<{ hash: string; timestamp: string }>('eth_getBlockByNumber', ['0x' + s.block.number.toString(16), false])
      expect({ hash: s.block.hash, time: new Date(s.block.timestamp).getTime() / 1000 }).toEqual({ hash: chainBlock.hash, time: Number(chainBlock.timestamp) })
    }
  })

  test('at a timestamp: the state of the latest block at or before it', async () => {
    const mid = Math.floor(head / 2)
    const { supply: byBlock } = await gql<{ supply: SupplyAnswer }>(`query($b: Int) { supply(block: $b) { ${SUPPLY_FIELDS} } }`, { b: mid })
    const t = new Date(new Date(byBlock.block.timestamp).getTime() + 1000).toISOString()
    const { supply: byTime } = await gql<{ supply: SupplyAnswer }>(`query($t: DateTime) { supply(timestamp: $t) { ${SUPPLY_FIELDS} } }`, { t })
    expect(byTime.block).toEqual(byBlock.block)
    expect(byTime.circulatingSupply).toBe(byBlock.circulatingSupply)
    // A second later, more may have vested; never less.
    expect(BigInt(byTime.vestedUnreleased)).toBeGreaterThanOrEqual(BigInt(byBlock.vestedUnreleased))
  })

  test('the vesting split follows the schedules: vested-unreleased = Σ vested − Σ released', async () => {
    const { supply: s } = await gql<{ supply: SupplyAnswer }>(`{ supply { ${SUPPLY_FIELDS} } }`)
    const { vestedSupply: v } = await gql<{ vestedSupply: { total: string } }>(`query($t: DateTime!) { vestedSupply(at: $t) { total } }`, { t: s.block.timestamp })
    const [r] = await sql<{ released: string; returned: string }>(dbUrl, `SELECT sum(released)::text AS released, coalesce(sum(unvested_returned), 0)::text AS returned FROM vesting_schedule`)
    expect(BigInt(s.vestedUnreleased)).toBe(BigInt(v.total) - BigInt(r.released))
    // Everything is accounted for: locked = allocated − released − returned by revocations.
    expect(BigInt(s.locked)).toBe(700_000_000n * 10n ** 18n - BigInt(r.released) - BigInt(r.returned))
  })

  test('bad arguments are BAD_USER_INPUT naming the argument', async () => {
    const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ supply(block: ${head + 100}) { totalSupply } }` }) })
    const body = (await res.json()) as { errors: { extensions: { code: string; argument: string } }[] }
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'block' })
    const res2 = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ supplyHistory(from: "2000-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z", interval: HOUR) { start } }` }) })
    const body2 = (await res2.json()) as { errors: { extensions: { code: string; argument: string } }[] }
    expect(body2.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'interval' })
  })
})

describe('labels', () => {
  test('a new label applies to every past block at the next start, without re-indexing', async () => {
    const b = Math.floor(head / 2)
    const taken = ['0x0000000000000000000000000000000000000000', devnet.deployment.vesting, ...preset.labels.map((l) => l.address)]
    const [h] = await sql<{ id: string }>(dbUrl, `SELECT id FROM account WHERE id <> ALL($2::text[]) AND first_seen_block < $1 ORDER BY transfers_in DESC LIMIT 1`, [b, taken])
    const relabelled = { ...preset, labels: [...preset.labels, { address: h.id, label: 'Market maker', category: 'market-maker' }] }
    const other = await startApiServer({ databaseUrl: dbUrl, preset: relabelled, host: '127.0.0.1', port: 0 })
    try {
      const q = JSON.stringify({ query: `query($b: Int) { supply(block: $b) { circulatingSupply labelled { address balance } } }`, variables: { b } })
      const ask = async (url: string) => ((await (await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: q })).json()) as { data: { supply: { circulatingSupply: string; labelled: { address: string; balance: string }[] } } }).data.supply
      const before = await ask(api.url)
      const after = await ask(other.url)
      const bal = await ethCall(devnet.anvil.rpc, devnet.deployment.token, icnt.functions.balanceOf, { account: h.id }, b)
      expect(bal).toBeGreaterThan(0n)
      expect(after.labelled.find((l) => l.address === h.id)!.balance).toBe(bal.toString())
      expect(BigInt(before.circulatingSupply) - BigInt(after.circulatingSupply)).toBe(bal)
    } finally {
      await other.close()
    }
  })
})

describe('REST for aggregators', () => {
  test('/supply/total and /supply/circulating answer what GraphQL answers, as a bare decimal of whole ICNT', async () => {
    const { supply: s } = await gql<{ supply: SupplyAnswer }>(`{ supply { ${SUPPLY_FIELDS} } }`)
    for (const [path, want] of [['/supply/total', s.totalSupplyFormatted], ['/supply/circulating', s.circulatingSupplyFormatted]]) {
      const res = await fetch(`${api.url}${path}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8')
      const body = await res.text()
      // the integer part, then a point and the fraction without trailing zeros only when it is not zero
      expect(body).toMatch(/^(0|[1-9]\d*)(\.\d*[1-9])?$/)
      expect(body).toBe(want)
    }
    // the format itself, on the spec's examples
    expect(formatUnits(700_000_000n * 10n ** 18n)).toBe('700000000')
    expect(formatUnits(187_600_000n * 10n ** 18n + 5n * 10n ** 17n)).toBe('187600000.5')
    expect(formatUnits(1n)).toBe('0.000000000000000001')
  })

  test('/supply answers the full breakdown with every excluded wallet and the block, at the head or a past block', async () => {
    const b = Math.floor(head / 3)
    const { supply: s } = await gql<{ supply: SupplyAnswer }>(`query($b: Int) { supply(block: $b) { ${SUPPLY_FIELDS} } }`, { b })
    const res = await fetch(`${api.url}/supply?block=${b}`)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    const j = (await res.json()) as { block: SupplyAnswer['block']; totalSupply: { wei: string }; circulatingSupply: { wei: string; icnt: string }; locked: { wei: string; unvested: { wei: string } }; excludedWallets: { address: string; label: string; balance: { wei: string } }[] }
    expect(j.block).toEqual(s.block)
    expect(j.totalSupply.wei).toBe(s.totalSupply)
    expect(j.circulatingSupply).toEqual({ wei: s.circulatingSupply, icnt: s.circulatingSupplyFormatted })
    expect(j.locked.wei).toBe(s.locked)
    expect(j.locked.unvested.wei).toBe(s.unvested)
    expect(j.excludedWallets.map((w) => [w.address, w.label, w.balance.wei])).toEqual(s.labelled.map((l) => [l.address, l.label, l.balance]))
    const atHead = (await (await fetch(`${api.url}/supply`)).json()) as { block: { number: number } }
    expect(atHead.block.number).toBeGreaterThan(b)
    const bad = await fetch(`${api.url}/supply?block=-1`)
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: string }).error).toContain('block')
    expect((await fetch(`${api.url}/supply/total`, { method: 'POST' })).status).toBe(405)
  })
})

describe('series, allocations, unlocks, holders', () => {
  test('supplyHistory: one gap-filled point per UTC day, each the state at the end of its day', async () => {
    const from = new Date(GENESIS_TIME * 1000).toISOString()
    const { supply: now } = await gql<{ supply: SupplyAnswer }>(`{ supply { block { number timestamp } circulatingSupply } }`)
    const { supplyHistory: h } = await gql<{ supplyHistory: { start: string; end: string; supply: { block: { number: number; timestamp: string }; circulatingSupply: string } | null }[] }>(
      `query($f: DateTime!, $t: DateTime!) { supplyHistory(from: $f, to: $t, interval: DAY) { start end supply { block { number timestamp } circulatingSupply } } }`,
      { f: from, t: now.block.timestamp },
    )
    const days = Math.floor((new Date(now.block.timestamp).getTime() / 1000 - GENESIS_TIME) / 86400) + 1
    expect(h.length).toBe(days)
    expect(h.slice(1).map((p) => p.start)).toEqual(h.slice(0, -1).map((p) => p.end))
    for (let i = 0; i < h.length; i++) {
      expect(new Date(h[i].end).getTime() - new Date(h[i].start).getTime()).toBe(86_400_000)
      expect(new Date(h[i].supply!.block.timestamp).getTime()).toBeLessThan(new Date(h[i].end).getTime())
    }
    expect(h[h.length - 1].supply!.block.number).toBe(now.block.number)
    expect(h[h.length - 1].supply!.circulatingSupply).toBe(now.circulatingSupply)
    const weeks = await gql<{ supplyHistory: { start: string }[] }>(`query($f: DateTime!, $t: DateTime!) { supplyHistory(from: $f, to: $t, interval: WEEK) { start } }`, { f: from, t: now.block.timestamp })
    expect(weeks.supplyHistory.every((w) => new Date(w.start).getUTCDay() === 1)).toBe(true)
  })

  test('allocations: the seven categories, 700M allocated, released as the schedules say', async () => {
    const { allocations: a } = await gql<{ allocations: { category: string; allocated: string; released: string; vested: string; remaining: string; schedules: { id: string }[] }[] }>(
      `{ allocations { category allocated released vested remaining schedules { id } } }`,
    )
    expect(a.map((x) => x.category).sort()).toEqual(['CLOUD_SERVICE_DEVELOPMENT', 'ECOSYSTEM_DEVELOPMENT', 'ECOSYSTEM_PARTNERS', 'INVESTORS', 'NETWORK_EXPANSION', 'NETWORK_REWARDS', 'TEAM'])
    expect(a.reduce((s, x) => s + BigInt(x.allocated), 0n)).toBe(700_000_000n * 10n ** 18n)
    const rows = await sql<{ category: string; released: string }>(dbUrl, `SELECT category, sum(released)::text AS released FROM vesting_schedule GROUP BY category`)
    for (const r of rows) expect(a.find((x) => x.category === r.category)!.released).toBe(r.released)
    expect(a.reduce((s, x) => s + x.schedules.length, 0)).toBe(13)
  })

  test("vestedSupply at TGE and months 1–4 matches the spec's figures; each month of the unlock calendar holds exactly what vests in it", async () => {
    const at = (m: number) => new Date((GENESIS_TIME + m * ONE_MONTH) * 1000).toISOString()
    // TGE itself is before the first indexed block (the genesis transactions come after it): the TGE
    // figure is asked at the instant the last schedule was created; vestedSupply refuses what is before.
    const [{ created, immediates, first }] = await sql<{ created: Date; immediates: string; first: Date }>(
      dbUrl,
      `SELECT max(created_at) AS created, sum(immediate)::text AS immediates, (SELECT min(timestamp) FROM block) AS first FROM vesting_schedule`,
    )
    const asked = (m: number) => (m === 0 ? created.toISOString() : at(m))
    const expected = [155.4, 165.51, 175.3, 184.78, 193.96]
    for (let m = 0; m <= 4; m++) {
      const { vestedSupply: v } = await gql<{ vestedSupply: { total: string } }>(`query($t: DateTime!) { vestedSupply(at: $t) { total } }`, { t: asked(m) })
      expect(Math.round(Number(BigInt(v.total) / 10n ** 20n) / 100) / 100).toBe(expected[m])
    }
    const { unlockSchedule: u } = await gql<{ unlockSchedule: { start: string; end: string; total: string; byCategory: { category: string; amount: string }[] }[] }>(
      `query($f: DateTime!, $t: DateTime!) { unlockSchedule(from: $f, to: $t, interval: MONTH) { start end total byCategory { category amount } } }`,
      { f: at(0), t: at(60) },
    )
    // Calendar months (UTC), contiguous, from the month of TGE to the month holding month 60.
    const g = new Date(GENESIS_TIME * 1000)
    expect(u[0].start).toBe(new Date(Date.UTC(g.getUTCFullYear(), g.getUTCMonth(), 1)).toISOString())
    for (let i = 1; i < u.length; i++) expect(u[i].start).toBe(u[i - 1].end)
    for (const b of u) expect(new Date(b.end).getUTCDate()).toBe(1)
    const last = new Date(at(60))
    expect(u[u.length - 1].start).toBe(new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth(), 1)).toISOString())
    // Each month unlocks exactly what vests within it: vestedSupply (held to the spec's figures above) a second
    // before its end minus a second before its start, to the wei; its categories add up to its total.
    // Before the first indexed block vestedSupply is refused: there, what the calendar counts from is the
    // schedules' immediate amounts (unlocked at creation, in no month of the calendar).
    const vestedBefore = async (iso: string) =>
      new Date(iso).getTime() - 1000 < first.getTime()
        ? BigInt(immediates)
        : BigInt((await gql<{ vestedSupply: { total: string } }>(`query($t: DateTime!) { vestedSupply(at: $t) { total } }`, { t: new Date(new Date(iso).getTime() - 1000).toISOString() })).vestedSupply.total)
    for (const b of u) {
      expect({ start: b.start, total: BigInt(b.total) }).toEqual({ start: b.start, total: (await vestedBefore(b.end)) - (await vestedBefore(b.start)) })
      expect(b.byCategory.reduce((s, c) => s + BigInt(c.amount), 0n)).toBe(BigInt(b.total))
    }
  })

  test('holders: count, the largest with their labels, and the top-N distribution', async () => {
    const { holders: h } = await gql<{ holders: { count: number; top: { address: string; balance: string; label: string | null; share: number }[]; top10: { balance: string; share: number }; top1000: { balance: string } } }>(
      `{ holders(top: 10) { count top { address balance label share } top10 { balance share } top1000 { balance } } }`,
    )
    const [c] = await sql<{ n: string }>(dbUrl, `SELECT count(*)::text AS n FROM account WHERE balance > 0 AND id <> '0x0000000000000000000000000000000000000000'`)
    expect(h.count).toBe(Number(c.n))
    expect(h.top.length).toBe(10)
    expect(h.top.reduce((s, x) => s + BigInt(x.balance), 0n)).toBe(BigInt(h.top10.balance))
    // The ten largest balances of the index, each with its preset label or none (some of them are labelled).
    const largest = await sql<{ id: string; balance: string }>(dbUrl, `SELECT id, balance::text AS balance FROM account WHERE id <> '0x0000000000000000000000000000000000000000' ORDER BY balance::numeric DESC, id LIMIT 10`)
    const byBalance = (a: { balance: string }, b: { balance: string }) => (BigInt(b.balance) > BigInt(a.balance) ? 1 : BigInt(b.balance) < BigInt(a.balance) ? -1 : 0)
    expect(h.top.map((x) => x.balance)).toEqual(largest.map((x) => x.balance))
    const labels = new Map(preset.labels.map((l) => [l.address, l.label]))
    expect(h.top.map((x) => [x.address, x.label])).toEqual(h.top.map((x) => [x.address, labels.get(x.address) ?? null]))
    expect(h.top.filter((x) => x.label !== null).length).toBeGreaterThan(0)
    expect([...h.top].sort(byBalance)).toEqual(h.top)
    // Shares are of the total supply, to 9 decimals.
    const { supply } = await gql<{ supply: { totalSupply: string } }>('{ supply { totalSupply } }')
    const share = (b: string) => Number((BigInt(b) * 1_000_000_000n) / BigInt(supply.totalSupply)) / 1e9
    expect(h.top10.share).toBe(share(h.top10.balance))
    expect(h.top.map((x) => x.share)).toEqual(h.top.map((x) => share(x.balance)))
  })
})
