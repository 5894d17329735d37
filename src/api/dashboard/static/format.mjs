// Formatting for the dashboard. Amounts stay exact (BigInt over wei strings)
// until they are shown; only chart points become floats.

const WEI = 10n ** 18n

/** HTML that `html` inserts as is. */
export class Raw {
  constructor(s) {
    this.s = s
  }
  toString() {
    return this.s
  }
}

const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
export const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ESC[c])

function part(v) {
  if (v === null || v === undefined || v === false) return ''
  if (v instanceof Raw) return v.s
  if (Array.isArray(v)) return v.map(part).join('')
  return esc(v)
}

/** A template tag that escapes every value it interpolates (except Raw and arrays of Raw). */
export function html(strings, ...values) {
  let out = strings[0]
  values.forEach((v, i) => {
    out += part(v) + strings[i + 1]
  })
  return new Raw(out)
}

/** wei (decimal string or bigint) to exact decimal ICNT, trailing zeros dropped: the REST endpoints' format. */
export function exactIcnt(wei) {
  const v = BigInt(wei)
  const neg = v < 0n
  const abs = neg ? -v : v
  const frac = (abs % WEI).toString().padStart(18, '0').replace(/0+$/, '')
  return `${neg ? '-' : ''}${abs / WEI}${frac ? `.${frac}` : ''}`
}

const group = (int) => int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')

/** An exact decimal string shown with thousands separators and at most `decimals` decimals (cut, not rounded). */
export function groupDecimal(exact, decimals = 2) {
  const neg = exact.startsWith('-')
  const [int, frac = ''] = (neg ? exact.slice(1) : exact).split('.')
  const cut = frac.slice(0, decimals).replace(/0+$/, '')
  return `${neg ? '-' : ''}${group(int)}${cut ? `.${cut}` : ''}`
}

/** wei → "114,392,163.06" (the exact figure goes in a title beside it: see `amount`). */
export const icnt = (wei, decimals = 2) => groupDecimal(exactIcnt(wei), decimals)

/** An amount cell: the short figure, with the exact one on hover. */
export const amount = (wei, decimals = 2) => html`<span class="amt" title="${exactIcnt(wei)} ICNT">${icnt(wei, decimals)}</span>`

/** wei → a float of ICNT, for chart points only. */
export const icntNumber = (wei) => Number(BigInt(wei) / 10n ** 12n) / 1e6

export const int = (n) => (n === null || n === undefined ? '–' : group(String(n)))
export const pct = (x, digits = 1) => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(digits)}%`)
export const bpsPct = (bps) => (bps === null || bps === undefined ? '–' : `${(bps / 100).toFixed(2)}%`)
export const ms = (x) => (x === null || x === undefined ? '–' : `${x.toFixed(0)} ms`)

/** ISO or unix seconds → "2026-01-06 05:50 UTC". */
export function when(t) {
  if (t === null || t === undefined) return '–'
  const d = typeof t === 'string' && !/^\d+$/.test(t) ? new Date(t) : new Date(Number(t) * 1000)
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}
export const day = (t) => when(t).slice(0, 10)
export const seconds = (iso) => Date.parse(iso) / 1000

export const short = (a) => (a && a.length > 14 ? `${a.slice(0, 6)}…${a.slice(-4)}` : a)
/** An id without its chain (on a network of chains the API's ids are `<chain>:<id>`). */
export const localId = (id) => String(id).slice(String(id).lastIndexOf(':') + 1)
export const walletLink = (a) => html`<a class="mono" href="#/wallet/${localId(a)}" title="${localId(a)}">${short(localId(a))}</a>`
export const nodeLink = (id) => html`<a href="#/node/${id}">#${localId(id)}</a>`
export const badge = (s, cls = s) => html`<span class="badge ${cls}">${s}</span>`
/** A wallet's staking events in words (the API's kinds are identifiers). */
export const STAKING_EVENT_LABELS = {
  CREATED_V1: 'Delegated',
  CREATED_V2: 'Delegated',
  CREATED: 'Delegated',
  UNDELEGATED: 'Undelegated',
  RECLAIMED: 'Reclaimed',
  WITHDRAWN: 'Withdrawn',
  SLASHED: 'Slashed',
  REWARD_DELEGATOR_PENDING: 'Reward claim started',
  REWARD_DELEGATOR_CLAIMED: 'Reward claimed',
  REWARD_HP_CLAIMED: 'Provider reward claimed',
  COLLATERAL_SLASHED: 'Collateral slashed',
}
export const stakingLabel = (kind) => STAKING_EVENT_LABELS[kind] ?? title(kind)
export const title = (s) => s.toLowerCase().replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase())

/** A thin progress bar: `a` of `total` (and optionally `b` behind it). */
export function bar(part, total, behind) {
  const t = BigInt(total)
  const w = (v) => (t === 0n ? 0 : Number((BigInt(v) * 10000n) / t) / 100)
  return html`<div class="bar">${behind === undefined ? '' : html`<i style="width:${w(behind)}%"></i>`}<i class="b" style="width:${w(part)}%"></i></div>`
}
