/**
 * The web dashboard at / against an indexed devnet: the server serves it
 * (and nothing else) under a same-origin CSP, and in a real browser (Debian's
 * chromium driven by playwright-core) every page shows the index's own
 * figures, the links between pages work, the status follows new blocks
 * live, the console stays clean and no request leaves the API's origin.
 * Screenshots of each page go to test-artifacts/screenshots/. The browser
 * part skips, loudly, where /usr/bin/chromium is not installed.
 */
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { Browser, BrowserContext, chromium, Page } from 'playwright-core'
import { loadPreset } from '../../src/config'
import { blockNumber, ROOT, sql, waitForHeight } from '../helpers'
import { IndexedApi, indexedApi, post, request } from '../helpers/api'
import { actor } from '../../src/devnet/actors'
import * as staking from '../../src/abi/ICNStaking'

// The functions passed to page.evaluate / waitForFunction run in the page;
// the project's TypeScript has no DOM library, so this is the little they use.
interface El {
  textContent: string | null
  getAttribute(name: string): string | null
}
declare const document: { querySelector(s: string): El | null; querySelectorAll(s: string): El[] }
declare const location: { hash: string }

const CHROMIUM = '/usr/bin/chromium'
const haveBrowser = fs.existsSync(CHROMIUM)
if (!haveBrowser) {
  console.warn(`\n${'!'.repeat(78)}\n!! SKIPPING the dashboard browser tests: ${CHROMIUM} is not installed (apt-get install chromium)\n${'!'.repeat(78)}\n`)
}

const SHOTS = path.join(ROOT, 'test-artifacts/screenshots')

/** The dashboard's short form of an exact ICNT decimal: thousands separators, two decimals cut (not rounded), trailing zeros dropped. */
function shortIcnt(exact: string): string {
  const [int, frac = ''] = exact.split('.')
  const cut = frac.slice(0, 2).replace(/0+$/, '')
  return `${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${cut ? `.${cut}` : ''}`
}

/** "1234.5 ICNT" → wei. */
function toWei(title: string): bigint {
  const [int, frac = ''] = title.replace(/ ICNT$/, '').split('.')
  return BigInt(int) * 10n ** 18n + BigInt(frac.padEnd(18, '0'))
}

const wei = (v: string) => {
  const frac = (BigInt(v) % 10n ** 18n).toString().padStart(18, '0').replace(/0+$/, '')
  return `${BigInt(v) / 10n ** 18n}${frac ? `.${frac}` : ''}`
}

/**
 * A browser cache's revalidation: If-None-Match (and the same
 * Accept-Encoding), nothing else. Not fetch(): given a conditional header it
 * adds `Cache-Control: no-cache`, an end-to-end reload that servers answer 200.
 */
function revalidate(url: string, etag: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'if-none-match': etag, 'accept-encoding': 'gzip' } }, (res) => {
        res.resume()
        resolve(res.statusCode)
      })
      .on('error', reject)
  })
}

let t: IndexedApi

beforeAll(async () => {
  t = await indexedApi({ eras: 120 })
}, 300_000)

afterAll(async () => {
  await t?.stop()
})

describe('the dashboard over HTTP', () => {
  test('/ is the page, its assets are under /dashboard/, all same-origin, gzipped and small', async () => {
    const page = await request(t.api.url, '/')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const csp = page.headers.get('content-security-policy')!
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("script-src 'self';")
    expect(csp).toContain(`connect-src 'self' ws://${new URL(t.api.url).host}`)
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')

    // Every script and stylesheet the page names is ours, under /dashboard/.
    const refs = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((u) => !u.startsWith('#') && u !== 'data:,' && u !== '/graphql')
    expect(refs.length).toBeGreaterThanOrEqual(4)
    for (const r of refs) expect(r.startsWith('/dashboard/')).toBe(true)
    const modules = ['app.mjs', 'api.mjs', 'format.mjs', 'charts.mjs', 'pages.mjs'].map((m) => `/dashboard/${m}`)
    let gzipped = 0
    for (const r of [...new Set([...refs, ...modules])]) {
      const res = await fetch(t.api.url + r, { headers: { 'accept-encoding': 'gzip' } })
      expect([r, res.status]).toEqual([r, 200])
      expect(res.headers.get('content-encoding')).toBe('gzip')
      expect(res.headers.get('content-security-policy')).toBe(csp)
      gzipped += Number(res.headers.get('content-length'))
      // A client holding the current version gets a 304.
      expect([r, await revalidate(t.api.url + r, res.headers.get('etag')!)]).toEqual([r, 304])
    }
    // The whole dashboard, uPlot included, is well under 100 kB on the wire.
    expect(gzipped).toBeLessThan(100_000)

    for (const p of ['/dashboard/', '/dashboard/nope.js', '/dashboard/%2e%2e/package.json', '/dashboard/..%2fpackage.json', '/index.html']) {
      expect([p, (await request(t.api.url, p)).status]).toEqual([p, 404])
    }
    expect((await request(t.api.url, '/', { method: 'POST' })).status).toBe(405)
  })
})

