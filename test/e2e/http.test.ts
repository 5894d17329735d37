/**
 * GraphQL over HTTP as the GraphQL-over-HTTP spec says, against the real API
 * on an indexed devnet: GET and POST, the `application/graphql-response+json`
 * media type and its status codes, the legacy `application/json` rules, and
 * the HTTP layer's own answers (405, 404, 415, 400, 413). GraphiQL's page and
 * assets are checked here too (the browser test drives them).
 */
import { IDE_PREFIX } from '../../src/api/ide'
import { codesOf, getQuery, GRAPHQL_RESPONSE, IndexedApi, indexedApi, post, request, someSubscription } from '../helpers/api'

let t: IndexedApi
let base: string

beforeAll(async () => {
  t = await indexedApi({ eras: 6 })
  base = t.api.url
})

afterAll(async () => {
  await t?.stop()
})

const META = '{ _meta { height } }'
const mediaType = (h: Headers) => (h.get('content-type') ?? '').split(';')[0]

describe('POST', () => {
  test('application/json in, application/json out by default', async () => {
    const r = await request(base, '/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: META }) })
    expect(r.status).toBe(200)
    expect(mediaType(r.headers)).toBe('application/json')
    expect(r.json).toEqual({ data: { _meta: { height: t.head } } })
  })

  test('a client accepting application/graphql-response+json gets it', async () => {
    const r = await post(base, { query: META })
    expect(r.status).toBe(200)
    expect(mediaType(r.headers)).toBe(GRAPHQL_RESPONSE)
    expect(r.json).toEqual({ data: { _meta: { height: t.head } } })
  })

  test('variables and operationName pick and feed the operation', async () => {
    const query = 'query A { _meta { hash } } query B($id: String!) { account(id: $id) { id } }'
    const r = await post(base, { query, operationName: 'B', variables: { id: t.devnet.deployment.treasury } })
    expect(r.status).toBe(200)
    expect(r.json!.data).toEqual({ account: { id: t.devnet.deployment.treasury.toLowerCase() } })
  })

  test('a client accepting neither JSON type gets 406', async () => {
    const r = await post(base, { query: META }, 'text/plain')
    expect(r.status).toBe(406)
  })
})

describe('GET', () => {
  test('runs a query from the query string, with no special headers', async () => {
    const r = await getQuery(base, { query: META })
    expect(r.status).toBe(200)
    expect(r.json).toEqual({ data: { _meta: { height: t.head } } })
  })

  test('takes variables and operationName from the query string', async () => {
    const r = await getQuery(
      base,
      { query: 'query Q($id: String!) { account(id: $id) { id } }', variables: JSON.stringify({ id: t.devnet.deployment.treasury }), operationName: 'Q' },
      { accept: GRAPHQL_RESPONSE },
    )
    expect(r.status).toBe(200)
    expect(mediaType(r.headers)).toBe(GRAPHQL_RESPONSE)
    expect(r.json!.data).toEqual({ account: { id: t.devnet.deployment.treasury.toLowerCase() } })
  })

  test.each([
    ['subscription', someSubscription()],
    ['mutation', 'mutation { _meta { height } }'],
  ])('a %s over GET is 405 with Allow: POST', async (op, query) => {
    const r = await getQuery(base, { query }, { accept: GRAPHQL_RESPONSE })
    expect(r.status).toBe(405)
    expect(r.headers.get('allow')).toBe('POST')
    expect(r.json!.errors![0].message).toBe(`GET requests only support query operations, not ${op} operations`)
  })

  test('a GET with a content-type other than JSON is 415', async () => {
    const r = await getQuery(base, { query: META }, { 'content-type': 'text/plain' })
    expect(r.status).toBe(415)
  })
})

describe('status codes of request errors by media type', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a parse error', { query: '{ _meta { height ' }, 'GRAPHQL_PARSE_FAILED'],
    ['a validation error', { query: '{ _meta { nosuchfield } }' }, 'GRAPHQL_VALIDATION_FAILED'],
    ['a variable of the wrong type', { query: 'query($id: String!) { account(id: $id) { id } }', variables: { id: 5 } }, 'BAD_USER_INPUT'],
    ['a missing required variable', { query: 'query($id: String!) { account(id: $id) { id } }' }, 'BAD_USER_INPUT'],
    ['an unknown operationName', { query: META, operationName: 'Nope' }, 'OPERATION_RESOLUTION_FAILURE'],
  ]

  test.each(cases)('%s: 400 with application/graphql-response+json', async (_what, body, code) => {
    const r = await post(base, body)
    expect(r.status).toBe(400)
    expect(mediaType(r.headers)).toBe(GRAPHQL_RESPONSE)
    expect(r.json!.data).toBeUndefined()
    expect(codesOf(r)).toEqual([code])
  })

  test.each(cases)('%s: 200 with application/json (the legacy rule)', async (_what, body, code) => {
    const r = await post(base, body, 'application/json')
    expect(r.status).toBe(200)
    expect(mediaType(r.headers)).toBe('application/json')
    expect(codesOf(r)).toEqual([code])
  })

  test('a field error is 200 with partial data under both media types, naming the argument', async () => {
    for (const accept of [GRAPHQL_RESPONSE, 'application/json']) {
      const r = await post(base, { query: '{ _meta { height } account(id: "0x123") { id } }' }, accept)
      expect(r.status).toBe(200)
      expect(r.json!.data).toEqual({ _meta: { height: t.head }, account: null })
      expect(r.json!.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument: 'id' } })])
    }
  })
})

