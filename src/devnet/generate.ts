/**
 * Generates a devnet chain of simulated history and measures how fast:
 *   npm run devnet:generate -- [--scale N] [--eras N] [--seed N] [--keep]
 * Prints events, blocks and events/s, and writes bench/results/devnet-generate.json.
 * With --keep the devnet stays up (its RPC URL is printed) until Ctrl-C.
 */
import fs from 'node:fs'
import path from 'node:path'
import { PROJECT_DIR } from '../config'
import { freePort } from '../runtime/ports'
import { countLogs, startDevnet } from '.'

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`)
  if (i < 0) return def
  const v = Number(process.argv[i + 1])
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} needs a non-negative integer`)
  return v
}

async function main(): Promise<void> {
  const scale = arg('scale', 20)
  const eras = arg('eras', 500)
  const seed = arg('seed', 1)
  const port = arg('port', 0) || (await freePort())
  const t0 = process.hrtime.bigint()
  let last = Date.now()
  const devnet = await startDevnet({
    port,
    seed,
    scale,
    historyEras: eras,
    onProgress: (e) => {
      if (Date.now() - last > 5000) {
        last = Date.now()
        console.log(`  era ${e + 1} of ${eras}`)
      }
    },
  })
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  const blocks = await devnet.chain.blockNumber()
  const events = await countLogs(devnet.anvil.rpc, blocks)
  const result = {
    date: new Date().toISOString(),
    scale,
    eras,
    seed,
    blocks,
    events,
    seconds: Number(seconds.toFixed(2)),
    eventsPerSecond: Math.round(events / seconds),
  }
  console.log(JSON.stringify(result))
  const dir = path.join(PROJECT_DIR, 'bench', 'results')
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'devnet-generate.json'), JSON.stringify(result, null, 2) + '\n')
  if (process.argv.includes('--keep')) {
    console.log(`devnet RPC: ${devnet.anvil.url} (Ctrl-C to stop)`)
    process.once('SIGINT', () => void devnet.stop().then(() => process.exit(0)))
    return
  }
  await devnet.stop()
}

main().catch((e: unknown) => {
  console.error(`devnet:generate: ${(e as Error).message}`)
  process.exit(1)
})
