// The dashboard's entry: hash routing between the pages, the wallet search,
// and the live status in the header (the `blocks` subscription, with polling
// of _meta while the WebSocket is down).
import { followBlocks, gql } from './api.mjs'
import { destroyCharts } from './charts.mjs'
import { esc, int } from './format.mjs'
import { META, metaEmpty, metaHeights, networkPage, nodePage, nodesPage, statusPage, supplyPage, walletPage } from './pages.mjs'

const ROUTES = [
  { re: /^\/?$/, nav: 'supply', page: supplyPage },
  { re: /^\/network$/, nav: 'network', page: networkPage },
  { re: /^\/nodes$/, nav: 'nodes', page: nodesPage },
  { re: /^\/node\/([^/]+)$/, nav: 'nodes', page: nodePage, keys: ['id'] },
  { re: /^\/wallet\/([^/]+)$/, nav: null, page: walletPage, keys: ['id'] },
  { re: /^\/status$/, nav: 'status', page: statusPage },
]

const view = document.getElementById('view')
/** What the live header knows; the status page reads and follows it. */
const live = { meta: null, blocks: [], page: null }
let generation = 0

async function route() {
  const mine = ++generation
  const raw = location.hash.replace(/^#/, '')
  const [path, search = ''] = raw.split('?')
  const hit = ROUTES.find((r) => r.re.test(path))
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', !!hit && a.dataset.nav === hit.nav)
  destroyCharts()
  live.page = null
  view.setAttribute('aria-busy', 'true')
  view.innerHTML = '<p class="muted">Loading…</p>'
  try {
    if (!hit) throw new Error(`no page at #${raw}`)
    const m = path.match(hit.re)
    const params = { query: new URLSearchParams(search) }
    ;(hit.keys || []).forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1])))
    // A page renders into a detached element, shown only if it is still the
    // current route when its queries return (the user may have moved on).
    const el = document.createElement('div')
    const hooks = await hit.page(el, params, live)
    if (mine !== generation) return
    // (The charts follow their containers' width once attached.)
    view.replaceChildren(el)
    live.page = hooks || null
  } catch (e) {
    if (mine !== generation) return
    destroyCharts()
    view.innerHTML = `<h1>Something went wrong</h1><div class="error" role="alert">${esc(e.message || String(e))}</div>`
  } finally {
    if (mine === generation) view.setAttribute('aria-busy', 'false')
  }
  document.title = `ICN indexer · ${(view.querySelector('h1') || {}).textContent || 'Dashboard'}`
}

// ------------------------------------------------------------------ live status

const pill = document.getElementById('live')
const pillText = document.getElementById('live-text')
let connected = false

function showMeta(m) {
  live.meta = m
  pill.className = !connected ? 'offline' : m.lag > 5 ? 'lagging' : 'live'
  pillText.textContent = metaEmpty(m) ? 'nothing indexed yet' : `${connected ? 'live' : 'polling'} · ${metaHeights(m)} · lag ${int(m.lag)}`
  pill.title = m.chains.length > 1 ? m.chains.map((c) => `${c.chain}: indexed head ${c.height} (${c.timestamp}), chain head ${c.chainHead}, lag ${c.lag}`).join('; ') : `Indexed head ${m.height} (${m.timestamp}); chain head ${m.chainHead}; lag ${m.lag} blocks`
  if (live.page && live.page.onMeta) live.page.onMeta(m)
}

let metaPending = null
/** Fetches _meta, at most one request at a time. */
function refreshMeta() {
  if (metaPending) return metaPending
  metaPending = gql(META)
    .then((d) => showMeta(d._meta))
    .catch(() => {
      pill.className = 'offline'
      pillText.textContent = 'API unreachable'
    })
    .finally(() => (metaPending = null))
  return metaPending
}

followBlocks(
  (block) => {
    live.blocks = [block, ...live.blocks].slice(0, 20)
    if (live.page && live.page.onBlocks) live.page.onBlocks(live.blocks)
    refreshMeta()
  },
  (state) => {
    connected = state === 'live'
    if (live.meta) showMeta(live.meta)
  },
)
// While the subscription is down (or quiet), keep the lag current.
setInterval(() => refreshMeta(), 10_000)
refreshMeta()

// ------------------------------------------------------------------ wallet search

document.getElementById('wallet-search').addEventListener('submit', (ev) => {
  ev.preventDefault()
  const input = document.getElementById('wallet-input')
  const a = input.value.trim()
  if (!a) return
  location.hash = `#/wallet/${a}`
  input.value = ''
})

window.addEventListener('hashchange', route)
route()