describe('the HTTP layer', () => {
  test.each(['PUT', 'DELETE', 'PATCH'])('%s /graphql is 405 with Allow: GET, HEAD, POST', async (method) => {
    const r = await request(base, '/graphql', { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: META }) })
    expect(r.status).toBe(405)
    expect(r.headers.get('allow')).toBe('GET, HEAD, POST')
    expect(codesOf(r)).toEqual(['METHOD_NOT_ALLOWED'])
  })

  test.each(['/healthz', '/supply', '/', '/dashboard/app.mjs', `${IDE_PREFIX}start.js`])('POST %s is 405 with Allow: GET, HEAD', async (p) => {
    const r = await request(base, p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect({ status: r.status, allow: r.headers.get('allow'), codes: codesOf(r) }).toEqual({ status: 405, allow: 'GET, HEAD', codes: ['METHOD_NOT_ALLOWED'] })
  })

  test('an unknown path is 404', async () => {
    const r = await request(base, '/nosuchpath')
    expect(r.status).toBe(404)
    expect(codesOf(r)).toEqual(['NOT_FOUND'])
    expect((await request(base, `${IDE_PREFIX}nosuch.js`)).status).toBe(404)
  })

  test.each([
    ['text/plain', 'text/plain'],
    ['form-encoded', 'application/x-www-form-urlencoded'],
    ['application/graphql', 'application/graphql'],
  ])('a POST body in %s is 415', async (_what, ct) => {
    const r = await request(base, '/graphql', { method: 'POST', headers: { 'content-type': ct }, body: META })
    expect(r.status).toBe(415)
    expect(codesOf(r)).toEqual(['UNSUPPORTED_MEDIA_TYPE'])
    expect(r.json!.errors![0].message).toContain('application/json')
  })

  test('a POST with no content-type is 415', async () => {
    const r = await request(base, '/graphql', { method: 'POST', body: new Uint8Array(Buffer.from(JSON.stringify({ query: META }))) })
    expect(r.status).toBe(415)
  })

  test('malformed JSON is 400 saying so', async () => {
    const r = await request(base, '/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ _meta { height } }"' })
    expect(r.status).toBe(400)
    expect(codesOf(r)).toEqual(['BAD_REQUEST'])
    expect(r.json!.errors![0].message).toMatch(/^the request body is not valid JSON/)
  })

  test.each([
    ['no query', { variables: {} }],
    ['a query that is not a string', { query: 5 }],
    ['variables that are not an object', { query: META, variables: '[1]' }],
    ['a batch (not supported)', [{ query: META }]],
  ])('a JSON body with %s is 400', async (_what, body) => {
    const r = await post(base, body)
    expect(r.status).toBe(400)
    expect(codesOf(r)).toEqual(['BAD_REQUEST'])
  })

  test('a body over 1 MB is 413', async () => {
    const r = await post(base, { query: META, variables: { pad: 'x'.repeat(1_100_000) } })
    expect(r.status).toBe(413)
    expect(codesOf(r)).toEqual(['PAYLOAD_TOO_LARGE'])
  })

  test.each(['/graphql?query=%7B_meta%7Bheight%7D%7D', '/healthz', '/readyz', '/metrics', '/supply/total', '/supply', '/', '/dashboard/app.mjs', `${IDE_PREFIX}start.js`])(
    'HEAD %s answers as GET does, without a body',
    async (p) => {
      const get = await request(base, p)
      const head = await request(base, p, { method: 'HEAD' })
      expect({ status: head.status, type: head.headers.get('content-type'), body: head.text }).toEqual({ status: get.status, type: get.headers.get('content-type'), body: '' })
      expect(get.status).toBe(200)
      expect(get.text.length).toBeGreaterThan(0)
    },
  )

  test('every answer carries X-Content-Type-Options: nosniff', async () => {
    const answers = [
      await post(base, { query: META }),
      await post(base, { query: '{ nosuchfield }' }),
      await request(base, '/nosuchpath'),
      await request(base, '/graphql', { method: 'PUT' }),
      await request(base, '/graphql', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: META }),
      await post(base, { query: META, variables: { pad: 'x'.repeat(1_100_000) } }),
      await request(base, '/healthz'),
      await request(base, '/supply/total'),
      await request(base, '/'),
    ]
    expect(answers.map((r) => [r.status, r.headers.get('x-content-type-options')])).toEqual(answers.map((r) => [r.status, 'nosniff']))
  })

  test('/healthz answers', async () => {
    const r = await request(base, '/healthz')
    expect(r.status).toBe(200)
    expect(r.json).toEqual({ status: 'ok' })
  })
})

describe('GraphiQL', () => {
  test('a browser opening /graphql gets the IDE, every asset from this server', async () => {
    const r = await request(base, '/graphql', { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } })
    expect(r.status).toBe(200)
    expect(mediaType(r.headers)).toBe('text/html')
    expect(r.headers.get('content-security-policy')).toContain("connect-src 'self'")
    expect(r.text).not.toMatch(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i)
    // Every asset the page loads, but its icon: an empty data: URL, so a browser asks for no /favicon.ico.
    const links = [...r.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1])
    expect(links.filter((a) => a.startsWith('data:'))).toEqual(['data:,'])
    const assets = links.filter((a) => !a.startsWith('data:'))
    expect(assets.length).toBe(5)
    for (const a of assets) {
      expect(a.startsWith(IDE_PREFIX)).toBe(true)
      const asset = await request(base, a)
      expect({ a, status: asset.status }).toEqual({ a, status: 200 })
      expect(asset.text.length).toBeGreaterThan(100)
    }
  })

  test('a client asking for JSON (or with a query) gets GraphQL, not the page', async () => {
    expect((await getQuery(base, { query: META }, { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' })).json).toEqual({ data: { _meta: { height: t.head } } })
    const r = await request(base, '/graphql', { headers: { accept: 'application/json' } })
    expect(r.status).toBe(400)
    expect(mediaType(r.headers)).toBe('application/json')
  })
})
