/**
 * Runs an embedded Postgres in the foreground and prints its admin URL as
 * one JSON line on stdout; stops it on SIGINT/SIGTERM or when stdin closes.
 * Used by the test suite and by tools that need a throwaway server.
 *   node lib/db/pg-cli.js <dataDir> <port> [fast] [standby-of=<primary admin URL>]
 * With standby-of, the data folder (a copy of the stopped primary's, see
 * EmbeddedPostgres.copyForStandby) runs as that server's streaming replica.
 */
import { EmbeddedPostgres } from './embedded'

async function main(): Promise<void> {
  const [dataDir, portArg, ...rest] = process.argv.slice(2)
  const port = Number(portArg)
  if (!dataDir || !Number.isInteger(port)) throw new Error('usage: pg-cli <dataDir> <port> [fast] [standby-of=<url>]')
  const settings: Record<string, string> = rest.includes('fast')
    ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', shared_preload_libraries: 'pg_stat_statements' }
    : {}
  const standbyOf = rest.find((a) => a.startsWith('standby-of='))?.slice('standby-of='.length)
  const pg = await EmbeddedPostgres.start({ dataDir, port, settings, standbyOf })
  process.stdout.write(JSON.stringify({ url: pg.url() }) + '\n')
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    pg.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  process.stdin.on('end', stop)
  process.stdin.on('close', stop)
  process.stdin.resume()
}

main().catch((e: unknown) => {
  console.error(`embedded postgres: ${(e as Error).message}`)
  process.exit(1)
})
