// The dashboard's pages. Each takes the view element and the route's
// parameters, queries the API and renders; lists always ask for small pages
// (the API refuses a query whose cost is over its limit).
import { gql } from './api.mjs'
import { COLORS, timeChart } from './charts.mjs'
import { amount, badge, bar, bpsPct, day, exactIcnt, html, icnt, icntNumber, int, localId, ms, nodeLink, pct, seconds, short, stakingLabel, title, walletLink, when } from './format.mjs'

const card = (k, v, n, id) => html`<div class="card"><div class="k">${k}</div><div class="v"${id ? html` id="${id}"` : ''}>${v}</div>${n ? html`<div class="n">${n}</div>` : ''}</div>`
const panel = (h, body, id) => html`<section class="panel"${id ? html` id="${id}"` : ''}><h2>${h}</h2>${body}</section>`
const empty = (what) => html`<p class="muted">${what}</p>`
const icntScale = (label = 'ICNT') => ({ label, fmt: (v) => (v >= 1e6 ? `${(v / 1e6).toFixed(v >= 1e7 ? 0 : 1)}M` : v >= 1e3 ? `${(v / 1e3).toFixed(0)}k` : String(v)) })
const pctScale = (label) => ({ label, fmt: (v) => `${Number(v).toFixed(0)}%`, range: [0, 100] })
const HOUR = 3600_000
const DAY = 24 * HOUR

/** A supply series needs at most a few hundred points: the finest interval that fits. */
function supplyInterval(spanMs) {
  if (spanMs <= 10 * DAY) return 'HOUR'
  if (spanMs <= 400 * DAY) return 'DAY'
  if (spanMs <= 5 * 365 * DAY) return 'WEEK'
  return 'MONTH'
}

const addMonths = (ms, n) => {
  const d = new Date(ms)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1)
}

/**
 * A "Show more" button under the table `#id` while its connection has a next
 * page: each click fetches the next page through the API's cursor
 * (`load(after)` → the connection) and appends its rows (`row(node)` → html).
 * The button names how many of `total` are shown, and goes at the end.
 */
function pageThrough(view, id, conn, load, row, total) {
  const table = view.querySelector(`#${id}`)
  if (!table || !conn.pageInfo.hasNextPage) return
  const button = document.createElement('button')
  button.className = 'more'
  button.id = `${id}-more`
  const body = table.querySelector('tbody')
  const label = () => (button.textContent = `Show more (${body.rows.length}${total === undefined ? '' : ` of ${total}`} shown)`)
  label()
  table.after(button)
  let after = conn.pageInfo.endCursor
  button.addEventListener('click', async () => {
    button.disabled = true
    try {
      const next = await load(after)
      body.insertAdjacentHTML('beforeend', next.nodes.map((n) => row(n).s).join(''))
      after = next.pageInfo.endCursor
      if (!next.pageInfo.hasNextPage) return button.remove()
      label()
    } catch (e) {
      button.textContent = `Could not load more: ${e.message}`
    }
    button.disabled = false
  })
}

const PAGE = 100

let chainsOnce
/** The network's chains (one on a single-chain network), asked once per page load. */
export function networkChains() {
  chainsOnce ??= gql(`{ _meta { chain chains { chain } } }`).then((d) => ({ name: d._meta.chain, chains: d._meta.chains.map((c) => c.chain) }))
  return chainsOnce
}

// ------------------------------------------------------------------ supply

const SUPPLY = /* GraphQL */ `
  query Supply($from: DateTime!, $to: DateTime!, $interval: SupplyInterval!, $unlockFrom: DateTime!, $unlockTo: DateTime!) {
    supply {
      block { number timestamp }
      totalSupply circulatingSupply nonCirculating locked unvested vestedUnreleased staked burned
      labelled { address label category balance }
    }
    supplyHistory(from: $from, to: $to, interval: $interval) { end supply { totalSupply circulatingSupply locked } }
    allocations { category allocated vested released remaining revokedReturned }
    unlockSchedule(from: $unlockFrom, to: $unlockTo, interval: MONTH) { start total byCategory { category amount } }
    holders(top: 5) { count top10 { share } top100 { share } }
  }
`

