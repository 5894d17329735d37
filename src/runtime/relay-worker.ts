/**
 * The RPC relay on a thread of its own (started by startRelay in
 * ./rpc-relay.ts): its HTTP server, its requests to the endpoints and its
 * check of every answer (a full JSON parse of each, megabytes per eth_getLogs
 * while syncing) run beside the indexer's main thread instead of on it.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { setLogFormat } from './log'
import { RelayWorkerData, RelayWorkerMessage, RpcFault, RpcRelay } from './rpc-relay'

const data = workerData as RelayWorkerData
const post = (m: RelayWorkerMessage) => parentPort!.postMessage(m)
setLogFormat(data.logJson)
const relay = new RpcRelay({ ...data, onFatal: (e) => post({ kind: 'fatal', message: e.message }) })
relay.start().then(
  (url) => post({ kind: 'ready', url }),
  (e: unknown) => post({ kind: 'failed', message: (e as Error).message, atStart: e instanceof RpcFault }),
)