;(haveBrowser ? describe : describe.skip)('the dashboard in a browser', () => {
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let origin: string
  const offsite: string[] = []
  const problems: string[] = []

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true })
    origin = new URL(t.api.url).origin
    // --no-sandbox: CI runs as root, where chromium's sandbox cannot start.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] })
    context = await browser.newContext({ viewport: { width: 1360, height: 900 } })
    // Anything for another origin is recorded and refused: the dashboard must not need it.
    await context.route('**/*', async (route) => {
      const url = route.request().url()
      if (new URL(url).origin === origin) return route.continue()
      offsite.push(url)
      return route.abort()
    })
    page = await context.newPage()
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`)
    })
    page.on('websocket', (ws) => {
      if (new URL(ws.url()).host !== new URL(origin).host) offsite.push(ws.url())
    })
  })

  afterAll(async () => {
    await context?.close()
    await browser?.close()
  })

  afterEach(() => {
    // Whatever a test did, the page logged no error and asked nothing of another origin.
    expect(problems).toEqual([])
    expect(offsite).toEqual([])
  })

  /** Waits until `selector` is on the page and no page shows an error. */
  async function shown(selector: string): Promise<void> {
    await page.waitForSelector(`${selector}, #view .error`)
    const error = await page.$('#view .error')
    if (error) throw new Error(`the page shows an error: ${await error.textContent()}`)
  }

  const text = async (selector: string) => ((await page.textContent(selector)) ?? '').trim()
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })
  const rows = (selector: string) => page.$$eval(`${selector} tbody tr`, (trs) => trs.length)
  /** The exact amounts (wei) of each row's `.amt` cells, from their titles ("1234.5 ICNT"). */
  const amountsByRow = async (selector: string): Promise<bigint[][]> => {
    const titles = await page.$$eval(selector, (trs) => trs.map((tr) => Array.from((tr as unknown as { querySelectorAll(s: string): El[] }).querySelectorAll('.amt'), (a) => a.getAttribute('title') ?? '')))
    return titles.map((row) => row.map(toWei))
  }

  test('supply: the figures the REST endpoints give, the charts, allocations and excluded wallets', async () => {
    await page.goto(`${origin}/`)
    await shown('#supply-chart canvas')
    const circulating = (await request(t.api.url, '/supply/circulating')).text
    const total = (await request(t.api.url, '/supply/total')).text
    expect(await page.getAttribute('#circulating', 'title')).toBe(circulating)
    expect(await text('#circulating')).toBe(shortIcnt(circulating))
    expect(await page.getAttribute('#total-supply', 'title')).toBe(total)
    expect(await text('#total-supply')).toBe(shortIcnt(total))

    const categories = await sql<{ n: string }>(t.dbUrl, `SELECT count(DISTINCT category) AS n FROM vesting_schedule`)
    expect(await rows('#allocations')).toBe(Number(categories[0].n))
    const labels = loadPreset('devnet').labels
    expect(labels.length).toBeGreaterThan(0)
    expect(await rows('#excluded')).toBe(1 + labels.length) // the vesting contract, then each labelled wallet
    // ...and they add up to the non-circulating figure beside them.
    const excluded = (await amountsByRow('#excluded tbody tr')).flat()
    expect(excluded.reduce((a, b) => a + b, 0n)).toBe(toWei((await page.getAttribute('#non-circulating .amt', 'title'))!))
    // Allocations reconcile, per row and in the totals: allocated = vested + returned + still to vest,
    // released ≤ vested (exact, from the amounts' titles); the revoked team grant shows what it returned.
    const allocations = await amountsByRow('#allocations tbody tr, #allocations tfoot tr')
    expect(allocations.length).toBe(Number(categories[0].n) + 1)
    for (const [allocated, vested, released, returned, remaining] of allocations) {
      expect(vested + returned + remaining).toBe(allocated)
      expect(released <= vested).toBe(true)
    }
    const columns = await page.$$eval('#allocations thead th', (ths) => ths.map((th) => th.textContent ?? ''))
    const teamRow = await page.$$eval('#allocations tbody tr', (trs) => trs.map((tr) => tr.textContent ?? '').findIndex((x) => x.startsWith('Team')))
    expect(columns[4]).toBe('Returned')
    expect(allocations[teamRow][3] > 0n).toBe(true)
    const sums = allocations.slice(0, -1).reduce((acc, r) => acc.map((v, i) => v + r[i]))
    expect(allocations[allocations.length - 1]).toEqual(sums)

    // The unlock calendar: chart and table show the same 24 months, from the head's month; each row's total is its cells' sum.
    expect(await page.$('#unlock-chart canvas')).not.toBeNull()
    const months = await page.$$eval('#unlock-table tbody tr td:first-child', (tds) => tds.map((td) => td.textContent ?? ''))
    const chartMonths = ((await page.getAttribute('#unlock-chart', 'data-x')) ?? '').split(',').map((x) => new Date(Number(x) * 1000).toISOString().slice(0, 7))
    expect(months.length).toBe(24)
    expect(chartMonths).toEqual(months)
    const [{ ts }] = await sql<{ ts: string }>(t.dbUrl, `SELECT to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM') AS ts FROM indexer_status`)
    expect(months[0]).toBe(ts)
    for (const r of await amountsByRow('#unlock-table tbody tr')) expect(r.slice(0, -1).reduce((a, b) => a + b, 0n)).toBe(r[r.length - 1])
    // Before any hover, the supply chart's legend shows its latest values, not dashes.
    const legend = await page.$$eval('#supply-chart .u-legend .u-series:not(:first-child) .u-value', (vs) => vs.map((v) => v.textContent ?? ''))
    expect(legend.length).toBeGreaterThan(0)
    expect(legend.filter((v) => v === '–' || v === '')).toEqual([])
    await page.waitForFunction((h) => (document.querySelector('#live-text')?.textContent ?? '').includes(`block ${h}`), t.head.toLocaleString('en-US'))
    await shot('supply')
  })

  test('network: nodes by region and class add up to the indexed nodes, with the SLA chart', async () => {
    await page.click('nav a[data-nav="network"]')
    await shown('#by-region tbody tr')
    expect(new URL(page.url()).hash).toBe('#/network')
    const [{ n }] = await sql<{ n: string }>(t.dbUrl, `SELECT count(*) AS n FROM node`)
    expect(Number(n)).toBeGreaterThan(0)
    expect(await text('#node-count')).toBe(n)
    const sum = (sel: string) => page.$$eval(`${sel} tbody tr td:nth-child(2)`, (tds) => tds.reduce((s, td) => s + Number(td.textContent), 0))
    expect(await sum('#by-region')).toBe(Number(n))
    expect(await sum('#by-class')).toBe(Number(n))
    expect(await text('#network-sla')).toMatch(/^\d+\.\d%$/)
    expect(await page.$('#network-chart canvas')).not.toBeNull()
    expect(await rows('#hypernodes')).toBeGreaterThan(0)
    await shot('network')
  })

  test('nodes: the leaderboard lists every node, and its filters narrow it', async () => {
    await page.click('nav a[data-nav="nodes"]')
    await shown('#leaderboard tbody tr')
    const [{ n }] = await sql<{ n: string }>(t.dbUrl, `SELECT count(*) AS n FROM node`)
    expect(await rows('#leaderboard')).toBe(Math.min(50, Number(n)))
    await shot('nodes')

    const [{ region, count }] = await sql<{ region: string; count: string }>(t.dbUrl, `SELECT region, count(*) AS count FROM node GROUP BY region ORDER BY count(*) DESC, region LIMIT 1`)
    await page.selectOption('select[name="region"]', region)
    await page.waitForFunction((r) => location.hash.includes(`region=${r}`) && document.querySelector('#leaderboard') !== null, region)
    await shown('#leaderboard tbody tr')
    const regions = await page.$$eval('#leaderboard tbody tr td:nth-child(3)', (tds) => tds.map((td) => td.textContent))
    expect(regions).toEqual(Array(Number(count)).fill(region))
  })

  test('node: a leaderboard row opens the node page, with its SLA chart, delegations and bookings', async () => {
    const id = await page.getAttribute('#leaderboard tbody tr:first-child', 'data-node')
    await page.click(`#leaderboard tbody tr:first-child a[href="#/node/${id}"]`)
    await shown('#node-chart canvas')
    expect(new URL(page.url()).hash).toBe(`#/node/${id}`)
    expect(await text('h1')).toContain(`Node #${id}`)
    const [{ n }] = await sql<{ n: string }>(t.dbUrl, `SELECT count(*) AS n FROM delegation WHERE node_id::numeric = $1::numeric`, [id])
    const [{ b }] = await sql<{ b: string }>(t.dbUrl, `SELECT count(*) AS b FROM booking WHERE node_id::numeric = $1::numeric`, [id])
    expect(Number(n)).toBeGreaterThan(0)
    expect(await rows('#node-delegations')).toBe(Math.min(25, Number(n)))
    if (Number(b) > 0) expect(await rows('#node-bookings')).toBe(Math.min(25, Number(b)))
    expect(await text('#node-sla')).toMatch(/^\d+\.\d%$/)
    await shot('node')
  })

  test('wallet: the search opens a delegator, with its positions, staking feed and balance', async () => {
    const [d] = await sql<{ delegator: string }>(t.dbUrl, `SELECT delegator FROM delegation GROUP BY delegator ORDER BY count(*) DESC, delegator LIMIT 1`)
    const ids = (await sql<{ id: string }>(t.dbUrl, `SELECT id FROM delegation WHERE delegator = $1 ORDER BY created_block DESC, id DESC LIMIT 25`, [d.delegator])).map((r) => r.id)
    const [{ balance }] = await sql<{ balance: string }>(t.dbUrl, `SELECT balance::text AS balance FROM account WHERE id = $1`, [d.delegator])
    // Typed in upper case: the API takes addresses in any letter case.
    await page.fill('#wallet-input', d.delegator.toUpperCase().replace(/^0X/, '0x'))
    await page.click('#wallet-search button')
    await shown('#wallet-delegations tbody tr')
    expect(await text('#wallet-address')).toBe(d.delegator)
    const shownIds = await page.$$eval('#wallet-delegations tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-delegation')))
    expect(shownIds.sort()).toEqual([...ids].sort())
    expect(await page.getAttribute('#wallet-balance', 'title')).toBe(wei(balance))
    expect(await rows('#staking-history')).toBeGreaterThan(0)
    // Events read as words, not the API's identifiers ("Created v2", "Reward delegator pending").
    const kinds = await page.$$eval('#staking-history tbody tr td:nth-child(2) .badge', (bs) => bs.map((b) => b.textContent ?? ''))
    const words = ['Delegated', 'Undelegated', 'Reclaimed', 'Withdrawn', 'Slashed', 'Reward claim started', 'Reward claimed', 'Provider reward claimed', 'Collateral slashed']
    expect(kinds.filter((k) => !words.includes(k))).toEqual([])
    await shot('wallet')

    // A position's node link leads to that node; Back returns to the wallet.
    const nodeHref = await page.getAttribute('#wallet-delegations tbody tr:first-child a[href^="#/node/"]', 'href')
    await page.click(`#wallet-delegations tbody tr:first-child a[href="${nodeHref}"]`)
    await shown('#node-chart canvas')
    expect(new URL(page.url()).hash).toBe(nodeHref)
    await page.goBack()
    await shown('#wallet-delegations tbody tr')
    expect(await text('#wallet-address')).toBe(d.delegator)
  })

  test('wallet: an excluded wallet from the supply page shows its vesting schedule', async () => {
    await page.click('nav a[data-nav="supply"]')
    await shown('#excluded tbody tr a')
    const labelled = loadPreset('devnet').labels.map((l) => l.address.toLowerCase())
    const [v] = await sql<{ beneficiary: string; n: string }>(
      t.dbUrl,
      `SELECT beneficiary, count(*) AS n FROM vesting_schedule WHERE beneficiary = ANY($1) GROUP BY beneficiary ORDER BY beneficiary LIMIT 1`,
      [labelled],
    )
    expect(v).toBeDefined()
    await page.click(`#excluded a[href="#/wallet/${v.beneficiary}"]`)
    await shown('#vesting tbody tr')
    expect(await rows('#vesting')).toBe(Number(v.n))
    // The cliff is a date of its own (an instant, not an offset from the start); a curve's end is 30-day months on.
    const terms = await sql<{ cliff: string; start: string; curve: string[] | null; duration: string }>(t.dbUrl, `SELECT cliff::text, start::text, curve, duration::text FROM vesting_schedule WHERE beneficiary = $1 ORDER BY id`, [v.beneficiary])
    const cells = await page.$$eval('#vesting tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')))
    const dayOf = (s: number) => new Date(s * 1000).toISOString().slice(0, 10)
    terms.forEach((s, i) => {
      if (!s.curve) expect(cells[i][4]).toBe(dayOf(Number(s.cliff)))
      expect(cells[i][5]).toBe(dayOf(Number(s.start) + (s.curve ? s.curve.length * 30 * 86400 : Number(s.duration))))
    })
    await shot('wallet-vesting')
  })

  test('status: the head and lag, updated live when the indexer commits a new block', async () => {
    await page.click('nav a[data-nav="status"]')
    await shown('#status-height')
    expect(await text('#status-height')).toBe(t.head.toLocaleString('en-US'))
    expect(await text('#status-lag')).toBe('0 blocks')
    // A new era on chain: the indexer commits it, the subscription pushes it, the page shows it.
    await t.devnet.simulator.step()
    const head = await blockNumber(t.devnet.anvil.rpc)
    expect(head).toBeGreaterThan(t.head)
    await waitForHeight(t.dbUrl, head, t.indexer)
    await page.waitForFunction((h) => (document.querySelector('#status-height')?.textContent ?? '') === h && document.querySelectorAll('#blocks tbody tr').length > 0, head.toLocaleString('en-US'))
    await expect(page.textContent('#live-text')).resolves.toContain(`live · block ${head.toLocaleString('en-US')}`)
    await shot('status')
  })

  test('long lists page through the API\'s cursors to their end: a node\'s delegations, a wallet\'s positions and staking history', async () => {
    // More than 100 rows in one list: a delegator opens 120 positions on one node (the devnet has no list that long).
    const who = actor('delegator:0')
    const [{ id: nodeId }] = await sql<{ id: string }>(t.dbUrl, `SELECT node_id::text AS id FROM node WHERE status IN (1, 2) ORDER BY node_id LIMIT 1`)
    const time = (await t.devnet.chain.latestTimestamp()) + 1
    for (let i = 0; i < 120; i++) {
      t.devnet.chain.send({
        from: who,
        to: t.devnet.deployment.staking,
        data: staking.functions.delegate.encode({ nodeId: BigInt(nodeId), amount: 10n ** 18n, apyScalingFactor: 10n ** 18n, unlockTimestamp: BigInt(time + 3 * 86400) }),
        gas: 300_000,
        label: 'test delegation',
      })
    }
    await t.devnet.chain.mine(time)
    await waitForHeight(t.dbUrl, await blockNumber(t.devnet.anvil.rpc), t.indexer)

    /** Clicks the table's "Show more" until it is gone; the rows then are every one of the list, each once. */
    const toTheEnd = async (table: string, expected: string[]) => {
      await shown(`#${table} tbody tr`)
      expect(await page.$(`#${table}-more`)).not.toBeNull()
      while (await page.$(`#${table}-more`)) {
        const before = await rows(`#${table}`)
        await page.click(`#${table}-more`)
        await page.waitForFunction(([sel, n]) => document.querySelectorAll(`#${sel} tbody tr`).length > Number(n) || !document.querySelector(`#${sel}-more`), [table, before])
      }
      const ids = await page.$$eval(`#${table} tbody tr`, (trs) => trs.map((tr) => tr.getAttribute('data-id') ?? tr.getAttribute('data-delegation') ?? ''))
      expect(ids.length).toBe(expected.length)
      expect([...ids].sort()).toEqual([...expected].sort())
    }
    const onNode = (await sql<{ id: string }>(t.dbUrl, `SELECT id FROM delegation WHERE node_id::numeric = $1::numeric`, [nodeId])).map((r) => r.id)
    expect(onNode.length).toBeGreaterThan(100)
    await page.goto(`${origin}/#/node/${nodeId}`)
    await toTheEnd('node-delegations', onNode)

    await page.goto(`${origin}/#/wallet/${who}`)
    const positions = (await sql<{ id: string }>(t.dbUrl, `SELECT id FROM delegation WHERE delegator = $1`, [who])).map((r) => r.id)
    await toTheEnd('wallet-delegations', positions)
    // The card beside the table is the sum of its active rows, all pages of them.
    const active = await page.$$eval('#wallet-delegations tbody tr', (trs) =>
      trs.filter((tr) => (tr as unknown as { querySelector(s: string): El | null }).querySelector('td:nth-child(6)')?.textContent === 'ACTIVE').map((tr) => (tr as unknown as { querySelector(s: string): El | null }).querySelector('td:nth-child(4) .amt')?.getAttribute('title') ?? ''),
    )
    expect(active.length).toBeGreaterThan(100)
    expect(active.map(toWei).reduce((x, y) => x + y, 0n)).toBe(toWei((await page.getAttribute('#wallet-staked .amt', 'title'))!))
    const history = await post(t.api.url, { query: `{ stakingHistory(account: "${who}", first: 1000) { totalCount nodes { id } } }` })
    const events = (history.json!.data as { stakingHistory: { totalCount: number; nodes: { id: string }[] } }).stakingHistory
    expect(events.nodes.length).toBe(events.totalCount)
    await toTheEnd('staking-history', events.nodes.map((e) => e.id))
  })

  test('on a 390 px screen no page is wider than the screen: wide tables scroll inside their panel', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } })
    const p = await phone.newPage()
    try {
      const [{ delegator, node }] = await sql<{ delegator: string; node: string }>(t.dbUrl, `SELECT delegator, node_id::numeric::text AS node FROM delegation ORDER BY id LIMIT 1`)
      for (const [hash, selector] of [['#/', '#allocations'], ['#/nodes', '#leaderboard'], [`#/node/${node}`, '#node-delegations'], [`#/wallet/${delegator}`, '#wallet-delegations'], ['#/network', '#by-region']]) {
        await p.goto(`${origin}/${hash}`)
        await p.waitForSelector(`${selector} tbody tr`)
        const widths = await p.evaluate(() => {
          const d = document as unknown as { documentElement: { scrollWidth: number }; querySelectorAll(s: string): { scrollWidth: number; clientWidth: number; id: string }[] }
          const w = globalThis as unknown as { getComputedStyle(e: unknown): { overflowX: string } }
          const panels = Array.from(d.querySelectorAll('.panel'))
          return { page: d.documentElement.scrollWidth, clipped: panels.filter((x) => x.scrollWidth > x.clientWidth && w.getComputedStyle(x).overflowX !== 'auto').length }
        })
        expect({ hash, ...widths }).toEqual({ hash, page: 390, clipped: 0 })
      }
      await p.screenshot({ path: path.join(SHOTS, 'network-390px.png'), fullPage: true })
    } finally {
      await phone.close()
    }
  })

  test('an unknown address or route shows a message, not an error in the console', async () => {
    await page.evaluate(() => (location.hash = '#/wallet/0x0000000000000000000000000000000000000001'))
    await page.waitForFunction(() => (document.querySelector('#view p.muted')?.textContent ?? '').includes('never held ICNT'))
    await page.evaluate(() => (location.hash = '#/nowhere'))
    await page.waitForSelector('#view .error')
    expect(await text('#view .error')).toContain('no page at #/nowhere')
  })
})