export async function supplyPage(view) {
  const net = await networkChains()
  if (net.chains.length > 1) return networkSupplyPage(view, net)
  const head = await gql(`{ _meta { timestamp } transfers(first: 1, orderBy: OLDEST_FIRST) { nodes { timestamp } } }`)
  if (!head._meta.timestamp) {
    view.innerHTML = html`<h1>Supply</h1>${empty('Nothing is indexed yet.')}`.s
    return
  }
  const to = Date.parse(head._meta.timestamp)
  const first = head.transfers.nodes[0] ? Date.parse(head.transfers.nodes[0].timestamp) : to - DAY
  const from = Math.min(first, to - HOUR)
  const interval = supplyInterval(to - from)
  const unlockFrom = addMonths(to, 0)
  const d = await gql(SUPPLY, {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    interval,
    unlockFrom: new Date(unlockFrom).toISOString(),
    // The bucket holding `to` is included: the 24th month's last instant, not the 25th's first.
    unlockTo: new Date(addMonths(to, 24) - 1).toISOString(),
  })
  const s = d.supply
  const total = BigInt(s.totalSupply)
  const share = (v) => (total === 0n ? '' : `${(Number((BigInt(v) * 10000n) / total) / 100).toFixed(2)}% of total`)
  const unlockCategories = [...new Set(d.unlockSchedule.flatMap((b) => b.byCategory.map((c) => c.category)))]
  const upcoming = d.unlockSchedule.filter((b) => BigInt(b.total) > 0n)
  const sum = (key) => d.allocations.reduce((t, a) => t + BigInt(a[key]), 0n).toString()

  view.innerHTML = html`
    <h1>Supply</h1>
    <p class="sub">At block ${int(s.block.number)} (${when(s.block.timestamp)}). Circulating = total − (vesting contract + labelled wallets); staked ICNT stays circulating.</p>
    <div class="cards">
      ${card('Circulating supply', html`<span id="circulating" title="${exactIcnt(s.circulatingSupply)}">${icnt(s.circulatingSupply)}</span>`, share(s.circulatingSupply))}
      ${card('Total supply', html`<span id="total-supply" title="${exactIcnt(s.totalSupply)}">${icnt(s.totalSupply)}</span>`, `burned ${icnt(s.burned)}`)}
      ${card('Locked in vesting', amount(s.locked), html`unvested ${icnt(s.unvested)} · vested, unreleased ${icnt(s.vestedUnreleased)}`)}
      ${card('Non-circulating', html`<span id="non-circulating">${amount(s.nonCirculating)}</span>`, share(s.nonCirculating))}
      ${card('Staked', amount(s.staked), share(s.staked))}
      ${card('Holders', int(d.holders.count), `top 10 hold ${pct(d.holders.top10.share)}, top 100 ${pct(d.holders.top100.share)}`)}
    </div>
    ${panel('Circulating, locked and total over time', html`<div class="chart" id="supply-chart"></div><p class="legend-note">One point per ${interval.toLowerCase()}, the state at its end.</p>`)}
    ${panel(
      'Projected unlock calendar (next 24 months)',
      upcoming.length
        ? html`<div class="chart" id="unlock-chart"></div>
            <table id="unlock-table"><thead><tr><th>Month</th>${unlockCategories.map((c) => html`<th class="num">${title(c)}</th>`)}<th class="num">Total</th></tr></thead>
            <tbody>${d.unlockSchedule.map(
              (b) => html`<tr><td>${b.start.slice(0, 7)}</td>${unlockCategories.map((c) => {
                const hit = b.byCategory.find((x) => x.category === c)
                return html`<td class="num">${hit && BigInt(hit.amount) > 0n ? amount(hit.amount, 0) : ''}</td>`
              })}<td class="num">${amount(b.total, 0)}</td></tr>`,
            )}</tbody></table>`
        : empty('No unlocks are scheduled in the next 24 months.'),
    )}
    ${panel(
        'Allocations',
        html`<p class="legend-note">Allocated = vested + returned (the unvested part of a revoked grant, back to its grantor) + still to vest; released is the part of vested paid out.</p>
        <table id="allocations"><thead><tr><th>Category</th><th class="num">Allocated</th><th class="num">Vested</th><th class="num">Released</th><th class="num">Returned</th><th class="num">Still to vest</th><th>Released / vested</th></tr></thead>
        <tbody>${d.allocations.map(
          (a) => html`<tr><td>${title(a.category)}</td><td class="num">${amount(a.allocated, 0)}</td><td class="num">${amount(a.vested, 0)}</td><td class="num">${amount(a.released, 0)}</td><td class="num">${amount(a.revokedReturned, 0)}</td><td class="num">${amount(a.remaining, 0)}</td><td>${bar(a.released, a.allocated, a.vested)}</td></tr>`,
        )}</tbody>
        <tfoot><tr><th>All</th><th class="num">${amount(sum('allocated'), 0)}</th><th class="num">${amount(sum('vested'), 0)}</th><th class="num">${amount(sum('released'), 0)}</th><th class="num">${amount(sum('revokedReturned'), 0)}</th><th class="num">${amount(sum('remaining'), 0)}</th><th></th></tr></tfoot></table>`,
      )}
      ${panel(
        'Excluded from circulation',
        html`<table id="excluded"><thead><tr><th>Wallet</th><th>Category</th><th>Address</th><th class="num">Balance</th></tr></thead>
        <tbody><tr><td>Vesting contract (locked)</td><td>vesting</td><td class="muted">–</td><td class="num">${amount(s.locked)}</td></tr>
        ${s.labelled.map((w) => html`<tr><td>${w.label}</td><td>${w.category}</td><td>${walletLink(w.address)}</td><td class="num">${amount(w.balance)}</td></tr>`)}</tbody></table>`,
      )}`.s

  supplyChart(view.querySelector('#supply-chart'), d.supplyHistory, [])
  if (upcoming.length) {
    // Stacked: each category's series is the running total up to it.
    const buckets = d.unlockSchedule
    const own = unlockCategories.map((c) => buckets.map((b) => icntNumber((b.byCategory.find((x) => x.category === c) || { amount: '0' }).amount)))
    const running = own.map((_, i) => buckets.map((_, j) => own.slice(0, i + 1).reduce((sum, o) => sum + o[j], 0)))
    timeChart(view.querySelector('#unlock-chart'), {
      x: buckets.map((b) => seconds(b.start)),
      scales: { icnt: icntScale() },
      series: unlockCategories
        .map((c, i) => ({ label: title(c), scale: 'icnt', kind: 'bars', values: running[i], legendValues: own[i], color: COLORS[i % COLORS.length], fmt: icntFmt }))
        .reverse(),
    })
  }
}

const NETWORK_SUPPLY = /* GraphQL */ `
  query NetworkSupply($from: DateTime!, $to: DateTime!, $interval: SupplyInterval!, $unlockFrom: DateTime!, $unlockTo: DateTime!) {
    supply {
      at totalSupply circulatingSupply nonCirculating locked unvested vestedUnreleased staked escrowed bridged inFlight inconsistencies
      chains { chain block { number timestamp } totalSupply circulatingSupply nonCirculating burned labelled { address label category balance } }
    }
    supplyHistory(from: $from, to: $to, interval: $interval) { end supply { totalSupply circulatingSupply locked inFlight } }
    unlockSchedule(from: $unlockFrom, to: $unlockTo, interval: MONTH) { start total }
    holders(top: 5) { count top10 { share } top100 { share } }
  }
`

