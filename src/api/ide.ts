/**
 * GraphiQL served by the API itself, for a browser opening /graphql. Every
 * asset comes from this server (the pinned `graphiql` 3 UMD bundle and React
 * 18's UMD builds, read from node_modules), so the IDE works offline; the
 * page's Content-Security-Policy forbids loading or connecting anywhere else.
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'

export const IDE_PREFIX = '/graphql/ide/'

interface Asset {
  type: string
  body: Buffer
  gzip: Buffer
}

const pkgDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`))

const START = `'use strict'
// Runs after React, ReactDOM and GraphiQL's UMD bundles have set their globals.
const root = ReactDOM.createRoot(document.getElementById('graphiql'))
const fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', location.href).href })
root.render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultQuery: '{\\n  _meta {\\n    height\\n    hash\\n    timestamp\\n    lag\\n  }\\n}\\n',
    shouldPersistHeaders: false,
  }),
)
`

const SOURCES: Record<string, { type: string; file?: () => string; text?: string }> = {
  'graphiql.min.css': { type: 'text/css; charset=utf-8', file: () => path.join(pkgDir('graphiql'), 'graphiql.min.css') },
  'graphiql.min.js': { type: 'text/javascript; charset=utf-8', file: () => path.join(pkgDir('graphiql'), 'graphiql.min.js') },
  'react.production.min.js': { type: 'text/javascript; charset=utf-8', file: () => path.join(pkgDir('react'), 'umd/react.production.min.js') },
  'react-dom.production.min.js': { type: 'text/javascript; charset=utf-8', file: () => path.join(pkgDir('react-dom'), 'umd/react-dom.production.min.js') },
  'start.js': { type: 'text/javascript; charset=utf-8', text: START },
}

export const IDE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ICN indexer · GraphiQL</title>
<link rel="stylesheet" href="${IDE_PREFIX}graphiql.min.css">
</head>
<body style="margin:0">
<div id="graphiql" style="height:100vh">Loading GraphiQL…</div>
<script src="${IDE_PREFIX}react.production.min.js"></script>
<script src="${IDE_PREFIX}react-dom.production.min.js"></script>
<script src="${IDE_PREFIX}graphiql.min.js"></script>
<script src="${IDE_PREFIX}start.js"></script>
</body>
</html>
`

/** Same-origin only: the browser itself refuses any other host. */
export const IDE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

const cache = new Map<string, Asset>()

/** The asset named `name` (under IDE_PREFIX), read and compressed on first use; undefined when unknown. */
export function ideAsset(name: string): Asset | undefined {
  const hit = cache.get(name)
  if (hit) return hit
  const src = Object.prototype.hasOwnProperty.call(SOURCES, name) ? SOURCES[name] : undefined
  if (!src) return undefined
  const body = src.text !== undefined ? Buffer.from(src.text, 'utf8') : fs.readFileSync(src.file!())
  const asset = { type: src.type, body, gzip: zlib.gzipSync(body) }
  cache.set(name, asset)
  return asset
}
