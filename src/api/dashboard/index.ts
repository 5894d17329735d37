/**
 * The web dashboard, served by the API at / (the page) and /dashboard/…
 * (its assets). It is static, hand-written HTML, CSS and ES modules that read
 * only the public GraphQL API (queries over HTTP, `blocks` over WebSocket
 * with graphql-ws's own browser client), plus uPlot for the charts: no
 * bundler and no CDN, so it works offline. The files are gathered into
 * lib/static/dashboard by src/api/assets.ts and served by @fastify/static.
 */

export const DASHBOARD_PREFIX = '/dashboard/'

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
