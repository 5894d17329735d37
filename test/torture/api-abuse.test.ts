/**
 * The API under abuse: more than 10,000 generated bad or abusive requests
 * (malformed JSON, invalid GraphQL, wrong variable types, deep nesting, alias
 * floods, huge lists, giant strings, SQL-like strings in every string
 * argument and filter of the schema, invalid addresses, batched operations,
 * wrong methods and media types) from eight clients, while two others send
 * ordinary queries. The API runs as its own process, as deployed: it must
 * never answer 5xx, stay up, keep its memory bounded, and answer every
 * ordinary query exactly as before.
 */
import { ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { getNamedType, GraphQLInputObjectType, GraphQLScalarType, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, isScalarType, GraphQLInputType } from 'graphql'
import { buildSchema } from '../../src/api/executable'
import { Rng } from '../../src/devnet/simulator'
import { freePort } from '../../src/runtime/ports'
import { IndexedApi, indexedApi } from '../helpers/api'
import { ROOT, waitFor } from '../helpers'

const SOAK = process.env.TORTURE_SOAK === '1'
const BAD_REQUESTS = SOAK ? 100_000 : 10_500
const ABUSERS = 8
const NORMAL_CLIENTS = 2

let t: IndexedApi
let api: ChildProcess
let base: string
let apiOutput = ''

beforeAll(async () => {
  t = await indexedApi({ eras: 40 })
  const port = await freePort()
  api = spawn(process.execPath, [path.join(ROOT, 'lib/api/main.js')], {
    // One process: its RSS is what the memory bound is checked on.
    env: { ...process.env, ICN_NETWORK: 'devnet', DATABASE_URL: t.roUrl, API_HOST: '127.0.0.1', API_PORT: String(port), API_WORKERS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  api.stdout!.on('data', (d: Buffer) => (apiOutput = (apiOutput + d.toString()).slice(-20_000)))
  api.stderr!.on('data', (d: Buffer) => (apiOutput = (apiOutput + d.toString()).slice(-20_000)))
  base = `http://127.0.0.1:${port}`
  await waitFor('the API process', async () => (await fetch(`${base}/healthz`)).ok, 30_000)
}, 240_000)

afterAll(async () => {
  api?.kill('SIGTERM')
  await t?.stop()
})

function rss(pid: number): { rss: number; peak: number } {
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(s)![1]) * 1024
  return { rss: kb('VmRSS'), peak: kb('VmHWM') }
}

const INJECTIONS = [
  `' OR 1=1 --`,
  `'; DROP TABLE account; --`,
  `" OR ""="`,
  `1; SELECT pg_sleep(10)`,
  `0x' UNION SELECT password FROM pg_shadow --`,
  `\\'; COPY account TO PROGRAM 'id'; --`,
  `%' AND 1=(SELECT 1) --`,
  `\u0000`,
  `$$; DELETE FROM transfer; $$`,
  `' || (SELECT current_user) || '`,
]

const BAD_ADDRESSES = ['0x', '0xZZZZ', '0x' + 'g'.repeat(40), '0x' + '1'.repeat(39), '0x' + '1'.repeat(41), 'vitalik.eth', '', ' 0x' + 'a'.repeat(40), '-1', '0x' + 'A'.repeat(40) + '00']

/** A literal of a value that is wrong for `type` (or, for strings, hostile). */
function hostileLiteral(type: GraphQLInputType, rng: Rng): string {
  const named = getNamedType(type)
  if (isScalarType(named)) {
    switch ((named as GraphQLScalarType).name) {
      case 'Int':
        return rng.pick(['2147483648', '-2147483649', '1e30', '"1"', '9999999999999999999999'])
      case 'Float':
        return rng.pick(['"NaN"', '1e400', 'true'])
      case 'Boolean':
        return rng.pick(['"true"', '1', 'null'])
      default:
        return JSON.stringify(rng.chance(0.5) ? rng.pick(INJECTIONS) : rng.pick(BAD_ADDRESSES))
    }
  }
  if (isEnumType(named)) return rng.pick(['"ASC"', 'DROP_TABLE', 'balance_DESC; --'])
  if (isInputObjectType(named)) {
    const fields = Object.values((named as GraphQLInputObjectType).getFields())
    const f = rng.pick(fields)
    return `{ ${f.name}: ${hostileLiteral(f.type, rng)} }`
  }
  return '"?"'
}

/** Every field of Query with a hostile value in one of its arguments, or in one field of its filter. */
function hostileQueries(rng: Rng): string[] {
  const schema = buildSchema()
  const out: string[] = []
  for (const f of Object.values(schema.getQueryType()!.getFields())) {
    if (f.args.length === 0) continue
    const ret = getNamedType(f.type)
    const sel = isObjectType(ret) ? ' { __typename }' : ''
    for (const a of f.args) {
      for (let i = 0; i < 4; i++) {
        const others = f.args.filter((o) => o !== a && isNonNullType(o.type)).map((o) => `${o.name}: ${goodLiteral(o.type)}`)
        out.push(`{ ${f.name}(${[`${a.name}: ${hostileLiteral(a.type, rng)}`, ...others].join(', ')})${sel} }`)
      }
    }
  }
  return out
}

/** A plausible literal for a required argument (so the hostile one is what gets checked). */
function goodLiteral(type: GraphQLInputType): string {
  const named = getNamedType(type)
  if (isListType(type)) return '[]'
  if (isEnumType(named)) return named.getValues()[0].name
  if (isScalarType(named)) return named.name === 'Int' ? '1' : named.name === 'Boolean' ? 'true' : '"0x' + 'a'.repeat(40) + '"'
  return '{}'
}

interface Bad {
  kind: string
  init: RequestInit & { path?: string }
}

const json = (body: unknown, accept = 'application/json'): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json', accept }, body: typeof body === 'string' ? body : JSON.stringify(body) })

/** The generator of bad requests: each call gives one, of a kind chosen at random. */
function badRequests(seed: number): () => Bad {
  const rng = new Rng(seed)
  const hostile = hostileQueries(new Rng(seed + 1))
  const valid = '{ accounts(first: 3) { nodes { id balance transfers(first: 2) { nodes { id value } } } } }'
  const kinds: (() => Bad)[] = [
    () => ({ kind: 'malformed JSON', init: json(JSON.stringify({ query: valid }).slice(0, rng.int(0, 40))) }),
    () => ({ kind: 'malformed JSON', init: json(rng.pick(['{', '[', '{"query":', 'null', '"{ accounts }"', '{"query": 5}', '\u0000\u0001', '{"query":"{}"}}}'])) }),
    () => {
      const q = valid.split('')
      for (let i = 0; i < 3; i++) q.splice(rng.int(0, q.length - 1), 1, rng.pick(['{', '}', '(', ')', '$', '!', '"', '@', '…']))
      return { kind: 'invalid GraphQL', init: json({ query: q.join('') }) }
    },
    () => ({ kind: 'invalid GraphQL', init: json({ query: rng.pick(['{ nope }', 'mutation { x }', 'query Q($a: Int) { accounts(first: $b) { nodes { id } } }', 'fragment F on Account { ...F } { account(id: "0x") { ...F } }', '{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }']) }) }),
    () => ({
      kind: 'wrong variable types',
      init: json({ query: 'query Q($n: Int, $id: String!) { accounts(first: $n) { nodes { id } } account(id: $id) { id } }', variables: { n: rng.pick(['ten', 1e20, { a: 1 }, [1], true]), id: rng.pick([5, null, { x: 'y' }, ['0x']]) } }),
    }),
    () => ({ kind: 'wrong variable types', init: json({ query: valid, variables: rng.pick(['not an object', [1, 2], 42]) }) }),
    () => {
      const depth = rng.int(13, 300)
      return { kind: 'deep nesting', init: json({ query: '{ accounts(first: 1) { nodes { ' + 'transfers(first: 1) { nodes { fromAccount { '.repeat(depth) + 'id' + ' } } }'.repeat(depth) + ' } } }' }) }
    },
    () => ({ kind: 'deep nesting', init: json({ query: '{'.repeat(rng.int(100, 5000)) + '}'.repeat(rng.int(0, 100)) }) }),
    () => {
      const n = rng.int(31, 3000)
      return { kind: 'alias flood', init: json({ query: '{ ' + Array.from({ length: n }, (_, i) => `a${i}: _meta { height }`).join(' ') + ' }' }) }
    },
    () => ({ kind: 'huge lists', init: json({ query: `{ transfers(first: ${rng.pick(['1001', '1000000000', '-1', '0', '2147483647'])}) { nodes { id } } }` }) }),
    () => ({ kind: 'huge lists', init: json({ query: `{ nodes(first: 1000) { nodes { delegations(first: 1000) { nodes { events { id } } } } } }` }) }),
    () => ({ kind: 'giant strings', init: json({ query: 'query Q($id: String!) { account(id: $id) { id } }', variables: { id: 'x'.repeat(rng.int(10_000, 900_000)) } }) }),
    () => ({ kind: 'giant strings', init: json({ query: `{ account(id: "${'0'.repeat(rng.int(21_000, 200_000))}") { id } }` }) }),
    () => ({ kind: 'giant strings', init: { ...json({ query: valid, pad: 'x'.repeat(1_100_000) }) } }),
    () => ({ kind: 'SQL-like strings in filters', init: json({ query: rng.pick(hostile) }) }),
    () => ({ kind: 'invalid addresses', init: json({ query: `{ account(id: ${JSON.stringify(rng.pick(BAD_ADDRESSES))}) { id balance } }` }) }),
    () => ({ kind: 'invalid addresses', init: json({ query: `{ transfers(first: 5, filter: { account: ${JSON.stringify(rng.pick(BAD_ADDRESSES))} }) { nodes { id } } }` }) }),
    () => ({ kind: 'batched operations', init: json(Array.from({ length: rng.int(2, 500) }, () => ({ query: valid }))) }),
    () => ({ kind: 'wrong method or media type', init: { method: rng.pick(['PUT', 'DELETE', 'PATCH']), headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: valid }) } }),
    () => ({ kind: 'wrong method or media type', init: { method: 'POST', headers: { 'content-type': rng.pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) }, body: JSON.stringify({ query: valid }) } }),
    () => ({ kind: 'wrong method or media type', init: { method: 'GET', path: `/graphql?query=${encodeURIComponent(rng.pick(['mutation { x }', '{', valid + '}'.repeat(50)]))}&variables=${encodeURIComponent(rng.pick(['{', '[]', '1']))}` } }),
    () => ({ kind: 'bad REST arguments', init: { method: 'GET', path: `/supply?block=${encodeURIComponent(rng.pick(['-1', 'abc', '1e99', "1' OR '1'='1", '99999999999999999999']))}` } }),
  ]
  return () => kinds[rng.int(0, kinds.length - 1)]()
}