/** The supply page of a network of chains: the network's figures, the bridge between the chains, each chain's own. */
async function networkSupplyPage(view, net) {
  const head = await gql(`{ _meta { timestamp } transfers(first: 1, orderBy: OLDEST_FIRST) { nodes { timestamp } } }`)
  if (!head._meta.timestamp) {
    view.innerHTML = html`<h1>Supply</h1>${empty('Nothing is indexed yet on every chain.')}`.s
    return
  }
  const to = Date.parse(head._meta.timestamp)
  const first = head.transfers.nodes[0] ? Date.parse(head.transfers.nodes[0].timestamp) : to - DAY
  // The history starts an hour in: every chain has a block by then.
  const from = Math.min(first + HOUR, to - HOUR)
  const interval = supplyInterval(to - from)
  const d = await gql(NETWORK_SUPPLY, {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    interval,
    unlockFrom: new Date(addMonths(to, 0)).toISOString(),
    unlockTo: new Date(addMonths(to, 24) - 1).toISOString(),
  })
  const s = d.supply
  const total = BigInt(s.totalSupply)
  const share = (v) => (total === 0n ? '' : `${(Number((BigInt(v) * 10000n) / total) / 100).toFixed(2)}% of total`)
  const next = d.unlockSchedule.find((b) => BigInt(b.total) > 0n)
  view.innerHTML = html`
    <h1>Supply</h1>
    <p class="sub">Network ${net.name} at ${when(s.at)}, each chain at its latest block by then. Total from ${net.chains[0]} alone; circulating = total − (vesting contract + every chain's labelled wallets); what the bridge holds circulates on the other chain.</p>
    ${s.inconsistencies.length ? panel('Inconsistencies', html`<ul id="inconsistencies">${s.inconsistencies.map((x) => html`<li class="bad">${x}</li>`)}</ul>`) : ''}
    <div class="cards">
      ${card('Circulating supply', html`<span id="circulating" title="${exactIcnt(s.circulatingSupply)}">${icnt(s.circulatingSupply)}</span>`, share(s.circulatingSupply))}
      ${card('Total supply', html`<span id="total-supply" title="${exactIcnt(s.totalSupply)}">${icnt(s.totalSupply)}</span>`, `on ${net.chains[0]}`)}
      ${card('Locked in vesting', amount(s.locked), html`unvested ${icnt(s.unvested)} · vested, unreleased ${icnt(s.vestedUnreleased)}`)}
      ${card('Non-circulating', html`<span id="non-circulating">${amount(s.nonCirculating)}</span>`, share(s.nonCirculating))}
      ${card('Bridged', html`<span id="bridged">${amount(s.bridged)}</span>`, html`escrowed <span id="escrowed">${icnt(s.escrowed)}</span> · in flight <span id="in-flight">${icnt(s.inFlight)}</span>`)}
      ${card('Staked', amount(s.staked), share(s.staked))}
      ${card('Holders', int(d.holders.count), `over every chain; top 10 hold ${pct(d.holders.top10.share)}`)}
      ${next ? card('Next unlock', amount(next.total, 0), next.start.slice(0, 7)) : ''}
    </div>
    ${panel('Circulating, locked, total and in flight over time', html`<div class="chart" id="supply-chart"></div><p class="legend-note">One point per ${interval.toLowerCase()}, the network at its end.</p>`)}
    ${panel(
      'Each chain',
      html`<table id="chains"><thead><tr><th>Chain</th><th>Block</th><th>Time</th><th class="num">Token supply</th><th class="num">Excluded</th><th class="num">Burned</th></tr></thead>
      <tbody>${s.chains.map(
        (c) => html`<tr data-chain="${c.chain}"><td>${c.chain}</td><td>${int(c.block.number)}</td><td>${when(c.block.timestamp)}</td><td class="num">${amount(c.totalSupply)}</td><td class="num">${amount(c.nonCirculating)}</td><td class="num">${amount(c.burned)}</td></tr>`,
      )}</tbody></table>`,
    )}
    ${panel(
      'Excluded from circulation',
      html`<table id="excluded"><thead><tr><th>Chain</th><th>Wallet</th><th>Category</th><th>Address</th><th class="num">Balance</th></tr></thead>
      <tbody><tr><td>–</td><td>Vesting contract (locked)</td><td>vesting</td><td class="muted">–</td><td class="num">${amount(s.locked)}</td></tr>
      ${s.chains.flatMap((c) => c.labelled.map((w) => html`<tr><td>${c.chain}</td><td>${w.label}</td><td>${w.category}</td><td>${walletLink(w.address)}</td><td class="num">${amount(w.balance)}</td></tr>`))}</tbody></table>`,
    )}`.s
  supplyChart(view.querySelector('#supply-chart'), d.supplyHistory, [['In flight', 'inFlight']])
}

/** The supply over time: total, circulating and locked, and `more` ([label, field] of each point's supply). */
function supplyChart(el, history, more) {
  const pts = history.filter((p) => p.supply)
  const line = (label, key, extra = {}) => ({ label, scale: 'icnt', values: pts.map((p) => icntNumber(p.supply[key])), fmt: (v) => icntFmt(v), ...extra })
  timeChart(el, {
    x: pts.map((p) => seconds(p.end)),
    scales: { icnt: icntScale() },
    series: [line('Total', 'totalSupply'), line('Circulating', 'circulatingSupply', { fill: 'rgba(62,207,142,.12)' }), line('Locked', 'locked'), ...more.map(([label, key]) => line(label, key))].map((x, i) => ({ ...x, color: COLORS[i] })),
  })
}

const icntFmt = (v) => (v === null || v === undefined ? '–' : `${v.toLocaleString('en-US', { maximumFractionDigits: 0 })} ICNT`)

// ------------------------------------------------------------------ network

const NETWORK = /* GraphQL */ `
  query Network($w: PerformanceWindow) {
    networkPerformance(window: $w) {
      window { from to eraFrom eraTo }
      nodesByStatus { key count } nodesByRegion { key count } nodesByClass { key count }
      totalCapacity bookedCapacity utilisation slaCompliance delegatedStake slashed revenue
      series(interval: ERA) { start erasWithQuorum slaCompliance averageUptimeBps latencyP50Ms }
    }
    nodes(first: 1000) { pageInfo { hasNextPage } nodes { region hwClass status totalCapacity bookedCapacity } }
    hyperNodes(first: 50) { nodes { id location status reportCount deviation(window: $w) { erasCompared uptimeBps latencyMs suspect } } }
  }
`

/** Capacity and booked capacity of registered and validated nodes, by `key`. */
function capacityBy(nodes, key) {
  const out = new Map()
  for (const n of nodes) {
    if (n.status !== 'REGISTERED' && n.status !== 'VALIDATED') continue
    const row = out.get(n[key]) || { total: 0n, booked: 0n }
    row.total += BigInt(n.totalCapacity)
    row.booked += BigInt(n.bookedCapacity)
    out.set(n[key], row)
  }
  return out
}

function countTable(id, head, counts, capacity) {
  const max = Math.max(1, ...counts.map((c) => c.count))
  return html`<table id="${id}"><thead><tr><th>${head}</th><th class="num">Nodes</th><th></th><th class="num">Capacity</th><th class="num">Booked</th><th class="num">Utilisation</th></tr></thead><tbody>
    ${counts.map((c) => {
      const cap = capacity.get(c.key) || { total: 0n, booked: 0n }
      const u = cap.total === 0n ? null : Number((cap.booked * 10000n) / cap.total) / 10000
      return html`<tr><td>${c.key}</td><td class="num">${int(c.count)}</td><td>${bar(c.count, max)}</td><td class="num">${int(cap.total)}</td><td class="num">${int(cap.booked)}</td><td class="num">${pct(u)}</td></tr>`
    })}</tbody></table>`
}

