/**
 * The indexer of a multi-chain network: one indexer process per chain (SQD's
 * multichain pattern), all writing one database, each chain in schemas of its
 * own (its tables, the SDK's cursor and hot blocks, the writer's
 * bookkeeping). The supervisor creates the schemas and applies the migrations
 * to each, once, before any indexer starts; then it runs one `lib/main.js`
 * per chain with ICN_CHAIN set. Each chain keeps its own status row,
 * finality and reorg handling; as no two chains share a table, one chain's
 * writer never waits on, conflicts with or rolls back the other's rows.
 *
 * A chain's indexer that stops on an error stops the others (and the
 * supervisor exits non-zero): a network index is only as good as its worst
 * chain, and a half-running one would serve network figures from a stale
 * chain without saying so. SIGTERM and SIGINT are passed on: every chain
 * commits what it was handed, then the supervisor exits 0.
 */
import { ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { Client } from 'pg'
import { chainSchemas, childEnv, exportDatabaseUrlForSdk, MultiChainPreset, withSearchPath } from '../config'
import { applyMigrations } from '../db/migrate'
import { log } from './log'

/** Creates chain `name`'s schemas (as far as migrations need: its tables') and applies the migrations there. */
export async function prepareChain(databaseUrl: string, name: string): Promise<string[]> {
  const schemas = chainSchemas(name)
  const c = new Client({ connectionString: databaseUrl })
  await c.connect()
  try {
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${schemas.data}`)
  } finally {
    await c.end()
  }
  exportDatabaseUrlForSdk(withSearchPath(databaseUrl, schemas.data))
  return applyMigrations()
}

export interface SupervisorOptions {
  network: MultiChainPreset
  databaseUrl: string
  rpcUrls: Record<string, string[]>
  /** INDEXER_METRICS_PORT: chain i serves its metrics on this port + i (0: each any free port). */
  metricsPort: number
}

/** Whether the database's default schema holds a single-chain index (its status table). */
async function singleChainIndex(databaseUrl: string): Promise<boolean> {
  const c = new Client({ connectionString: databaseUrl })
  await c.connect()
  try {
    return (await c.query<{ t: string | null }>(`SELECT to_regclass('public.indexer_status')::text AS t`)).rows[0].t !== null
  } finally {
    await c.end()
  }
}

export async function superviseChains(o: SupervisorOptions): Promise<void> {
  // Never silently: a single-chain index in this database is left as it is, and each chain is indexed afresh in its own schemas.
  if (await singleChainIndex(o.databaseUrl)) {
    log.warn('indexer', `this database also holds a single-chain index (schema public): network ${o.network.name} does not reuse it; each chain is indexed into schemas of its own (chain_<name>), the single-chain index is left untouched`)
  }
  for (const c of o.network.chains) {
    const applied = await prepareChain(o.databaseUrl, c.name)
    log.info('indexer', `chain ${c.name} (chain id ${c.chainId}): schema ${chainSchemas(c.name).data}${applied.length ? `, ${applied.length} migrations applied` : ', migrations up to date'}`)
  }
  const children = new Map<string, ChildProcess>()
  let stopping = false
  let exitCode = 0
  const stopAll = (signal: NodeJS.Signals) => {
    for (const child of children.values()) if (child.exitCode === null) child.kill(signal)
  }
  const done = o.network.chains.map(
    (c, i) =>
      new Promise<void>((resolve) => {
        const child = spawn(process.execPath, [path.join(__dirname, '..', 'main.js')], {
          env: childEnv({
            ICN_CHAIN: c.name,
            RPC_URL: o.rpcUrls[c.name].join(','),
            DATABASE_URL: o.databaseUrl,
            INDEXER_METRICS_PORT: String(o.metricsPort === 0 ? 0 : o.metricsPort + i),
          }),
          stdio: ['ignore', 'inherit', 'inherit'],
        })
        children.set(c.name, child)
        child.on('exit', (code, signal) => {
          if (!stopping && code !== 0) {
            stopping = true
            exitCode = 1
            log.error('indexer', `the indexer of chain ${c.name} stopped (${signal ?? `code ${code}`}): stopping the other chains`)
            stopAll('SIGTERM')
          }
          resolve()
        })
      }),
  )
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    log.info('indexer', `${signal}: stopping the indexer of every chain`)
    stopAll(signal)
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
  await Promise.all(done)
  process.exit(exitCode)
}
