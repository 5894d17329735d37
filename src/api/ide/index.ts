/**
 * GraphiQL served by the API itself, for a browser opening /graphql. Every
 * asset comes from this server (the pinned `graphiql` 3 UMD bundle and React
 * 18's UMD builds, gathered from node_modules by src/api/assets.ts, and
 * static/start.js), so the IDE works offline; the page's
 * Content-Security-Policy forbids loading or connecting anywhere else.
 */
export const IDE_PREFIX = '/graphql/ide/'

export const IDE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ICN indexer · GraphiQL</title>
<link rel="icon" href="data:,">
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