export async function networkPage(view) {
  const w = { lastDays: 30 }
  const d = await gql(NETWORK, { w })
  const n = d.networkPerformance
  const nodes = d.nodes.nodes
  const totalNodes = n.nodesByStatus.reduce((s, c) => s + c.count, 0)
  view.innerHTML = html`
    <h1>Network</h1>
    <p class="sub">Eras ${n.window.eraFrom}–${n.window.eraTo} (${when(n.window.from)} to ${when(n.window.to)}, the last 30 days of the index).</p>
    <div class="cards">
      ${card('Nodes', html`<span id="node-count">${int(totalNodes)}</span>`, n.nodesByStatus.map((c) => `${c.count} ${c.key.toLowerCase()}`).join(' · '))}
      ${card('SLA compliance', html`<span id="network-sla">${pct(n.slaCompliance)}</span>`, 'eras met ÷ eras with quorum')}
      ${card('Capacity', int(n.totalCapacity), 'registered and validated nodes')}
      ${card('Utilisation', pct(n.utilisation), `${int(n.bookedCapacity)} booked`)}
      ${card('Delegated stake', amount(n.delegatedStake))}
      ${card('Revenue (30 days)', amount(n.revenue), html`slashed ${icnt(n.slashed)}`)}
    </div>
    ${panel('Network SLA compliance per era', html`<div class="chart" id="network-chart"></div>`)}
    <div class="grid2">
      ${panel('Nodes by region', countTable('by-region', 'Region', n.nodesByRegion, capacityBy(nodes, 'region')))}
      ${panel('Nodes by hardware class', countTable('by-class', 'Class', n.nodesByClass, capacityBy(nodes, 'hwClass')))}
    </div>
    ${d.nodes.pageInfo.hasNextPage ? empty('Capacity by region and class counts the first 1000 nodes only.') : ''}
    ${panel(
      'HyperNodes (SLA reporters)',
      html`<table id="hypernodes"><thead><tr><th>HyperNode</th><th>Location</th><th>Status</th><th class="num">Reports</th><th class="num">Uptime deviation</th><th class="num">Latency deviation</th><th></th></tr></thead><tbody>
      ${d.hyperNodes.nodes.map(
        (h) => html`<tr><td>#${localId(h.id)}</td><td>${h.location}</td><td>${badge(h.status)}</td><td class="num">${int(h.reportCount)}</td><td class="num">${h.deviation.uptimeBps === null ? '–' : `${(h.deviation.uptimeBps / 100).toFixed(2)} pp`}</td><td class="num">${ms(h.deviation.latencyMs)}</td><td>${h.deviation.suspect ? badge('suspect', 'bad') : ''}</td></tr>`,
      )}</tbody></table>`,
    )}`.s
  const pts = n.series
  timeChart(view.querySelector('#network-chart'), {
    x: pts.map((p) => seconds(p.start)),
    scales: { pct: pctScale('%'), ms: { label: 'ms', fmt: (v) => `${v}` } },
    series: [
      { label: 'SLA compliance', scale: 'pct', values: pts.map((p) => (p.slaCompliance === null ? null : p.slaCompliance * 100)), fmt: (v) => (v === null ? '–' : `${v.toFixed(1)}%`), fill: 'rgba(79,156,255,.12)' },
      { label: 'Mean uptime', scale: 'pct', values: pts.map((p) => (p.averageUptimeBps === null ? null : p.averageUptimeBps / 100)), fmt: (v) => (v === null ? '–' : `${v.toFixed(2)}%`) },
      { label: 'Latency p50', scale: 'ms', values: pts.map((p) => p.latencyP50Ms), fmt: (v) => ms(v) },
    ],
  })
}

// ------------------------------------------------------------------ leaderboard

const ORDER_LABELS = {
  COMPLIANCE_DESC: 'SLA compliance',
  UPTIME_DESC: 'Uptime',
  LATENCY_ASC: 'Latency (lowest first)',
  DELEGATED_STAKE_DESC: 'Delegated stake',
  UTILISATION_DESC: 'Utilisation',
  REVENUE_DESC: 'Revenue',
}
const ORDERS = Object.keys(ORDER_LABELS)
const STATUSES = ['REGISTERED', 'VALIDATED', 'REJECTED', 'REMOVED']
const WINDOWS = ['1', '7', '30', '90']

const LEADERBOARD = /* GraphQL */ `
  query Leaderboard($w: PerformanceWindow, $order: LeaderboardOrder, $filter: LeaderboardFilter, $after: String) {
    nodeLeaderboard(window: $w, orderBy: $order, filter: $filter, first: 50, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        node { id region hwClass status }
        slaCompliance erasWithQuorum averageUptimeBps latencyP50Ms delegatedStake utilisation revenue
      }
    }
    networkPerformance(window: $w) { nodesByRegion { key } nodesByClass { key } }
  }
`

const select = (name, label, options, value, any = 'Any') =>
  html`<label>${label}<select name="${name}">${any ? html`<option value="">${any}</option>` : ''}${options.map((o) => html`<option value="${o.value ?? o}"${(o.value ?? o) === value ? ' selected' : ''}>${o.label ?? o}</option>`)}</select></label>`

