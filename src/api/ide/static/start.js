'use strict'
// GraphiQL's start-up: runs after React, ReactDOM and GraphiQL's UMD bundles
// have set their globals (the page loads them first, in order).
/* global React, ReactDOM, GraphiQL, document, location */
const root = ReactDOM.createRoot(document.getElementById('graphiql'))
const fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', location.href).href })
root.render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultQuery: '{\n  _meta {\n    height\n    hash\n    timestamp\n    lag\n  }\n}\n',
    shouldPersistHeaders: false,
  }),
)
