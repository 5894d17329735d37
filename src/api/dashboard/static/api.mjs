// The dashboard's only source of data: the public GraphQL API of the server
// that serves it, queries over HTTP and the `blocks` subscription over
// WebSocket (the graphql-transport-ws protocol, spoken by hand: it is small).

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
 * `onState('live' | 'offline')` as the connection comes and goes. It
 * reconnects with backoff; while it is down the caller polls instead.
 */
export function followBlocks(onBlock, onState) {
  let retry = 1000
  let closed = false
  let ws
  const connect = () => {
    ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`, 'graphql-transport-ws')
    ws.onopen = () => ws.send(JSON.stringify({ type: 'connection_init' }))
    ws.onmessage = (ev) => {
      let msg
      try {
        msg = JSON.parse(ev.data)
      } catch {
        return
      }
      if (msg.type === 'connection_ack') {
        retry = 1000
        ws.send(JSON.stringify({ id: 'blocks', type: 'subscribe', payload: { query: BLOCKS } }))
        onState('live')
      } else if (msg.type === 'next' && msg.payload && msg.payload.data) {
        onBlock(msg.payload.data.blocks)
      } else if (msg.type === 'ping') {
        ws.send(JSON.stringify({ type: 'pong' }))
      } else if (msg.type === 'error' || msg.type === 'complete') {
        ws.close()
      }
    }
    ws.onclose = () => {
      onState('offline')
      if (closed) return
      setTimeout(connect, retry)
      retry = Math.min(retry * 2, 30_000)
    }
  }
  connect()
  return () => {
    closed = true
    ws.close()
  }
}