export async function nodesPage(view, { query }) {
  const f = {
    status: query.get('status') || '',
    region: query.get('region') || '',
    hwClass: query.get('class') || '',
    order: ORDERS.includes(query.get('order')) ? query.get('order') : 'COMPLIANCE_DESC',
    days: WINDOWS.includes(query.get('days')) ? query.get('days') : '7',
    after: query.get('after') || null,
  }
  const filter = {}
  if (f.status) filter.status = f.status
  if (f.region) filter.region = f.region
  if (f.hwClass) filter.hwClass = f.hwClass
  const d = await gql(LEADERBOARD, { w: { lastDays: Number(f.days) }, order: f.order, filter, after: f.after })
  const lb = d.nodeLeaderboard
  const hashOf = (changes) => {
    const q = new URLSearchParams()
    const next = { status: f.status, region: f.region, class: f.hwClass, order: f.order, days: f.days, ...changes }
    for (const [k, v] of Object.entries(next)) if (v) q.set(k, v)
    return `#/nodes?${q}`
  }
  view.innerHTML = html`
    <h1>Node leaderboard</h1>
    <p class="sub">${int(lb.totalCount)} nodes match; ranked over the last ${f.days} day(s) of the index. Nodes without the figure rank last.</p>
    <form class="filters" id="filters">
      ${select('status', 'Status', STATUSES, f.status)}
      ${select('region', 'Region', d.networkPerformance.nodesByRegion.map((r) => r.key), f.region)}
      ${select('class', 'Hardware class', d.networkPerformance.nodesByClass.map((r) => r.key), f.hwClass)}
      ${select('order', 'Order by', ORDERS.map((o) => ({ value: o, label: ORDER_LABELS[o] })), f.order, '')}
      ${select('days', 'Window', WINDOWS.map((w) => ({ value: w, label: `${w} day${w === '1' ? '' : 's'}` })), f.days, '')}
    </form>
    <section class="panel">
      <table id="leaderboard"><thead><tr><th>#</th><th>Node</th><th>Region</th><th>Class</th><th>Status</th><th class="num">SLA compliance</th><th class="num">Eras</th><th class="num">Uptime</th><th class="num">Latency p50</th><th class="num">Delegated</th><th class="num">Utilisation</th><th class="num">Revenue</th></tr></thead>
      <tbody>${lb.nodes.map(
        (p, i) =>
          html`<tr data-node="${p.node.id}"><td class="muted">${i + 1}</td><td>${nodeLink(p.node.id)}</td><td>${p.node.region}</td><td>${p.node.hwClass}</td><td>${badge(p.node.status)}</td><td class="num">${pct(p.slaCompliance)}</td><td class="num">${int(p.erasWithQuorum)}</td><td class="num">${bpsPct(p.averageUptimeBps)}</td><td class="num">${ms(p.latencyP50Ms)}</td><td class="num">${amount(p.delegatedStake, 0)}</td><td class="num">${pct(p.utilisation)}</td><td class="num">${amount(p.revenue, 0)}</td></tr>`,
      )}</tbody></table>
      ${lb.nodes.length ? '' : empty('No node matches these filters.')}
      <div class="pager">${f.after ? html`<a href="${hashOf({ after: '' })}">First page</a>` : ''}${lb.pageInfo.hasNextPage ? html`<a id="next-page" href="${hashOf({ after: lb.pageInfo.endCursor })}">Next page</a>` : ''}</div>
    </section>`.s
  view.querySelector('#filters').addEventListener('change', (ev) => {
    const form = ev.currentTarget
    const v = (n) => form.elements.namedItem(n).value
    location.hash = hashOf({ status: v('status'), region: v('region'), class: v('class'), order: v('order'), days: v('days'), after: '' })
  })
}

// ------------------------------------------------------------------ node

const NODE = /* GraphQL */ `
  query Node($id: ID!, $w: PerformanceWindow) {
    node(id: $id) {
      id region hwClass status totalCapacity bookedCapacity collateralRegistered collateral commitmentEnd delegatedStake
      activePositions delegationCount revenue bookingCount slashedProvider slashedDelegators slashCount violationCount registeredBlock registeredAt
      hardwareProvider { id }
      delegations(first: 25, orderBy: AMOUNT_DESC) { totalCount pageInfo { hasNextPage endCursor } nodes { ...NodeDelegation } }
      bookings(first: 25) { totalCount pageInfo { hasNextPage endCursor } nodes { ...NodeBooking } }
    }
    nodePerformance(nodeId: $id, window: $w) {
      window { from to eraFrom eraTo }
      slaCompliance erasWithQuorum erasMet erasWithoutQuorum averageUptimeBps latencyP50Ms latencyP95Ms challengePassRate utilisation
      violations { uptime latency challenges }
      series(interval: ERA) { start eraFrom erasWithQuorum erasMet averageUptimeBps latencyP50Ms }
    }
  }
`

const NODE_FRAGMENTS = /* GraphQL */ `
  fragment NodeDelegation on Delegation { id amount status createdAt delegator { id } events { kind amount blockNumber timestamp txHash } }
  fragment NodeBooking on Booking { id serviceProvider { id } capacity price startTime endTime ended endReason }
`
const NODE_MORE = /* GraphQL */ `
  query NodeMore($id: ID!, $after: String, $delegations: Boolean!, $first: Int!) {
    node(id: $id) {
      delegations(first: $first, orderBy: AMOUNT_DESC, after: $after) @include(if: $delegations) { pageInfo { hasNextPage endCursor } nodes { ...NodeDelegation } }
      bookings(first: $first, after: $after) @skip(if: $delegations) { pageInfo { hasNextPage endCursor } nodes { ...NodeBooking } }
    }
  }
  ${NODE_FRAGMENTS}
`
const nodeDelegationRow = (dl) => html`<tr data-id="${dl.id}"><td>${walletLink(dl.delegator.id)}</td><td class="num">${amount(dl.amount)}</td><td>${badge(dl.status)}</td><td>${when(dl.createdAt)}</td></tr>`
const nodeBookingRow = (b) => html`<tr data-id="${b.id}"><td>#${localId(b.id)}</td><td>${walletLink(b.serviceProvider.id)}</td><td class="num">${int(b.capacity)}</td><td class="num">${amount(b.price)}</td><td>${when(b.endTime)}</td><td>${b.ended ? badge(title(b.endReason || 'ended')) : badge('active', 'good')}</td></tr>`

const SLASHES = /* GraphQL */ `
  query ProviderSlashes($account: String!) {
    stakingHistory(account: $account, first: 100, filter: { kinds: [COLLATERAL_SLASHED] }) { nodes { kind amount nodeId blockNumber timestamp txHash } }
  }
`

