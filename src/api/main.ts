/** The API process: serves the index over HTTP until SIGINT/SIGTERM. */
import { apiConfig, ConfigError } from '../config'
import { log, setLogFormat } from '../runtime/log'
import { startApiServer } from './server'

async function main(): Promise<void> {
  const cfg = apiConfig()
  setLogFormat(cfg.logJson)
  const server = await startApiServer(cfg).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE') throw new ConfigError(`API port ${cfg.port} is already in use (set API_PORT)`)
    throw e
  })
  log.info('api', `listening on ${server.url}/graphql`, { url: server.url })
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
