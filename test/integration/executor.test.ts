/**
 * graphql-jit (the default executor, src/api/jit.ts) answers exactly what
 * graphql-js answers: two API servers on one index, one with each executor,
 * are sent the same requests (the README's examples, literals and variables
 * of every scalar, fragments, directives, aliases, errors from resolvers and
 * from variables, introspection) and must reply with the same status and body.
 */
import fs from 'node:fs'
import path from 'node:path'
import { getIntrospectionQuery, getNamedType, type GraphQLNamedType, isLeafType, isNonNullType, isObjectType, parse } from 'graphql'
import { buildSchema } from '../../src/api/executable'
import { hasCustomScalarLiteral } from '../../src/api/jit'
import { ApiServer, startApiServer } from '../../src/api/server'
import { loadPreset } from '../../src/config'
import { ROOT, sql } from '../helpers'
import { IndexedApi, indexedApi } from '../helpers/api'

let t: IndexedApi
let interpreted: ApiServer
let someAccount: string
let someTime: string

beforeAll(async () => {
  t = await indexedApi({ eras: 60 })
  interpreted = await startApiServer({ databaseUrl: t.roUrl, preset: loadPreset('devnet'), host: '127.0.0.1', port: 0, executor: 'graphql-js' })
  ;[{ to_id: someAccount, t: someTime }] = await sql<{ to_id: string; t: string }>(
    t.dbUrl,
    `SELECT to_id, to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS t FROM transfer ORDER BY id LIMIT 1 OFFSET 40`,
  )
})

afterAll(async () => {
  await interpreted?.close()
  await t?.stop()
})

async function post(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, body: await res.json() }
}

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1])

const requests = (): [string, { query: string; variables?: Record<string, unknown>; operationName?: string }][] => [
  ...examples.map((query, i) => [`README example ${i}`, { query }] as [string, { query: string }]),
  ['BigInt and DateTime literals (executed by graphql-js)', { query: `{ transfers(first: 5, filter: { minValue: "1", timeFrom: "@TIME@" }) { nodes { id value timestamp } totalCount } }` }],
  ['the same as variables (compiled)', { query: `query($v: BigInt, $t: DateTime) { transfers(first: 5, filter: { minValue: $v, timeFrom: $t }) { nodes { id value timestamp } totalCount } }`, variables: { v: '1', t: '@TIME@' } }],
  ['a variable default of a custom scalar', { query: `query($v: BigInt = "1") { transfers(first: 3, filter: { minValue: $v }) { nodes { id value } } }` }],
  ['fragments, aliases, @include and @skip', {
    query: `query($yes: Boolean!) { a: accounts(first: 3) { nodes { ...A } } b: accounts(first: 2, orderBy: ADDRESS) { nodes { id @include(if: $yes) balance @skip(if: $yes) } pageInfo { hasNextPage endCursor } } }
            fragment A on Account { id balance transfers(first: 2) { nodes { id from to value } } }`,
    variables: { yes: true },
  }],
  ['an account with its nested lists', { query: `query($a: String!) { account(id: $a) { id balance delegations(first: 3) { nodes { id amount } } stakingHistory(first: 3) { nodes { __typename } } } }`, variables: { a: '@ACCOUNT@' } }],
  ['supply at a past instant, its history', { query: `query($t: DateTime!) { supply(timestamp: $t) { block { number } totalSupply circulatingSupply } supplyHistory(from: $t, to: $t, interval: DAY) { at circulatingSupply } }`, variables: { t: '@TIME@' } }],
  ['performance and the leaderboard', { query: `{ nodeLeaderboard(window: { eraFrom: 0 }, first: 5, orderBy: LATENCY_ASC) { nodes { node { id status } slaCompliance latencyP50Ms failedEras { uptime } } } networkPerformance(window: { lastDays: 1 }) { slaCompliance } }` }],
  ['the leaderboard of the dashboard (enum and input-object variables, a null cursor)', {
    query: `query Leaderboard($w: PerformanceWindow, $order: LeaderboardOrder, $filter: LeaderboardFilter, $after: String) {
      nodeLeaderboard(window: $w, orderBy: $order, filter: $filter, first: 50, after: $after) { totalCount pageInfo { hasNextPage endCursor }
        nodes { node { id region hwClass status } slaCompliance erasWithQuorum averageUptimeBps latencyP50Ms delegatedStake utilisation revenue } }
      networkPerformance(window: $w) { nodesByRegion { key } nodesByClass { key } } }`,
    variables: { w: { lastDays: 7 }, order: 'COMPLIANCE_DESC', filter: { status: 'VALIDATED' }, after: null },
  }],
  ['a resolver error (BAD_USER_INPUT naming the argument)', { query: `{ delegations(filter: { minAmount: "-5" }) { nodes { id } } }` }],
  ['a resolver error from a variable', { query: `query($n: Int) { transfers(first: $n) { nodes { id } } }`, variables: { n: -1 } }],
  ['a variable of the wrong type', { query: `query($n: Int) { transfers(first: $n) { nodes { id } } }`, variables: { n: 'many' } }],
  ['a malformed BigInt variable', { query: `query($v: BigInt) { transfers(first: 1, filter: { minValue: $v }) { nodes { id } } }`, variables: { v: '1e5' } }],
  ['a block out of range', { query: `{ nodes(block: { number: 999999999 }) { nodes { id } } }` }],
  ['an unknown operationName', { query: `query A { _meta { height } }`, operationName: 'Nope' }],
  ['a chosen operation', { query: `query A { _meta { height } } query B { accounts(first: 1) { nodes { id } } }`, operationName: 'B' }],
  ['introspection', { query: getIntrospectionQuery() }],
]