export async function nodePage(view, { id }) {
  if (!/^\d{1,30}$/.test(id)) throw new Error(`"${id}" is not a node id`)
  const d = await gql(NODE + NODE_FRAGMENTS, { id, w: { lastDays: 30 } })
  const n = d.node
  if (!n) {
    view.innerHTML = html`<h1>Node #${id}</h1>${empty('No such node in the index.')}`.s
    return
  }
  const p = d.nodePerformance
  const provider = await gql(SLASHES, { account: n.hardwareProvider.id })
  const slashes = [
    ...provider.stakingHistory.nodes.filter((e) => e.nodeId === localId(n.id)).map((e) => ({ ...e, who: n.hardwareProvider.id, what: 'collateral' })),
    ...n.delegations.nodes.flatMap((dl) => dl.events.filter((e) => e.kind === 'SLASHED').map((e) => ({ ...e, who: dl.delegator.id, what: 'delegation' }))),
  ].sort((a, b) => b.blockNumber - a.blockNumber)
  view.innerHTML = html`
    <h1>Node #${localId(n.id)} ${badge(n.status)}</h1>
    <p class="sub">${n.hwClass} in ${n.region}; provided by ${walletLink(n.hardwareProvider.id)}; registered ${when(n.registeredAt)} (block ${int(n.registeredBlock)}); committed until ${day(n.commitmentEnd)}.</p>
    <div class="cards">
      ${card('SLA compliance (30 days)', html`<span id="node-sla">${pct(p.slaCompliance)}</span>`, `${p.erasMet} of ${p.erasWithQuorum} eras with quorum met`)}
      ${card('Mean uptime', bpsPct(p.averageUptimeBps), `latency p50 ${ms(p.latencyP50Ms)}, p95 ${ms(p.latencyP95Ms)}`)}
      ${card('Capacity', `${int(n.bookedCapacity)} / ${int(n.totalCapacity)}`, `utilisation ${pct(p.utilisation)}`)}
      ${card('Delegated stake', amount(n.delegatedStake), `${n.activePositions} open positions`)}
      ${card('Collateral', amount(n.collateral), `registered ${icnt(n.collateralRegistered)}`)}
      ${card('Revenue', amount(n.revenue), `${n.bookingCount} bookings`)}
      ${card('Slashed', amount(BigInt(n.slashedProvider) + BigInt(n.slashedDelegators)), `${n.slashCount} slashes, ${n.violationCount} violations`)}
    </div>
    ${panel('SLA and uptime per era (last 30 days)', html`<div class="chart" id="node-chart"></div><p class="legend-note">Bars: the era met the SLA (100%) or not (0%); eras without a quorum of reports are blank. Violations in the window: uptime ${p.violations.uptime}, latency ${p.violations.latency}, challenges ${p.violations.challenges}.</p>`)}
    <div class="grid2">
      ${panel(
        `Delegations (${n.delegations.totalCount})`,
        n.delegations.nodes.length
          ? html`<table id="node-delegations"><thead><tr><th>Delegator</th><th class="num">Amount</th><th>Status</th><th>Since</th></tr></thead><tbody>
          ${n.delegations.nodes.map(nodeDelegationRow)}</tbody></table>`
          : empty('No delegations.'),
      )}
      ${panel(
        `Bookings (${n.bookings.totalCount})`,
        n.bookings.nodes.length
          ? html`<table id="node-bookings"><thead><tr><th>Booking</th><th>Service provider</th><th class="num">Capacity</th><th class="num">Price</th><th>Ends</th><th></th></tr></thead><tbody>
          ${n.bookings.nodes.map(nodeBookingRow)}</tbody></table>`
          : empty('No bookings.'),
      )}
    </div>
    ${panel(
      'Slashes',
      slashes.length
        ? html`<table id="node-slashes"><thead><tr><th>When</th><th>Block</th><th>Of</th><th>Wallet</th><th class="num">Amount</th></tr></thead><tbody>
        ${slashes.map((e) => html`<tr><td>${when(e.timestamp)}</td><td>${int(e.blockNumber)}</td><td>${e.what}</td><td>${walletLink(e.who)}</td><td class="num">${e.amount === null ? '–' : amount(e.amount)}</td></tr>`)}</tbody></table>`
        : empty('No slashes.'),
    )}`.s
  const more = (delegations) => async (after) => (await gql(NODE_MORE, { id, after, delegations, first: PAGE })).node[delegations ? 'delegations' : 'bookings']
  pageThrough(view, 'node-delegations', n.delegations, more(true), nodeDelegationRow, n.delegations.totalCount)
  pageThrough(view, 'node-bookings', n.bookings, more(false), nodeBookingRow, n.bookings.totalCount)
  const pts = p.series
  timeChart(view.querySelector('#node-chart'), {
    x: pts.map((e) => seconds(e.start)),
    scales: { pct: pctScale('%'), ms: { label: 'ms', fmt: (v) => `${v}` } },
    series: [
      { label: 'SLA met', scale: 'pct', kind: 'bars', color: 'rgba(62,207,142,.35)', values: pts.map((e) => (e.erasWithQuorum ? (e.erasMet ? 100 : 0) : null)), fmt: (v) => (v === null ? 'no quorum' : v ? 'yes' : 'no') },
      { label: 'Uptime', scale: 'pct', color: COLORS[0], values: pts.map((e) => (e.averageUptimeBps === null ? null : e.averageUptimeBps / 100)), fmt: (v) => (v === null ? '–' : `${v.toFixed(2)}%`) },
      { label: 'Latency p50', scale: 'ms', color: COLORS[2], values: pts.map((e) => e.latencyP50Ms), fmt: (v) => ms(v) },
    ],
  })
}

// ------------------------------------------------------------------ wallet

const WALLET_FRAGMENTS = {
  WalletDelegation: /* GraphQL */ `fragment WalletDelegation on Delegation {
    id amount initialAmount slashed withdrawn status unlockTimestamp createdAt
    node { id region hwClass status performance(window: $w) { slaCompliance averageUptimeBps utilisation } }
  }`,
  WalletStakingEvent: /* GraphQL */ `fragment WalletStakingEvent on StakingEvent { id kind amount nodeId blockNumber timestamp txHash }`,
  WalletSchedule: /* GraphQL */ `fragment WalletSchedule on VestingSchedule { id category total immediate released start cliff duration curve revoked }`,
  WalletTransfer: /* GraphQL */ `fragment WalletTransfer on Transfer { id chain blockNumber timestamp from to value }`,
}
/** The next page of one of a wallet's lists (`list`: delegations, stakingHistory, vestingSchedules or transfers). */
const walletMore = (list, fragment) => /* GraphQL */ `
  query WalletMore($id: String!, $after: String, $first: Int!${fragment === 'WalletDelegation' ? ', $w: PerformanceWindow' : ''}) {
    account(id: $id) { ${list}(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { ...${fragment} } } }
  }
  ${WALLET_FRAGMENTS[fragment]}
`

/** A wallet's transfers on every chain of a network, newest first. */
const NETWORK_TRANSFERS = /* GraphQL */ `
  query WalletNetworkTransfers($id: String!, $after: String, $first: Int!) {
    transfers(first: $first, after: $after, filter: { account: $id }) { pageInfo { hasNextPage endCursor } nodes { ...WalletTransfer } }
  }
  ${WALLET_FRAGMENTS.WalletTransfer}
`

/** The sum of an account's active positions, through every page. */
async function activeStake(id) {
  let sum = 0n
  let after = null
  for (;;) {
    const d = await gql(`query($id: String!, $after: String) { account(id: $id) { delegations(first: 1000, after: $after, filter: { status: ACTIVE }) { pageInfo { hasNextPage endCursor } nodes { amount } } } }`, { id, after })
    const c = d.account.delegations
    for (const x of c.nodes) sum += BigInt(x.amount)
    if (!c.pageInfo.hasNextPage) return sum
    after = c.pageInfo.endCursor
  }
}

