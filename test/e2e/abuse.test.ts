/**
 * Abuse of the real API over HTTP, connected as `npm start` connects it (the
 * read-only role): deep queries, alias floods, costly lists, huge `first`,
 * malformed bodies, invalid variables, oversize bodies and queries, wrong
 * methods and media types, a statement held past its timeout. Each gets a 4xx
 * or a coded GraphQL error, and afterwards the server still answers.
 */
import http from 'node:http'
import net from 'node:net'
import { getNamedType, GraphQLObjectType, isNonNullType, isObjectType } from 'graphql'
import { buildSchema } from '../../src/api/executable'
import { LINGER_BYTES } from '../../src/api/http-errors'
import { ApiServer, MAX_BODY_BYTES, startApiServer } from '../../src/api/server'
import { API_LIMIT_DEFAULTS, loadPreset } from '../../src/config'
import { waitFor, withDb } from '../helpers'
import { codesOf, getQuery, GRAPHQL_RESPONSE, HttpReply, IndexedApi, indexedApi, post, request, someSubscription } from '../helpers/api'

let t: IndexedApi
let base: string
let who: string
/** A second API on the same database with tight limits. */
let tight: ApiServer

beforeAll(async () => {
  t = await indexedApi({ eras: 6 })
  base = t.api.url
  who = t.devnet.deployment.treasury
  tight = await startApiServer({ databaseUrl: t.roUrl, preset: loadPreset('devnet'), host: '127.0.0.1', port: 0, limits: { statementTimeoutMs: 300, maxQueryLength: 2000 } })
})

afterAll(async () => {
  await tight?.close()
  await t?.stop()
})

const L = API_LIMIT_DEFAULTS

/** A request error: 400 under application/graphql-response+json, with exactly this code. */
function refused(r: HttpReply, code: string): void {
  expect({ status: r.status, codes: codesOf(r), data: r.json?.data }).toEqual({ status: 400, codes: [code], data: undefined })
}

/**
 * A valid query `depth` levels deep, following object fields of the API's
 * own schema that need no argument (connections asked for one item), or
 * undefined when the schema has no path that deep.
 */