const NORMAL = [
  '{ accounts(first: 10) { nodes { id balance } } }',
  '{ transfers(first: 20) { nodes { id from to value } pageInfo { hasNextPage endCursor } } }',
  '{ nodes(first: 10) { nodes { id status delegatedStake } } }',
]

async function normalAnswer(q: string): Promise<{ status: number; text: string }> {
  const r = await fetch(`${base}/graphql`, json({ query: q }))
  return { status: r.status, text: await r.text() }
}

test(`${BAD_REQUESTS} bad requests under normal traffic: no 5xx, the API stays up, memory stays bounded, normal queries keep their answers`, async () => {
  const expected = await Promise.all(NORMAL.map(normalAnswer))
  for (const e of expected) expect(JSON.parse(e.text).errors).toBeUndefined()
  const before = rss(api.pid!)

  const byKind = new Map<string, Map<number, number>>()
  const fiveHundreds: string[] = []
  const uncoded: string[] = []
  const codes = new Map<string, number>()
  let sent = 0
  let normalOk = 0
  const normalWrong: string[] = []
  let abusing = true

  const abuser = async (seed: number) => {
    const next = badRequests(seed)
    while (sent < BAD_REQUESTS) {
      sent++
      const b = next()
      let status: number
      try {
        const r = await fetch(base + (b.init.path ?? '/graphql'), b.init)
        const text = await r.text()
        status = r.status
        // A GraphQL answer's errors all carry a code, and never the catch-all of an unexpected failure.
        if ((r.headers.get('content-type') ?? '').includes('json')) {
          const errors = (JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[] }).errors ?? []
          for (const e of errors) {
            const code = e.extensions?.code
            if (!code || code === 'INTERNAL_SERVER_ERROR') uncoded.push(`${b.kind}: ${code ?? 'no code'}: ${e.message.slice(0, 200)}`)
            codes.set(code ?? '?', (codes.get(code ?? '?') ?? 0) + 1)
          }
        }
      } catch (e) {
        status = 0
        const cause = (e as Error & { cause?: { code?: string; message?: string } }).cause
        fiveHundreds.push(`${b.kind}: no answer (${(e as Error).message}${cause ? `: ${cause.code ?? cause.message}` : ''})`)
      }
      if (status >= 500) fiveHundreds.push(`${b.kind}: ${status}`)
      const k = byKind.get(b.kind) ?? new Map<number, number>()
      k.set(status, (k.get(status) ?? 0) + 1)
      byKind.set(b.kind, k)
    }
  }
  const normal = async (i: number) => {
    let n = i
    while (abusing) {
      const idx = n++ % NORMAL.length
      const got = await normalAnswer(NORMAL[idx])
      if (got.status === 200 && got.text === expected[idx].text) normalOk++
      else normalWrong.push(`${got.status} ${got.text.slice(0, 200)}`)
    }
  }
  const normals = Array.from({ length: NORMAL_CLIENTS }, (_, i) => normal(i))
  await Promise.all(Array.from({ length: ABUSERS }, (_, i) => abuser(1000 + i)))
  abusing = false
  await Promise.all(normals)

  const after = rss(api.pid!)
  const summary = Object.fromEntries([...byKind].map(([k, m]) => [k, Object.fromEntries(m)]))
  console.log(
    `API abuse: ${sent} bad requests ${JSON.stringify(summary)}; error codes ${JSON.stringify(Object.fromEntries(codes))}; ${normalOk} normal queries answered exactly; ` +
      `API RSS ${Math.round(before.rss / 2 ** 20)} MiB before, ${Math.round(after.rss / 2 ** 20)} MiB after, peak ${Math.round(after.peak / 2 ** 20)} MiB`,
  )
  expect(sent).toBeGreaterThanOrEqual(BAD_REQUESTS)
  expect(fiveHundreds.slice(0, 20)).toEqual([])
  expect(uncoded.slice(0, 20)).toEqual([])
  expect(normalWrong.slice(0, 5)).toEqual([])
  expect(normalOk).toBeGreaterThan(100)
  // Every kind of abuse was sent, and each got a client error (or a GraphQL error under the legacy application/json rule).
  expect(byKind.size).toBe(12)
  for (const [kind, m] of byKind) for (const status of m.keys()) expect([kind, status >= 200 && status < 500]).toEqual([kind, true])
  // Up and answering, with bounded memory: the 1 MB bodies and 900 KB variables do not accumulate.
  expect(api.exitCode).toBeNull()
  expect((await fetch(`${base}/healthz`)).status).toBe(200)
  expect(after.peak).toBeLessThan(600 * 2 ** 20)
  expect(after.rss - before.rss).toBeLessThan(200 * 2 ** 20)
  expect(apiOutput).not.toMatch(/TypeError|RangeError|unhandled|FATAL/i)
}, 600_000)