const WALLET = /* GraphQL */ `
  query Wallet($id: String!, $w: PerformanceWindow) {
    account(id: $id) {
      id chain balance transfersIn transfersOut firstSeenBlock lastActiveBlock balances { chain balance } networkBalance
      delegations(first: 25) { totalCount pageInfo { hasNextPage endCursor } nodes { ...WalletDelegation } }
      stakingHistory(first: 30) { totalCount pageInfo { hasNextPage endCursor } nodes { ...WalletStakingEvent } }
      vestingSchedules(first: 20) { totalCount pageInfo { hasNextPage endCursor } nodes { ...WalletSchedule } }
      nodes(first: 20) { nodes { id region hwClass status } }
      transfers(first: 10) { pageInfo { hasNextPage endCursor } nodes { ...WalletTransfer } }
    }
  }
  ${Object.values(WALLET_FRAGMENTS).join('\n')}
`

/** When a schedule ends, unix seconds: start + duration, or a curve's last monthly tranche (approximately, for display). */
// The spec's month is 30 days.
const vestingEnd = (v) => (v.curve ? Number(v.start) + v.curve.length * 30 * 86400 : Number(v.start) + Number(v.duration))
/** How much of a schedule's time has passed at `now` (unix seconds), 0..1. */
function elapsed(now, v) {
  const start = Number(v.start)
  const span = vestingEnd(v) - start
  return span <= 0 ? 1 : Math.min(1, Math.max(0, (now - start) / span))
}

export async function walletPage(view, { id }) {
  if (!/^0x[0-9a-fA-F]{40}$/.test(id)) throw new Error(`"${id}" is not an address (0x and 40 hex digits)`)
  const [d, meta, net] = await Promise.all([gql(WALLET, { id, w: { lastDays: 30 } }), gql(`{ _meta { timestamp } }`), networkChains()])
  const a = d.account
  const multi = net.chains.length > 1
  // A network of chains: the transfers of every chain, merged (the account's own are its chain's).
  const networkTransfers = (after) => gql(NETWORK_TRANSFERS, { id, after, first: after ? PAGE : 10 }).then((x) => x.transfers)
  if (a && multi) a.transfers = await networkTransfers(null)
  if (!a) {
    view.innerHTML = html`<h1>Wallet</h1><p class="sub mono">${id}</p>${empty('This address has never held ICNT.')}`.s
    return
  }
  const now = meta._meta.timestamp ? Date.parse(meta._meta.timestamp) / 1000 : Date.now() / 1000
  // Every active position, not only the first page's: the card must match the table paged to its end.
  const staked = await activeStake(id)
  const walletDelegationRow = (x) =>
    html`<tr data-delegation="${x.id}"><td class="mono">${x.id.split('-').pop()}</td><td>${nodeLink(x.node.id)} ${badge(x.node.status)}</td><td>${x.node.region} / ${x.node.hwClass}</td><td class="num">${amount(x.amount)}</td><td class="num">${BigInt(x.slashed) > 0n ? amount(x.slashed) : '–'}</td><td>${badge(x.status)}</td><td>${day(x.unlockTimestamp)}</td><td class="num">${pct(x.node.performance.slaCompliance)}</td><td class="num">${bpsPct(x.node.performance.averageUptimeBps)}</td><td class="num">${pct(x.node.performance.utilisation)}</td></tr>`
  const stakingRow = (e) =>
    html`<tr data-id="${e.id}"><td>${when(e.timestamp)}</td><td>${badge(stakingLabel(e.kind), e.kind)}</td><td>${e.nodeId ? nodeLink(e.nodeId) : '–'}</td><td class="num">${e.amount === null ? '–' : amount(e.amount)}</td><td class="mono" title="${e.txHash}">${short(e.txHash)}</td></tr>`
  const scheduleRow = (v) => {
    const frac = elapsed(now, v)
    return html`<tr data-id="${v.id}"><td>${title(v.category)} ${v.revoked ? badge('revoked', 'bad') : ''}</td><td class="num">${amount(v.total, 0)}</td><td class="num">${amount(v.released, 0)}</td><td>${day(v.start)}</td><td>${v.curve ? `${v.curve.length} monthly tranches` : day(Number(v.cliff))}</td><td>${day(vestingEnd(v))}</td><td title="${pct(frac)}">${bar(BigInt(Math.round(frac * 1e6)), 1_000_000n)}</td></tr>`
  }
  const transferRow = (t) => {
    const out = t.from === localId(a.id)
    return html`<tr data-id="${t.id}"${multi ? html` data-chain="${t.chain}"` : ''}><td>${when(t.timestamp)}</td>${multi ? html`<td>${t.chain}</td>` : ''}<td>${int(t.blockNumber)}</td><td>${out ? 'out' : 'in'}</td><td>${walletLink(out ? t.to : t.from)}</td><td class="num">${amount(t.value)}</td></tr>`
  }
  view.innerHTML = html`
    <h1>Wallet</h1>
    <p class="sub mono" id="wallet-address">${localId(a.id)}</p>
    <div class="cards">
      ${multi
        ? card('Balance', html`<span id="wallet-balance" title="${exactIcnt(a.networkBalance)}">${icnt(a.networkBalance)}</span>`, html`<span id="wallet-balances">${a.balances.map((b, i) => html`${i ? ' · ' : ''}<span data-chain="${b.chain}" title="${exactIcnt(b.balance)}">${b.chain} ${icnt(b.balance)}</span>`)}</span>`)
        : card('Balance', html`<span id="wallet-balance" title="${exactIcnt(a.balance)}">${icnt(a.balance)}</span>`, 'ICNT held at the indexed head')}
      ${card('Actively delegated', html`<span id="wallet-staked">${amount(staked)}</span>`, `${a.delegations.totalCount} positions in all`)}
      ${card(multi ? `Transfers on ${a.chain}` : 'Transfers', `${int(a.transfersIn)} in · ${int(a.transfersOut)} out`, `first seen block ${int(a.firstSeenBlock)}, last active ${int(a.lastActiveBlock)}`)}
      ${a.nodes.nodes.length ? card('Provides nodes', a.nodes.nodes.map((x, i) => html`${i ? ', ' : ''}${nodeLink(x.id)}`)) : ''}
    </div>
    ${panel(
      'Delegations and their nodes (performance over 30 days)',
      a.delegations.nodes.length
        ? html`<table id="wallet-delegations"><thead><tr><th>Position</th><th>Node</th><th>Region / class</th><th class="num">Amount</th><th class="num">Slashed</th><th>Status</th><th>Unlocks</th><th class="num">Node SLA</th><th class="num">Node uptime</th><th class="num">Node utilisation</th></tr></thead><tbody>
        ${a.delegations.nodes.map(walletDelegationRow)}</tbody></table>`
        : empty('No delegations.'),
      'delegations-panel',
    )}
    ${panel(
        `Staking history (${a.stakingHistory.totalCount} events, newest first)`,
        a.stakingHistory.nodes.length
          ? html`<table id="staking-history"><thead><tr><th>When</th><th>Event</th><th>Node</th><th class="num">Amount</th><th>Tx</th></tr></thead><tbody>
          ${a.stakingHistory.nodes.map(stakingRow)}</tbody></table>`
          : empty('No staking events.'),
      )}
      ${panel(
        'Vesting schedules',
        a.vestingSchedules.nodes.length
          ? html`<table id="vesting"><thead><tr><th>Category</th><th class="num">Total</th><th class="num">Released</th><th>Start</th><th>Cliff</th><th>End</th><th>Time elapsed</th></tr></thead><tbody>
          ${a.vestingSchedules.nodes.map(scheduleRow)}</tbody></table>`
          : empty('No vesting schedules.'),
      )}
    ${panel(
      'Latest transfers',
      a.transfers.nodes.length
        ? html`<table id="wallet-transfers"><thead><tr><th>When</th>${multi ? html`<th>Chain</th>` : ''}<th>Block</th><th>Direction</th><th>Counterparty</th><th class="num">Value</th></tr></thead><tbody>
        ${a.transfers.nodes.map(transferRow)}</tbody></table>`
        : empty('No transfers.'),
    )}`.s
  const more = (list, fragment) => async (after) => (await gql(walletMore(list, fragment), { id, after, first: PAGE, w: { lastDays: 30 } })).account[list]
  pageThrough(view, 'wallet-delegations', a.delegations, more('delegations', 'WalletDelegation'), walletDelegationRow, a.delegations.totalCount)
  pageThrough(view, 'staking-history', a.stakingHistory, more('stakingHistory', 'WalletStakingEvent'), stakingRow, a.stakingHistory.totalCount)
  pageThrough(view, 'vesting', a.vestingSchedules, more('vestingSchedules', 'WalletSchedule'), scheduleRow, a.vestingSchedules.totalCount)
  pageThrough(view, 'wallet-transfers', a.transfers, multi ? networkTransfers : more('transfers', 'WalletTransfer'), transferRow)
}

