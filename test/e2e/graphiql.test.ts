/**
 * GraphiQL in a real browser (Debian's chromium driven by playwright-core):
 * the page at /graphql loads, introspects the schema, runs a query and shows
 * its result, and no request ever leaves the API's origin (so it works
 * offline). Skips, loudly, where /usr/bin/chromium is not installed.
 */
import fs from 'node:fs'
import { chromium, Browser } from 'playwright-core'
import { IndexedApi, indexedApi } from '../helpers/api'

// The functions passed to page.evaluate run in the page; the project's
// TypeScript has no DOM library, so this is the little of it they use.
declare const document: { querySelector(selector: string): { textContent: string | null } | null }

const CHROMIUM = '/usr/bin/chromium'
const haveBrowser = fs.existsSync(CHROMIUM)
if (!haveBrowser) {
  console.warn(`\n${'!'.repeat(78)}\n!! SKIPPING the GraphiQL browser test: ${CHROMIUM} is not installed (apt-get install chromium)\n${'!'.repeat(78)}\n`)
}

;(haveBrowser ? describe : describe.skip)('GraphiQL in a browser', () => {
  let t: IndexedApi
  let browser: Browser

  beforeAll(async () => {
    t = await indexedApi({ eras: 4 })
    // --no-sandbox: CI runs as root, where chromium's sandbox cannot start.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] })
  })

  afterAll(async () => {
    await browser?.close()
    await t?.stop()
  })

  test('runs { _meta { height } } and shows the result, with every request to the API itself', async () => {
    const origin = new URL(t.api.url).origin
    const context = await browser.newContext()
    const requested: string[] = []
    const offsite: string[] = []
    // Anything for another origin is recorded and refused: the page must not need it.
    await context.route('**/*', async (route) => {
      const url = route.request().url()
      requested.push(url)
      if (new URL(url).origin === origin) return route.continue()
      offsite.push(url)
      return route.abort()
    })
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`)
    })
    page.on('websocket', (ws) => {
      if (new URL(ws.url()).host !== new URL(origin).host) offsite.push(ws.url())
    })
    const introspection = page.waitForResponse((r) => r.url() === `${origin}/graphql` && (r.request().postData() ?? '').includes('__schema'))

    await page.goto(`${origin}/graphql`)
    await page.waitForSelector('.graphiql-query-editor .CodeMirror')
    const introspected = await introspection
    expect(introspected.status()).toBe(200)
    expect(((await introspected.json()) as { errors?: unknown }).errors).toBeUndefined()

    await page.evaluate((q) => {
      const el = document.querySelector('.graphiql-query-editor .CodeMirror') as unknown as { CodeMirror: { setValue(v: string): void } }
      el.CodeMirror.setValue(q)
    }, '{ _meta { height } }')
    await page.click('.graphiql-execute-button')
    await page.waitForFunction((h) => (document.querySelector('.graphiql-response')?.textContent ?? '').replace(/\s+/g, '').includes(`"height":${h}`), t.head)
    const shown = (await page.textContent('.graphiql-response'))!.replace(/\s+/g, '')
    expect(shown).toContain(`{"data":{"_meta":{"height":${t.head}}}}`)

    expect(offsite).toEqual([])
    expect(requested.length).toBeGreaterThanOrEqual(6) // the page, four scripts, the stylesheet, then GraphQL
    expect(requested.every((u) => new URL(u).origin === origin)).toBe(true)
    // The page names its icon (an empty one), so a browser asks for no /favicon.ico, which is not there
    // (Playwright does not route favicon requests, so the page's own link is what is checked).
    expect(await page.getAttribute('link[rel="icon"]', 'href')).toBe('data:,')
    expect(problems).toEqual([])
    await context.close()
  })
})
