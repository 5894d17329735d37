// The dashboard's only source of data: the public GraphQL API of the server
// that serves it, queries over HTTP and the `blocks` subscription over
// WebSocket (graphql-ws's own browser client, served from node_modules).
import { createClient } from '/dashboard/graphql-ws/client.js'

export class ApiError extends Error {}

/**
 * Runs a query. Accepting application/json makes the server answer request
 * errors with 200 and the errors in the body, so the browser logs no failed
 * request and the page shows the message instead.
 */
export async function gql(query, variables = {}) {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  })
  let body
  try {
    body = await res.json()
  } catch {
    throw new ApiError(`the API answered HTTP ${res.status} without JSON`)
  }
  if (body.errors && body.errors.length) throw new ApiError(body.errors.map((e) => e.message).join('; '))
  if (!res.ok) throw new ApiError(`the API answered HTTP ${res.status}`)
  return body.data
}

const BLOCKS = 'subscription { blocks { height hash timestamp reorg } }'

/**
 * Follows the index's head: `onBlock(block)` for each `blocks` event and
 * `onState('live' | 'offline')` as the connection comes and goes. The client
 * reconnects with backoff (and subscribes again) for as long as the page is
 * open; while it is down the caller polls instead.
 */
export function followBlocks(onBlock, onState) {
  const client = createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** retries, 30_000))),
    on: { connected: () => onState('live'), closed: () => onState('offline') },
  })
  let closed = false
  let unsubscribe = () => {}
  const subscribe = () => {
    unsubscribe = client.subscribe(
      { query: BLOCKS },
      {
        next: (result) => {
          if (result.data) onBlock(result.data.blocks)
        },
        // The server ended the subscription (e.g. a restart of its feed): ask again.
        error: () => {
          if (!closed) setTimeout(subscribe, 1000)
        },
        complete: () => {
          if (!closed) setTimeout(subscribe, 1000)
        },
      },
    )
  }
  subscribe()
  return () => {
    closed = true
    unsubscribe()
    void client.dispose()
  }
}
