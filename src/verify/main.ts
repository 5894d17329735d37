/**
 * `npm run verify [block]`: proves the index against the chain. Compares every
 * figure the database holds at the block (default: the indexed head) with the
 * chain's own answer through eth_call at that block, prints each difference
 * with the entity and both values, and exits 1 on any (2 when it cannot run).
 */
import path from 'node:path'
import { Client } from 'pg'
import { ConfigError, verifyConfig } from '../config'
import { embeddedDatabaseName, runningEmbeddedUrl } from '../db/embedded'
import { RpcClient } from '../runtime/rpc'
import { verify, VerifyError } from '.'

function parseBlock(arg: string | undefined): number | undefined {
  if (arg === undefined || arg === 'head') return undefined
  if (!/^\d+$/.test(arg)) throw new ConfigError(`block must be a non-negative integer or "head" (got ${JSON.stringify(arg)})`)
  return Number(arg)
}

async function main(): Promise<number> {
  const cfg = verifyConfig()
  const block = parseBlock(process.argv[2])
  const dbUrl = cfg.databaseUrl ?? runningEmbeddedUrl(path.join(cfg.dataDir, 'postgres'), embeddedDatabaseName(cfg.network))
  if (!dbUrl) throw new ConfigError(`DATABASE_URL is not set and no embedded Postgres of \`npm start\` runs in ${cfg.dataDir}/postgres`)
  const db = new Client({ connectionString: dbUrl, connectionTimeoutMillis: 5000 })
  await db.connect().catch((e: Error) => {
    throw new ConfigError(`cannot connect to the database: ${e.message}`)
  })
  try {
    const t0 = Date.now()
    const r = await verify(db, new RpcClient(cfg.rpcUrl), cfg.preset, block)
    for (const d of r.differences) console.log(`DIFF ${d.entity} ${d.field}: index ${d.index}, chain ${d.chain}`)
    for (const s of r.skipped) console.log(`SKIPPED ${s.check}: this deployment does not answer it (${s.reason})`)
    const secs = ((Date.now() - t0) / 1000).toFixed(1)
    const skipped = r.skipped.length ? `; ${r.skipped.length} check(s) beyond the spec skipped: ${r.skipped.map((s) => s.check).join(', ')}` : ''
    console.log(`verify: block ${r.block}: ${r.checked} figures compared, ${r.differences.length} difference(s)${skipped} (${secs} s)`)
    return r.differences.length === 0 ? 0 : 1
  } finally {
    await db.end()
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    const known = e instanceof ConfigError || e instanceof VerifyError
    console.error(`verify: ${known ? (e as Error).message : ((e as Error).stack ?? String(e))}`)
    process.exit(2)
  },
)
