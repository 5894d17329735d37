/** The API process: serves the index over HTTP until SIGINT/SIGTERM. */
import cluster from 'node:cluster'
import { apiConfig, ConfigError } from '../config'
import { runPrimary } from './cluster'
import { log, setLogFormat } from '../runtime/log'
import { startApiServer } from './server'

async function main(): Promise<void> {
  const cfg = apiConfig()
  setLogFormat(cfg.logJson)
  // API_WORKERS > 1: this process forks the workers and serves nothing itself (src/api/cluster.ts).
  if (cfg.workers > 1 && cluster.isPrimary) return runPrimary(cfg)
  const server = await startApiServer(cfg).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE') throw new ConfigError(`API port ${cfg.port} is already in use (set API_PORT)`)
    throw e
  })
  if (!cluster.isWorker) log.info('api', `listening on ${server.url}/graphql`, { url: server.url })
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((e: unknown) => {
  log.error('api', e instanceof ConfigError ? e.message : ((e as Error).stack ?? String(e)))
  process.exit(1)
})
