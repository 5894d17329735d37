/**
 * The API's static files (GraphiQL and the dashboard), gathered at build
 * time (`npm run build` runs this file after tsc) into lib/static/, each with
 * a gzip copy beside it. @fastify/static serves that one directory
 * (src/api/server.ts) with `preCompressed`, so a browser gets the gzip file,
 * its length and an ETag without the server compressing anything per request.
 *
 * Only the files listed here are copied, so nothing else of node_modules or
 * the source tree is reachable over HTTP. tsc does not copy non-TypeScript
 * files, which is why our own HTML, CSS and browser modules come from src/.
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { PROJECT_DIR } from '../config'

export const ASSETS_DIR = path.join(PROJECT_DIR, 'lib/static')
export const IDE_ASSETS = 'ide'
export const DASHBOARD_ASSETS = 'dashboard'

const pkgDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`))
const src = (...p: string[]) => path.join(PROJECT_DIR, 'src/api', ...p)

/**
 * graphql-ws's browser client (its ESM build) and the chunks it imports,
 * found by reading its relative imports: their names carry a content hash
 * that changes with each release.
 */
function graphqlWsClient(): Record<string, string> {
  const dist = path.join(pkgDir('graphql-ws'), 'dist')
  const files: Record<string, string> = {}
  const add = (name: string) => {
    if (files[`graphql-ws/${name}`]) return
    const file = path.join(dist, name)
    files[`graphql-ws/${name}`] = file
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/from\s*'\.\/([\w.-]+\.js)'/g)) add(m[1])
  }
  add('client.js')
  return files
}

/** Every file served, by its path under ASSETS_DIR. */
export function assetSources(): Record<string, string> {
  const dashboard: Record<string, string> = {
    ...Object.fromEntries(['index.html', 'style.css', 'app.mjs', 'api.mjs', 'format.mjs', 'charts.mjs', 'pages.mjs'].map((f) => [f, src('dashboard/static', f)])),
    'uPlot.iife.min.js': path.join(pkgDir('uplot'), 'dist/uPlot.iife.min.js'),
    'uPlot.min.css': path.join(pkgDir('uplot'), 'dist/uPlot.min.css'),
    ...graphqlWsClient(),
  }
  const ide: Record<string, string> = {
    'graphiql.min.css': path.join(pkgDir('graphiql'), 'graphiql.min.css'),
    'graphiql.min.js': path.join(pkgDir('graphiql'), 'graphiql.min.js'),
    'react.production.min.js': path.join(pkgDir('react'), 'umd/react.production.min.js'),
    'react-dom.production.min.js': path.join(pkgDir('react-dom'), 'umd/react-dom.production.min.js'),
    'start.js': src('ide/static/start.js'),
  }
  return {
    ...Object.fromEntries(Object.entries(dashboard).map(([k, v]) => [`${DASHBOARD_ASSETS}/${k}`, v])),
    ...Object.fromEntries(Object.entries(ide).map(([k, v]) => [`${IDE_ASSETS}/${k}`, v])),
  }
}

/** Writes every asset and its .gz into `dir`, replacing what was there. */
export function buildAssets(dir = ASSETS_DIR): void {
  fs.rmSync(dir, { recursive: true, force: true })
  for (const [name, from] of Object.entries(assetSources())) {
    const to = path.join(dir, name)
    fs.mkdirSync(path.dirname(to), { recursive: true })
    const body = fs.readFileSync(from)
    fs.writeFileSync(to, body)
    fs.writeFileSync(`${to}.gz`, zlib.gzipSync(body, { level: 9 }))
  }
}

/** Throws, naming the fix, when the assets have not been built. */
export function assertAssetsBuilt(dir = ASSETS_DIR): void {
  for (const name of Object.keys(assetSources())) {
    if (!fs.existsSync(path.join(dir, name))) throw new Error(`static asset ${name} is missing from ${dir}: run npm run build`)
  }
}

if (require.main === module) buildAssets()