function deepQuery(depth: number): string | undefined {
  const schema = buildSchema()
  const failed = new Set<string>()
  const dfs = (type: GraphQLObjectType, remaining: number): string | undefined => {
    if (remaining === 1) return '__typename'
    if (failed.has(`${type.name}/${remaining}`)) return undefined
    for (const f of Object.values(type.getFields())) {
      if (f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue
      const next = getNamedType(f.type)
      if (!isObjectType(next)) continue
      const inner = dfs(next, remaining - 1)
      if (inner) return `${f.name}${f.args.some((a) => a.name === 'first') ? '(first: 1)' : ''} { ${inner} }`
    }
    failed.add(`${type.name}/${remaining}`)
    return undefined
  }
  const body = dfs(schema.getQueryType()!, depth)
  return body && `{ ${body} }`
}

describe('deep queries', () => {
  test(`a query nested deeper than ${L.maxDepth} levels is QUERY_TOO_DEEP`, async () => {
    const valid = deepQuery(L.maxDepth + 8)
    if (valid) {
      refused(await post(base, { query: valid }), 'QUERY_TOO_DEEP')
      // At the limit exactly it runs.
      const atLimit = await post(base, { query: deepQuery(L.maxDepth)! })
      expect(codesOf(atLimit)).not.toContain('QUERY_TOO_DEEP')
      expect(atLimit.status).toBe(200)
    } else {
      console.warn('abuse: the schema has no path deeper than the limit; checking an invalid deep query only')
    }
    // Deep nonsense fails on depth too (beside the unknown-field errors).
    const nonsense = `{ _meta ${'{ a '.repeat(40)}${'}'.repeat(40)} }`
    const r = await post(base, { query: nonsense })
    expect(r.status).toBe(400)
    expect(codesOf(r)).toContain('QUERY_TOO_DEEP')
  })

  test('depth through fragments counts where they are spread', async () => {
    const frags = Array.from({ length: 20 }, (_, i) => `fragment F${i} on Meta { height ${i < 19 ? `... on Meta { ...F${i + 1} }` : ''} }`)
    // Inline fragments add no depth: this is 2 deep and runs.
    const ok = await post(base, { query: `{ _meta { ...F0 } } ${frags.join(' ')}` })
    expect(ok.status).toBe(200)
    expect(ok.json!.data).toEqual({ _meta: { height: t.head } })
  })

  test('the introspection query GraphiQL sends is within the limits', async () => {
    const { getIntrospectionQuery } = await import('graphql')
    const r = await post(base, { query: getIntrospectionQuery({ inputValueDeprecation: true, specifiedByUrl: true, directiveIsRepeatable: true }) })
    expect(r.status).toBe(200)
    expect(r.json!.errors).toBeUndefined()
  })

  test('introspection that nests its lists to blow up is refused by graphql-js', async () => {
    const r = await post(base, { query: '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }' })
    expect(r.status).toBe(400)
    expect(r.json!.errors![0].message).toBe('Maximum introspection depth exceeded')
  })
})

describe('alias floods', () => {
  test(`more than ${L.maxAliases} aliases is TOO_MANY_ALIASES`, async () => {
    const q = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: _meta { height }`).join(' ')} }`
    expect((await post(base, { query: q(L.maxAliases) })).status).toBe(200)
    refused(await post(base, { query: q(L.maxAliases + 1) }), 'TOO_MANY_ALIASES')
    refused(await post(base, { query: q(600) }), 'TOO_MANY_ALIASES')
    // A longer flood does not even reach the parser.
    refused(await post(base, { query: q(5000) }), 'QUERY_TOO_LONG')
  })

  test('aliases hidden in a fragment count once per spread', async () => {
    const inner = Array.from({ length: 8 }, (_, i) => `h${i}: height`).join(' ')
    const outer = Array.from({ length: 4 }, (_, i) => `m${i}: _meta { ...F }`).join(' ')
    // 4 + 4 × 8 = 36 aliases in a document that writes only 12.
    refused(await post(base, { query: `{ ${outer} } fragment F on Meta { ${inner} }` }), 'TOO_MANY_ALIASES')
  })
})

describe('costly lists', () => {
  const fields = 'nodes { id blockNumber txHash logIndex value }'
  // Each list: 1 + first × (nodes 1 + 5 fields) = 6,001 at first: 1000; nine cost 54,010 with account.
  const nine = (first: string) => Array.from({ length: 9 }, (_, i) => `t${i}: transfers(first: ${first}) { ${fields} }`).join(' ')

  test(`lists whose pages multiply past ${L.maxComplexity} are QUERY_TOO_COMPLEX`, async () => {
    const r = await post(base, { query: `{ account(id: "${who}") { ${nine('1000')} } }` })
    refused(r, 'QUERY_TOO_COMPLEX')
    expect(r.json!.errors![0].extensions).toMatchObject({ limit: L.maxComplexity, actual: 1 + 9 * 6001 })
  })

  test('the cost reads first from variables', async () => {
    const query = `query($n: Int) { account(id: "${who}") { ${nine('$n')} } }`
    refused(await post(base, { query, variables: { n: 1000 } }), 'QUERY_TOO_COMPLEX')
    const small = await post(base, { query, variables: { n: 2 } })
    expect(small.status).toBe(200)
    expect(small.json!.errors).toBeUndefined()
  })

  test('a huge first is BAD_USER_INPUT naming first, literal or variable', async () => {
    const lit = await post(base, { query: `{ account(id: "${who}") { transfers(first: 100000) { nodes { id } } } }` })
    expect(lit.status).toBe(200)
    expect(lit.json!.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/^first: must be between 0 and 1000/), extensions: { code: 'BAD_USER_INPUT', argument: 'first' } })])
    const v = await post(base, { query: `query($n: Int) { account(id: "${who}") { transfers(first: $n) { nodes { id } } } }`, variables: { n: 2 ** 31 - 1 } })
    expect(v.json!.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'first' })
    const neg = await post(base, { query: `{ account(id: "${who}") { transfers(last: -1) { nodes { id } } } }` })
    expect(neg.json!.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'last' })
  })

  test('a first beyond 32 bits is refused by the Int type itself', async () => {
    refused(await post(base, { query: `{ account(id: "${who}") { transfers(first: 99999999999) { nodes { id } } } }` }), 'GRAPHQL_VALIDATION_FAILED')
    refused(await post(base, { query: `query($n: Int) { account(id: "${who}") { transfers(first: $n) { nodes { id } } } }`, variables: { n: 1e12 } }), 'BAD_USER_INPUT')
  })
})

