/**
 * Production switches of the API: CORS by configured origin, introspection
 * and the IDE that can be turned off; each config value validated.
 */
import { ApiServer, ApiServerOptions, startApiServer } from '../../src/api/server'
import { apiConfig, ConfigError, exportDatabaseUrlForSdk, loadPreset } from '../../src/config'
import { applyMigrations } from '../../src/db/migrate'
import { testDatabase } from '../helpers'

const preset = loadPreset('devnet')
let dbUrl: string
const servers: ApiServer[] = []

async function server(o: Partial<Omit<ApiServerOptions, 'databaseUrl' | 'preset' | 'host' | 'port'>> = {}): Promise<ApiServer> {
  const s = await startApiServer({ databaseUrl: dbUrl, preset, host: '127.0.0.1', port: 0, ...o })
  servers.push(s)
  return s
}

beforeAll(async () => {
  dbUrl = await testDatabase()
  exportDatabaseUrlForSdk(dbUrl)
  await applyMigrations()
})

afterAll(async () => {
  for (const s of servers) await s.close()
})

const Q = '/graphql?query=%7B_meta%7Bheight%7D%7D'

describe('CORS', () => {
  test('off by default: no CORS headers, and a preflight is refused', async () => {
    const s = await server()
    const r = await fetch(`${s.url}${Q}`, { headers: { origin: 'https://explorer.example' } })
    expect(r.status).toBe(200)
    expect(r.headers.get('access-control-allow-origin')).toBeNull()
    expect((await fetch(`${s.url}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://explorer.example' } })).status).toBe(405)
  })

  test('a configured origin is allowed, with its preflight; another is not', async () => {
    const s = await server({ corsOrigins: ['https://explorer.example'] })
    const ok = await fetch(`${s.url}${Q}`, { headers: { origin: 'https://explorer.example' } })
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://explorer.example')
    expect(ok.headers.get('vary')).toContain('Origin')
    const pre = await fetch(`${s.url}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://explorer.example', 'access-control-request-method': 'POST' } })
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET, POST')
    const other = await fetch(`${s.url}${Q}`, { headers: { origin: 'https://evil.example' } })
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
    const any = await server({ corsOrigins: ['*'] })
    expect((await fetch(`${any.url}/supply/total`, { headers: { origin: 'https://anyone.example' } })).headers.get('access-control-allow-origin')).toBe('*')
  })
})

describe('rate limit', () => {
  const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } })
  const statusesOf = async (url: string, n: number, init: RequestInit = {}) => {
    const out: number[] = []
    for (let i = 0; i < n; i++) out.push((await fetch(`${url}${Q}`, init)).status)
    return out
  }

  test('over the per-client limit: 429 with Retry-After and a code; health stays reachable', async () => {
    const s = await server({ rateLimit: 5 })
    const replies: Response[] = []
    for (let i = 0; i < 12; i++) replies.push(await fetch(`${s.url}${Q}`))
    const statuses = replies.map((r) => r.status)
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200])
    const refused = replies.find((r) => r.status === 429)!
    expect(refused).toBeDefined()
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await refused.json()).toEqual({ errors: [{ message: expect.stringMatching(/^rate limit of 5 requests per second exceeded; retry in \d+ s$/), extensions: { code: 'RATE_LIMITED' } }] })
    for (const p of ['/healthz', '/readyz', '/metrics']) expect([p, (await fetch(`${s.url}${p}`)).status]).not.toEqual([p, 429])
  })

  test('behind a trusted proxy each forwarded client has its own budget', async () => {
    const s = await server({ rateLimit: 2, trustProxy: ['127.0.0.1'] })
    expect(await statusesOf(s.url, 3, from('203.0.113.1'))).toEqual([200, 200, 429])
    expect(await statusesOf(s.url, 2, from('203.0.113.2'))).toEqual([200, 200])
  })

  test('without a trusted proxy X-Forwarded-For is ignored: a client cannot buy a new budget with it', async () => {
    const s = await server({ rateLimit: 2 })
    expect([...(await statusesOf(s.url, 2, from('203.0.113.1'))), ...(await statusesOf(s.url, 1, from('203.0.113.2')))]).toEqual([200, 200, 429])
  })
})

describe('production switches', () => {
  test('introspection and the IDE can be turned off', async () => {
    const s = await server({ introspection: false, ide: false })
    const r = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __schema { types { name } } }' }) })
    const body = (await r.json()) as { errors?: { message: string }[] }
    expect(body.errors?.[0].message).toMatch(/introspection/i)
    const page = await fetch(`${s.url}/graphql`, { headers: { accept: 'text/html' } })
    expect(page.headers.get('content-type') ?? '').not.toContain('text/html')
    expect((await fetch(`${s.url}/graphql/ide/graphiql.min.js`)).status).toBe(404)
    // ordinary queries still answer
    expect((await fetch(`${s.url}${Q}`)).status).toBe(200)
    const on = await server()
    expect((await fetch(`${on.url}/graphql`, { headers: { accept: 'text/html' } })).headers.get('content-type')).toContain('text/html')
  })

  test('bad values are refused naming the variable', () => {
    const base = { DATABASE_URL: 'postgres://u:p@localhost/db' }
    expect(() => apiConfig({ ...base, API_CORS_ORIGINS: 'ftp://x.example' })).toThrow(ConfigError)
    expect(() => apiConfig({ ...base, API_CORS_ORIGINS: 'https://x.example/path' })).toThrow(/API_CORS_ORIGINS/)
    expect(() => apiConfig({ ...base, API_IDE: 'maybe' })).toThrow('API_IDE="maybe" must be true or false')
    expect(() => apiConfig({ ...base, API_INTROSPECTION: 'no' })).toThrow(/API_INTROSPECTION/)
    expect(() => apiConfig({ ...base, API_EXECUTOR: 'fast' })).toThrow('API_EXECUTOR="fast" must be jit or graphql-js')
    expect(apiConfig(base).executor).toBe('jit')
    expect(apiConfig({ ...base, API_EXECUTOR: 'graphql-js' }).executor).toBe('graphql-js')
    expect(apiConfig({ ...base, API_CORS_ORIGINS: 'https://a.example, http://localhost:3000' }).corsOrigins).toEqual(['https://a.example', 'http://localhost:3000'])
    expect(apiConfig(base).trustProxy).toBe(false)
    expect(apiConfig({ ...base, API_TRUST_PROXY: 'true' }).trustProxy).toBe(true)
    expect(apiConfig({ ...base, API_TRUST_PROXY: '2' }).trustProxy).toBe(2)
    expect(apiConfig({ ...base, API_TRUST_PROXY: '10.0.0.0/8, ::1' }).trustProxy).toEqual(['10.0.0.0/8', '::1'])
    expect(() => apiConfig({ ...base, API_TRUST_PROXY: 'proxy.example' })).toThrow('API_TRUST_PROXY: "proxy.example" is not an IP address or CIDR range')
    expect(() => apiConfig({ ...base, API_TRUST_PROXY: '10.0.0.0/33' })).toThrow(/API_TRUST_PROXY/)
  })
})
