/**
 * The GraphQL-over-HTTP spec's own conformance audit (graphql-http's
 * serverAudits, written by the spec's editors) against the real API: every
 * MUST holds, and every SHOULD too (no audit may even warn).
 */
import { serverAudits } from 'graphql-http'
import { IndexedApi, indexedApi } from '../helpers/api'

let t: IndexedApi

beforeAll(async () => {
  t = await indexedApi({ eras: 2 })
})

afterAll(async () => {
  await t?.stop()
})

test('every audit of the GraphQL-over-HTTP spec passes', async () => {
  const audits = serverAudits({ url: `${t.api.url}/graphql`, fetchFn: fetch })
  const results = await Promise.all(audits.map(async (a) => ({ id: a.id, name: a.name, result: await a.fn() })))
  expect(results.length).toBeGreaterThan(30)
  const failed = results.filter((r) => r.result.status !== 'ok').map((r) => `${r.result.status}: ${r.name}: ${'reason' in r.result ? r.result.reason : ''}`)
  expect(failed).toEqual([])
})