describe('malformed requests', () => {
  test.each([
    ['truncated JSON', '{"query": "{ _meta { height } }"'],
    ['an empty body', ''],
    ['a bare word', 'nul'],
    ['binary garbage', '\u0000\u00ff\u00fe{{{'],
    ['a JSON string', '"{ _meta { height } }"'],
    ['JSON null', 'null'],
  ])('%s is 400', async (_what, body) => {
    const r = await request(base, '/graphql', { method: 'POST', headers: { 'content-type': 'application/json', accept: GRAPHQL_RESPONSE }, body })
    expect(r.status).toBe(400)
    expect(codesOf(r)).toEqual(['BAD_REQUEST'])
  })

  test.each([
    ['a wrong type', 'query($id: String!) { account(id: $id) { id } }', { id: { nested: true } }],
    ['null for a required variable', 'query($id: String!) { account(id: $id) { id } }', { id: null }],
    ['an unknown enum value', 'query($o: ChainOrder) { account(id: "0x0000000000000000000000000000000000000001") { transfers(first: 1, orderBy: $o) { nodes { id } } } }', { o: 'SIDEWAYS' }],
  ])('a variable with %s is BAD_USER_INPUT', async (_what, query, variables) => {
    refused(await post(base, { query, variables }), 'BAD_USER_INPUT')
  })

  test('an unknown enum value written in the query fails validation', async () => {
    const r = await post(base, { query: `{ account(id: "${who}") { transfers(first: 1, orderBy: SIDEWAYS) { nodes { id } } } }` })
    refused(r, 'GRAPHQL_VALIDATION_FAILED')
    expect(r.json!.errors![0].message).toContain('SIDEWAYS')
  })

  test(`a query over ${L.maxQueryLength} characters is QUERY_TOO_LONG`, async () => {
    const r = await post(base, { query: `{ _meta { height } } # ${'x'.repeat(L.maxQueryLength)}` })
    refused(r, 'QUERY_TOO_LONG')
    expect(r.json!.errors![0].message).toBe(`the query is ${L.maxQueryLength + 23} characters long; the limit is ${L.maxQueryLength}`)
    // Over GET, Node refuses a URL that long first (431); a tighter limit shows the same error.
    expect((await getQuery(base, { query: `{ _meta { height } } # ${'x'.repeat(L.maxQueryLength)}` })).status).toBe(431)
    refused(await getQuery(tight.url, { query: `{ _meta { height } } # ${'x'.repeat(2000)}` }, { accept: GRAPHQL_RESPONSE }), 'QUERY_TOO_LONG')
  })

  test('a body over 1 MB is 413, a declared 20 MB one too', async () => {
    const r = await post(base, { query: '{ _meta { height } }', variables: { pad: 'x'.repeat(2 * MAX_BODY_BYTES) } })
    expect(r.status).toBe(413)
    expect(codesOf(r)).toEqual(['PAYLOAD_TOO_LARGE'])
    // A client announcing 20 MB is answered at once, without waiting for (or reading) the body.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = http.request(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(20_000_000) } })
      req.on('response', (res) => {
        res.resume()
        resolve(res.statusCode)
        req.destroy()
      })
      req.on('error', reject)
      req.write('{"query":')
    })
    expect(status).toBe(413)
  })

  /** A raw HTTP/1.1 connection to the API: what it has received, and whether the server closed it. */
  function rawConnection(): { socket: net.Socket; got: () => string; closed: () => boolean } {
    const socket = net.connect(Number(new URL(base).port), '127.0.0.1')
    let got = ''
    let closed = false
    socket.on('data', (d: Buffer) => (got += d.toString()))
    socket.on('close', () => (closed = true))
    socket.on('error', () => undefined)
    return { socket, got: () => got, closed: () => closed }
  }
  const postHead = (length: number) => `POST /graphql HTTP/1.1\r\nHost: api\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`

  test('an oversize body is answered 413 before it is sent, and the connection stays open: the rest is skipped and the next request answered', async () => {
    // Closing on a client still sending resets the connection, and a client
    // that had not read its 413 yet saw "fetch failed" instead (torture CI).
    const c = rawConnection()
    const body = JSON.stringify({ query: '{ _meta { height } }', pad: 'x'.repeat(MAX_BODY_BYTES + 100_000) })
    c.socket.write(postHead(Buffer.byteLength(body)))
    await waitFor('the 413', async () => c.got().includes('PAYLOAD_TOO_LARGE'), 10_000)
    c.socket.write(body)
    const q = JSON.stringify({ query: '{ _meta { height } }' })
    c.socket.write(postHead(Buffer.byteLength(q)) + q)
    await waitFor('the second answer', async () => c.closed() || c.got().includes('"height"'), 10_000)
    expect({ statuses: c.got().match(/HTTP\/1\.1 \d{3}/g), closed: c.closed() }).toEqual({ statuses: ['HTTP/1.1 413', 'HTTP/1.1 200'], closed: false })
    c.socket.destroy()
  })

  test(`a body declared over ${LINGER_BYTES / 1e6} MB is answered 413 and its connection closed, unread`, async () => {
    const c = rawConnection()
    c.socket.write(postHead(LINGER_BYTES + 1) + '{"query":')
    await waitFor('the connection to close', async () => c.closed(), 10_000)
    expect(c.got()).toMatch(/^HTTP\/1\.1 413 [^]*\r\nconnection: close\r\n[^]*PAYLOAD_TOO_LARGE/i)
  })

  test('a subscription over GET is 405; a wrong content-type is 415; a wrong method is 405', async () => {
    expect((await getQuery(base, { query: someSubscription() })).status).toBe(405)
    expect((await request(base, '/graphql', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{ _meta { height } }' })).status).toBe(415)
    expect((await request(base, '/graphql', { method: 'OPTIONS' })).status).toBe(405)
  })
})

describe('statement timeout', () => {
  test('a statement held past the timeout is cancelled with STATEMENT_TIMEOUT, and the next one runs', async () => {
    // An admin transaction locks the table _meta reads; the API's statement
    // waits on the lock until its statement_timeout cancels it.
    await withDb(t.dbUrl, async (admin) => {
      await admin.query('BEGIN')
      await admin.query('LOCK TABLE indexer_status IN ACCESS EXCLUSIVE MODE')
      try {
        const r = await post(tight.url, { query: '{ _meta { height } }' })
        expect(r.status).toBe(200)
        expect(r.json!.errors).toEqual([expect.objectContaining({ path: ['_meta'], extensions: { code: 'STATEMENT_TIMEOUT' } })])
        expect(r.json!.errors![0].message).toContain('300 ms statement timeout')
      } finally {
        await admin.query('ROLLBACK')
      }
    })
    expect((await post(tight.url, { query: '{ _meta { height } }' })).json).toEqual({ data: { _meta: { height: t.head } } })
  })
})

test('after all of that, and a burst of 300 bad requests at once, the server still answers', async () => {
  const bad = Array.from({ length: 300 }, (_, i) => {
    switch (i % 5) {
      case 0:
        return post(base, { query: `{ ${Array.from({ length: 100 }, (_, j) => `a${j}: _meta { height }`).join(' ')} }` })
      case 1:
        return request(base, '/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })
      case 2:
        return post(base, { query: `{ _meta ${'{ a '.repeat(30)}${'}'.repeat(30)} }` })
      case 3:
        return post(base, { query: 'query($id: String!) { account(id: $id) { id } }', variables: { id: 1 } })
      default:
        return request(base, '/graphql', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })
    }
  })
  const statuses = new Set((await Promise.all(bad)).map((r) => r.status))
  expect([...statuses].every((s) => s >= 400 && s < 500)).toBe(true)
  const r = await post(base, { query: '{ _meta { height } }' })
  expect(r.status).toBe(200)
  expect(r.json).toEqual({ data: { _meta: { height: t.head } } })
  expect((await request(base, '/healthz')).status).toBe(200)
})
