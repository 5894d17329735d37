/**
 * The web dashboard, served by the API at / (the page) and /dashboard/…
 * (its assets). It is static, hand-written HTML, CSS and ES modules that read
 * only the public GraphQL API (queries over HTTP, `blocks` over WebSocket),
 * plus uPlot from node_modules for the charts: no build step and no CDN, so
 * it works offline. tsc compiles src/ to lib/ without copying these files,
 * so they are read from the source tree under PROJECT_DIR.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import type http from 'node:http'
import path from 'node:path'
import zlib from 'node:zlib'
import { PROJECT_DIR } from '../../config'

export const DASHBOARD_PREFIX = '/dashboard/'

export interface DashboardAsset {
  type: string
  body: Buffer
  gzip: Buffer
  etag: string
}

const STATIC_DIR = path.join(PROJECT_DIR, 'src/api/dashboard/static')
const JS = 'text/javascript; charset=utf-8'
const CSS = 'text/css; charset=utf-8'
const uplot = (file: string) => () => path.join(path.dirname(require.resolve('uplot/package.json')), 'dist', file)
const own = (file: string) => () => path.join(STATIC_DIR, file)

/** Every file the dashboard may serve, by its name under DASHBOARD_PREFIX: nothing else is reachable. */
const SOURCES: Record<string, { type: string; file: () => string }> = {
  'index.html': { type: 'text/html; charset=utf-8', file: own('index.html') },
  'style.css': { type: CSS, file: own('style.css') },
  'app.mjs': { type: JS, file: own('app.mjs') },
  'api.mjs': { type: JS, file: own('api.mjs') },
  'format.mjs': { type: JS, file: own('format.mjs') },
  'charts.mjs': { type: JS, file: own('charts.mjs') },
  'pages.mjs': { type: JS, file: own('pages.mjs') },
  'uPlot.iife.min.js': { type: JS, file: uplot('uPlot.iife.min.js') },
  'uPlot.min.css': { type: CSS, file: uplot('uPlot.min.css') },
}

/** A Host header we are willing to repeat in the CSP: a host name or address and an optional port. */
const SAFE_HOST = /^(?:[a-z0-9.-]{1,253}|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?$/i

/**
 * Same origin only. `connect-src 'self'` covers ws: to the same host in
 * CSP 3 browsers; the explicit ws:/wss: entries are for the older ones.
 */
export function dashboardCsp(host: string | undefined): string {
  const ws = host && SAFE_HOST.test(host) ? ` ws://${host} wss://${host}` : ''
  return [
    "default-src 'self'",
    "script-src 'self'",
    // uPlot positions its legend and cursor with inline styles.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self'${ws}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

const cache = new Map<string, DashboardAsset>()

/**
 * The asset `name` (under DASHBOARD_PREFIX; `index.html` is also the page
 * at /), read and compressed on first use; undefined when unknown.
 */
export function dashboardAsset(name: string): DashboardAsset | undefined {
  const hit = cache.get(name)
  if (hit) return hit
  const src = Object.prototype.hasOwnProperty.call(SOURCES, name) ? SOURCES[name] : undefined
  if (!src) return undefined
  const body = fs.readFileSync(src.file())
  const asset = { type: src.type, body, gzip: zlib.gzipSync(body), etag: `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` }
  cache.set(name, asset)
  return asset
}

/**
 * Answers `/` (the page) or `/dashboard/<asset>`; false when the path is
 * none of the dashboard's, for the caller's 404. Every file is revalidated
 * on each load (by ETag), so the page and its modules never mix versions.
 */
export function serveDashboard(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): boolean {
  const name = pathname === '/' ? 'index.html' : pathname.startsWith(DASHBOARD_PREFIX) ? pathname.slice(DASHBOARD_PREFIX.length) : undefined
  const asset = name === undefined ? undefined : dashboardAsset(name)
  if (!asset) return false
  const headers = {
    'content-type': asset.type,
    'content-security-policy': dashboardCsp(req.headers.host),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
    etag: asset.etag,
    vary: 'accept-encoding',
  }
  if (req.headers['if-none-match'] === asset.etag) {
    res.writeHead(304, headers)
    res.end(Buffer.alloc(0))
    return true
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))
  const body = gzip ? asset.gzip : asset.body
  res.writeHead(200, { ...headers, 'content-length': body.length, ...(gzip ? { 'content-encoding': 'gzip' } : {}) })
  res.end(body)
  return true
}