// ------------------------------------------------------------------ status

const META_FIELDS = 'chain height hash timestamp finalizedHeight chainHead lag undecodedLogs inconsistencies hasErrors'
// On a network of chains `_meta` is the network's (no height of its own) and `chains` each chain's.
export const META = `{ _meta { ${META_FIELDS} chains { ${META_FIELDS} } } }`

/** The header's words for where the index stands: the block, or each chain's on a network of chains. */
export const metaHeights = (m) => (m.chains.length > 1 ? m.chains.map((c) => `${c.chain} block ${int(c.height)}`).join(' · ') : `block ${int(m.height)}`)
/** Nothing indexed yet (on some chain). */
export const metaEmpty = (m) => m.chains.some((c) => c.height === null)

export async function statusPage(view, _params, live) {
  const d = await gql(META)
  const render = (m) => {
    const el = view.querySelector('#meta')
    if (!el) return
    if (m.chains.length > 1) {
      el.innerHTML = html`
        <dt>Network</dt><dd>${m.chain}</dd>
        <dt>Known up to</dt><dd>${when(m.timestamp)}</dd>
        <dt>Largest lag</dt><dd id="status-lag">${int(m.lag)} blocks</dd>
        <dt>Errors</dt><dd>${m.hasErrors ? badge('yes', 'bad') : badge('none', 'good')}</dd>
        ${m.chains.map(
          (c) => html`<dt>${c.chain}</dt><dd data-chain="${c.chain}">block <span class="status-height">${int(c.height)}</span> (finalized ${int(c.finalizedHeight)}, chain head ${int(c.chainHead)}, lag ${int(c.lag)}) at ${when(c.timestamp)}; undecoded ${int(c.undecodedLogs)}, inconsistencies ${int(c.inconsistencies)}</dd>`,
        )}`.s
      return
    }
    el.innerHTML = html`
      <dt>Indexed height</dt><dd id="status-height">${int(m.height)}</dd>
      <dt>Head hash</dt><dd class="mono">${m.hash}</dd>
      <dt>Head time</dt><dd>${when(m.timestamp)}</dd>
      <dt>Finalized height</dt><dd>${int(m.finalizedHeight)}</dd>
      <dt>Chain head (as last seen)</dt><dd>${int(m.chainHead)}</dd>
      <dt>Lag</dt><dd id="status-lag">${int(m.lag)} blocks</dd>
      <dt>Undecoded logs</dt><dd>${int(m.undecodedLogs)}</dd>
      <dt>Inconsistencies</dt><dd>${int(m.inconsistencies)}</dd>
      <dt>Errors</dt><dd>${m.hasErrors ? badge('yes', 'bad') : badge('none', 'good')}</dd>`.s
  }
  const renderBlocks = (blocks) => {
    const el = view.querySelector('#blocks')
    if (!el) return
    el.innerHTML = blocks.length
      ? html`<table><thead><tr><th>Height</th><th>Hash</th><th>Time</th><th></th></tr></thead><tbody>${blocks.map((b) => html`<tr><td>${int(b.height)}</td><td class="mono" title="${b.hash}">${short(b.hash)}</td><td>${when(b.timestamp)}</td><td>${b.reorg ? badge('reorg', 'bad') : ''}</td></tr>`)}</tbody></table>`.s
      : empty('Waiting for the indexer to commit a block…').s
  }
  view.innerHTML = html`
    <h1>Indexer status</h1>
    <p class="sub">Updated live: the page follows the <span class="mono">blocks</span> subscription over WebSocket (or polls when it is down).</p>
    <div class="grid2">
      ${panel('Where the index stands', html`<dl class="kv" id="meta"></dl>`)}
      ${panel('Blocks committed since this page opened', html`<div id="blocks"></div>`)}
    </div>`.s
  render(d._meta)
  renderBlocks(live.blocks)
  return { onMeta: render, onBlocks: renderBlocks }
}