test.each(requests())('%s: graphql-jit and graphql-js answer the same', async (_name, template) => {
  // An account and an instant of this index, found once it exists.
  const request = JSON.parse(JSON.stringify(template).replaceAll('@TIME@', someTime).replaceAll('@ACCOUNT@', someAccount)) as typeof template
  const [jit, js] = await Promise.all([post(t.api.url, request), post(interpreted.url, request)])
  expect(jit).toEqual(js)
  // Something to compare: data, or the error the request is about.
  const body = jit.body as { data?: unknown; errors?: unknown[] }
  expect(body.data != null || (body.errors?.length ?? 0) > 0).toBe(true)
})

/**
 * Every top-level field whose arguments are all optional, with every field
 * below it that needs no argument, three levels deep (lists of 3): the
 * resolvers' results reach graphql-jit's generated code, which reads fields
 * without a resolver as plain properties (graphql-js would call a function
 * property: a lazy totalCount must have its resolver).
 */
function everyField(): [string, { query: string }][] {
  const schema = buildSchema()
  const selection = (type: GraphQLNamedType, depth: number): string => {
    if (!isObjectType(type)) return ''
    const parts: string[] = []
    for (const f of Object.values(type.getFields())) {
      if (f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue
      const named = getNamedType(f.type)
      const args = f.args.some((a) => a.name === 'first') ? '(first: 3)' : ''
      if (isLeafType(named)) parts.push(`${f.name}${args}`)
      else if (depth > 1 && isObjectType(named)) {
        const inner = selection(named, depth - 1)
        if (inner) parts.push(`${f.name}${args} { ${inner} }`)
      }
    }
    return parts.join(' ')
  }
  const out: [string, { query: string }][] = []
  for (const f of Object.values(schema.getQueryType()!.getFields())) {
    if (f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue
    const named = getNamedType(f.type)
    const args = f.args.some((a) => a.name === 'first') ? '(first: 3)' : ''
    const body = isLeafType(named) ? '' : ` { ${selection(named, 3)} }`
    out.push([`every field under ${f.name}`, { query: `{ ${f.name}${args}${body} }` }])
  }
  return out
}

test.each(everyField())('%s: graphql-jit and graphql-js answer the same', async (_name, request) => {
  const [jit, js] = await Promise.all([post(t.api.url, request), post(interpreted.url, request)])
  expect(jit).toEqual(js)
  const body = jit.body as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] }
  // Answered in full: the selection stays inside the query limits.
  expect(body.errors).toBeUndefined()
  expect(Object.values(body.data ?? {})).not.toContain(null)
})

test('graphql-jit runs what it can take; a custom scalar literal or variables that do not coerce go to graphql-js (/metrics counts both)', async () => {
  const counts = async () => {
    const text = await (await fetch(`${t.api.url}/metrics`)).text()
    const n = (engine: string) => Number(new RegExp(`^icn_api_executions_total\\{engine="${engine}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN)
    return { jit: n('jit'), js: n('graphql-js') }
  }
  const send = async (body: unknown) => expect((await post(t.api.url, body)).status).toBe(200)
  const c0 = await counts()
  await send({ query: `{ accounts(first: 2) { nodes { id } } }` })
  await send({ query: `query($n: Int) { transfers(first: $n) { nodes { id } } }`, variables: { n: 2 } })
  const c1 = await counts()
  expect(c1).toEqual({ jit: c0.jit + 2, js: c0.js })
  await send({ query: `{ transfers(first: 1, filter: { minValue: "1" }) { nodes { id } } }` })
  await send({ query: `query($n: Int) { transfers(first: $n) { nodes { id } } }`, variables: { n: 'two' } })
  expect(await counts()).toEqual({ jit: c1.jit, js: c1.js + 2 })
})

test('the examples answer data, so the comparison compares something', async () => {
  const r = (await post(t.api.url, { query: examples[0] })).body as { data?: Record<string, unknown> }
  expect(Object.values(r.data ?? {}).length).toBeGreaterThan(0)
})

test('a literal of a custom scalar, anywhere in the document, is found (those documents are interpreted)', () => {
  const schema = buildSchema()
  const has = (q: string) => hasCustomScalarLiteral(schema, parse(q))
  expect(has(`{ transfers(filter: { minValue: "1" }) { nodes { id } } }`)).toBe(true)
  expect(has(`{ supply(timestamp: "2026-01-01T00:00:00Z") { totalSupply } }`)).toBe(true)
  expect(has(`query($v: BigInt = "1") { transfers(filter: { minValue: $v }) { nodes { id } } }`)).toBe(true)
  expect(has(`{ a: transfers(first: 1) { nodes { id } } ...F } fragment F on Query { transfers(filter: { maxValue: "9" }) { totalCount } }`)).toBe(true)
  expect(has(`query($v: BigInt) { transfers(first: 5, filter: { minValue: $v, account: "0xab", blockFrom: 3 }) { nodes { id } } }`)).toBe(false)
  expect(has(`{ nodeLeaderboard(window: { lastDays: 30 }, orderBy: COMPLIANCE_DESC) { nodes { slaCompliance } } }`)).toBe(false)
})
