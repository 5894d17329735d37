/**
 * `npm start`: the whole stack on embedded defaults. With no configuration it
 * runs a local devnet (deploy, genesis, history, then live activity), an
 * embedded Postgres, the indexer and the API, and prints where to open them.
 * With ICN_NETWORK + RPC_URL it indexes that chain instead; with DATABASE_URL
 * it uses that server. ICN_NETWORK=devnet-2chain runs the two-chain devnet
 * (L1 on DEVNET_PORT, L2 on the next port) with one indexer per chain and the
 * API over both. Ctrl-C stops everything.
 */
import { ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { Client } from 'pg'
import { chainRpcVariable, chainSchemas, childEnv, ConfigError, exportDatabaseUrlForSdk, PROJECT_DIR, startConfig, StartConfig, withSearchPath } from './config'
import { loadPreset, presetPath } from './config/preset'
import { prepareChain } from './runtime/supervisor'
import { applyMigrations } from './db/migrate'
import { createDatabase, embeddedDatabaseName } from './db/embedded'
import { EmbeddedPostgresProcess } from './db/embedded-process'
import { API_ROLE, ensureReadOnlyRole } from './db/readonly'
import { Devnet, startDevnet } from './devnet'
import { readSavedDevnet, refusal, resumeDevnet, saveDevnet } from './devnet/persist'
import { log as logger } from './runtime/log'
import { checkContracts, checkRpcs, PreflightError, resolveStartBlock } from './runtime/preflight'
import { RpcClient } from './runtime/rpc'
import { freePort, portIsFree } from './runtime/ports'

const log = (msg: string) => logger.info('start', msg)

async function checkDatabase(url: string): Promise<void> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 5000 })
  try {
    await c.connect()
    await c.query('SELECT 1')
  } catch (e) {
    const u = new URL(url)
    throw new ConfigError(`DATABASE_URL (${u.hostname}:${u.port || 5432}${u.pathname}) does not answer: ${(e as Error).message}`)
  } finally {
    await c.end().catch(() => {})
  }
}

class Stack {
  devnet?: Devnet
  /** Saves the devnet to the data folder (set when the stack runs one). */
  saveDevnet?: () => Promise<void>
  pg?: EmbeddedPostgresProcess
  children: ChildProcess[] = []
  liveTimer?: NodeJS.Timeout
  /** The simulator step (and save) under way, which a stop waits for. */
  ticking?: Promise<void>
  stopping = false

  async stop(code: number): Promise<never> {
    if (this.stopping) process.exit(code)
    this.stopping = true
    if (this.liveTimer) clearTimeout(this.liveTimer)
    await this.ticking
    await Promise.all(
      this.children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve()
            c.once('exit', () => resolve())
            c.kill('SIGTERM')
            setTimeout(() => c.kill('SIGKILL'), 8000).unref()
          }),
      ),
    )
    // The devnet is saved once the indexer has stopped: the index is never
    // ahead of the saved chain. A save that fails leaves the last one whole.
    if (this.saveDevnet) {
      log('saving the devnet for the next start (a second Ctrl-C skips it: the next start then goes back to the last save, or to a new devnet)')
      await this.saveDevnet().catch((e: Error) => logger.error('start', `could not save the devnet: ${e.message}`))
    }
    // Postgres last but for the devnet: the indexer's last commit has landed by now.
    await this.pg?.stop().catch(() => {})
    await this.devnet?.stop().catch(() => {})
    process.exit(code)
  }
}

function spawnChild(stack: Stack, name: string, script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [path.join(PROJECT_DIR, 'lib', script)], {
    env: childEnv(env),
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  child.on('exit', (code, signal) => {
    if (stack.stopping) return
    logger.error('start', `${name} exited (${signal ?? `code ${code}`}); stopping everything`)
    void stack.stop(1)
  })
  stack.children.push(child)
  return child
}

async function main(): Promise<void> {
  const cfg: StartConfig = startConfig()
  const stack = new Stack()
  process.on('SIGINT', () => void stack.stop(0))
  process.on('SIGTERM', () => void stack.stop(0))

  const useDevnet = cfg.rpcUrls.length === 0
  const two = cfg.twoChainDevnet
  // The two-chain devnet's L2 listens on the port after the L1's.
  const l2Port = cfg.devnetPort + 1
  if (!(await portIsFree(cfg.apiPort))) throw new ConfigError(`API port ${cfg.apiPort} is already in use (set API_PORT to another port)`)
  if (useDevnet && !(await portIsFree(cfg.devnetPort))) {
    throw new ConfigError(`devnet port ${cfg.devnetPort} is already in use (set DEVNET_PORT to another port)`)
  }
  if (two && (l2Port > 65535 || !(await portIsFree(l2Port)))) {
    throw new ConfigError(`devnet L2 port ${l2Port} (DEVNET_PORT + 1) is already in use (set DEVNET_PORT to a port whose next one is free)`)
  }

  if (cfg.databaseUrl) await checkDatabase(cfg.databaseUrl)
  // A public chain: its RPC answers, on the preset's chain, and holds the preset's contracts, before anything says "running".
  const preset = useDevnet ? undefined : loadPreset(cfg.network)
  if (preset) {
    await checkRpcs(cfg.rpcUrls, preset)
    await checkContracts(new RpcClient(cfg.rpcUrls[0]), preset)
  }

  let rpcUrls = cfg.rpcUrls
  const devnetDir = path.join(cfg.dataDir, 'devnet')
  let resumed = false
  if (useDevnet) {
    const t0 = Date.now()
    const id = { seed: cfg.sim.seed, scale: cfg.sim.scale, historyEras: cfg.sim.historyEras, ...(two ? { twoChains: true } : {}) }
    const saved = cfg.freshDevnet ? undefined : readSavedDevnet(devnetDir)
    if (cfg.freshDevnet) log('--fresh: a new devnet and an empty index')
    if (saved) {
      log(`resuming the devnet saved in ${relative(devnetDir)} at block ${saved.blocks} (${saved.savedAt})`)
      const why = refusal(saved, id)
      const r = why ? { reason: why } : await resumeDevnet(devnetDir, saved, { port: cfg.devnetPort, ...(two ? { l2Port } : {}) })
      if ('reason' in r) logger.warn('start', `the saved devnet cannot be resumed: ${r.reason}; starting a new devnet and an empty index`)
      else {
        stack.devnet = r
        resumed = true
      }
    }
    if (!stack.devnet) log(`starting devnet on 127.0.0.1:${cfg.devnetPort}${two ? ` (L1) and 127.0.0.1:${l2Port} (L2)` : ''}: deploy, genesis and ${cfg.sim.historyEras} eras of history (seed ${cfg.sim.seed})`)
    stack.devnet ??= await startDevnet({
      port: cfg.devnetPort,
      ...(two ? { l2Port } : {}),
      seed: cfg.sim.seed,
      scale: cfg.sim.scale,
      historyEras: cfg.sim.historyEras,
      preserveHistoricalStates: true,
      onProgress: (e) => {
        if ((e + 1) % 100 === 0) log(`  history: era ${e + 1} of ${cfg.sim.historyEras}`)
      },
    })
    rpcUrls = [stack.devnet.anvil.url]
    // The deploy step writes the devnet preset (deterministic: normally unchanged).
    const file = presetPath(cfg.network)
    const text = JSON.stringify(two ? stack.devnet.network : stack.devnet.preset, null, 2) + '\n'
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) fs.writeFileSync(file, text)
    log(`devnet ${resumed ? 'resumed' : 'ready'} in ${((Date.now() - t0) / 1000).toFixed(1)} s at block ${await stack.devnet.chain.blockNumber()}`)
    const devnet = stack.devnet
    stack.saveDevnet = async () => {
      const t = Date.now()
      const meta = await saveDevnet(devnet, id, devnetDir)
      log(`devnet saved to ${relative(devnetDir)} at block ${meta.blocks} in ${((Date.now() - t) / 1000).toFixed(1)} s`)
    }
  }

  let databaseUrl = cfg.databaseUrl
  if (!databaseUrl) {
    const port = await freePort()
    stack.pg = await EmbeddedPostgresProcess.start(path.join(cfg.dataDir, 'postgres'), port)
    // A new devnet is a new chain: its database starts empty. A resumed one keeps its index, if that index is of this chain.
    const name = embeddedDatabaseName(cfg.network)
    databaseUrl = await createDatabase(stack.pg.url(), name, useDevnet && !resumed)
    const mismatch = resumed ? await devnetIndexMismatch(databaseUrl, stack.devnet!, two) : undefined
    if (mismatch) {
      logger.warn('start', `${mismatch}: the index starts over on the saved devnet`)
      databaseUrl = await createDatabase(stack.pg.url(), name, true)
    }
    log(`embedded Postgres on 127.0.0.1:${port} (data in ${relative(cfg.dataDir)}/postgres)`)
  }
  // Migrations before anything reads: each chain's schemas on the two-chain devnet (the supervisor would do it too).
  const chains = two ? stack.devnet!.network!.chains.map((c) => c.name) : []
  if (two) for (const c of chains) await prepareChain(databaseUrl, c)
  else {
    exportDatabaseUrlForSdk(databaseUrl)
    await applyMigrations()
  }
  // Found (and kept) now rather than by the indexer, so a node that cannot answer it stops the start before the banner.
  if (preset) await resolveStartBlock(new RpcClient(cfg.rpcUrls[0]), preset, databaseUrl, { gateway: cfg.gatewayUrl !== undefined, log })

  // The API reads through a role that can only SELECT (and its sessions are
  // read-only whatever role they use); API_DATABASE_URL, when given, wins.
  let apiDatabaseUrl = cfg.apiDatabaseUrl
  if (apiDatabaseUrl) {
    log('API reads from API_DATABASE_URL (read-only sessions)')
  } else {
    const ro = await ensureReadOnlyRole(databaseUrl, two ? chains.map((c) => chainSchemas(c).data!) : undefined)
    if ('reason' in ro) {
      apiDatabaseUrl = databaseUrl
      logger.warn('start', `could not create the API's read-only role ${API_ROLE}: ${ro.reason}; the API connects with DATABASE_URL, guarded by read-only sessions only`)
    } else {
      apiDatabaseUrl = ro.url
      log(`API reads as the read-only role ${API_ROLE}`)
    }
  }

  const common: Record<string, string> = { ICN_NETWORK: cfg.network, DATABASE_URL: databaseUrl }
  const l2Url = two ? stack.devnet!.l2!.anvil.url : undefined
  // The two-chain devnet: lib/main.js supervises one indexer per chain, each on its chain's RPC_URL_<NAME>.
  const rpcEnv: Record<string, string> = two ? { [chainRpcVariable('l1')]: rpcUrls[0], [chainRpcVariable('l2')]: l2Url! } : { RPC_URL: rpcUrls.join(',') }
  spawnChild(stack, 'indexer', 'main.js', { ...common, ...rpcEnv, ...(cfg.gatewayUrl ? { GATEWAY_URL: cfg.gatewayUrl } : {}) })
  spawnChild(stack, 'api', 'api/main.js', { ...common, API_DATABASE_URL: apiDatabaseUrl, API_PORT: String(cfg.apiPort), API_HOST: cfg.apiHost })

  const apiUrl = `http://localhost:${cfg.apiPort}`
  // The banner is what `npm start` shows a person (README), not a log line.
  const urls = [
    `  Dashboard:    ${apiUrl}/`,
    `  GraphQL API:  ${apiUrl}/graphql`,
    ...(useDevnet && !two ? [`  Devnet RPC:   ${rpcUrls[0]}  (chain id 31337)`] : []),
    ...(two ? [`  Devnet RPC:   ${rpcUrls[0]}  (L1, chain id 31337)`, `                ${l2Url}  (L2, chain id 31338)`] : []),
    '  Stop with Ctrl-C.',
    '',
  ]
  process.stdout.write(['', `  icn-indexer is running (${cfg.network})`, ...urls].join('\n') + '\n')
  // Progress lines scroll the banner away: it is printed again once the index first reaches the chain head.
  const watched = two ? [{ url: withSearchPath(databaseUrl, chainSchemas('l1').data), rpc: new RpcClient(rpcUrls[0]) }, { url: withSearchPath(databaseUrl, chainSchemas('l2').data), rpc: new RpcClient(l2Url!) }] : [{ url: databaseUrl, rpc: new RpcClient(rpcUrls[0]) }]
  announceAtHead(stack, watched, (heights) =>
    process.stdout.write(
      ['', `  icn-indexer reached the chain head${two ? `s (L1 block ${heights[0]}, L2 block ${heights[1]})` : ` (block ${heights[0]})`} in ${process.uptime().toFixed(1)} s (${cfg.network})`, ...urls].join('\n') + '\n',
    ),
  )

  if (useDevnet && cfg.sim.liveIntervalMs > 0) {
    const devnet = stack.devnet!
    let lastSave = Date.now()
    const tick = async () => {
      try {
        await devnet.simulator.step()
      } catch (e) {
        if (!stack.stopping) logger.warn('start', `simulator: ${(e as Error).message}`)
      }
      // Between two steps, so the saved chain and the simulator's era agree.
      if (cfg.devnetSaveIntervalS > 0 && Date.now() - lastSave >= cfg.devnetSaveIntervalS * 1000 && !stack.stopping) {
        lastSave = Date.now()
        await stack.saveDevnet!().catch((e: Error) => logger.warn('start', `could not save the devnet: ${e.message}`))
      }
    }
    const schedule = () => {
      stack.liveTimer = setTimeout(() => {
        stack.ticking = tick().finally(() => {
          stack.ticking = undefined
          if (!stack.stopping) schedule()
        })
      }, cfg.sim.liveIntervalMs)
    }
    schedule()
  }
}

const relative = (p: string) => path.relative(process.cwd(), p) || '.'

/**
 * Why the index in `databaseUrl` is not of the chain `rpc` serves (it is
 * ahead of it, or its head block has another hash), or undefined when it is
 * (or there is no index yet).
 */
async function indexAgainstChain(databaseUrl: string, rpc: RpcClient): Promise<string | undefined> {
  const c = new Client({ connectionString: databaseUrl })
  await c.connect()
  let status: { height: number; hash: string } | undefined
  try {
    const exists = await c.query(`SELECT to_regclass('indexer_status') AS t`)
    if (exists.rows[0].t === null) return undefined
    status = (await c.query<{ height: number; hash: string }>(`SELECT height, hash FROM indexer_status WHERE id = 'status'`)).rows[0]
  } finally {
    await c.end()
  }
  if (!status) return undefined
  const head = Number(await rpc.call<string>('eth_blockNumber'))
  if (status.height > head) return `the index is at block ${status.height}, ahead of the saved devnet (block ${head})`
  const block = await rpc.call<{ hash: string } | null>('eth_getBlockByNumber', ['0x' + status.height.toString(16), false])
  if (block?.hash !== status.hash) return `the index's block ${status.height} is ${status.hash}, the saved devnet's ${block?.hash}`
  return undefined
}

/** Why a resumed devnet's index is not of its chains (each chain's schema against its chain on the two-chain devnet), or undefined. */
async function devnetIndexMismatch(databaseUrl: string, devnet: Devnet, two: boolean): Promise<string | undefined> {
  if (!two) return indexAgainstChain(databaseUrl, devnet.anvil.rpc)
  for (const [name, rpc] of [['l1', devnet.anvil.rpc], ['l2', devnet.l2!.anvil.rpc]] as const) {
    const why = await indexAgainstChain(withSearchPath(databaseUrl, chainSchemas(name).data), rpc)
    if (why) return `chain ${name}: ${why}`
  }
  return undefined
}

/** The index's height in `databaseUrl` when it is within a block of its chain's head, else undefined. */
async function heightAtHead(databaseUrl: string, rpc: RpcClient): Promise<number | undefined> {
  const c = new Client({ connectionString: databaseUrl })
  try {
    await c.connect()
    const r = await c.query<{ height: number }>(`SELECT height FROM indexer_status WHERE id = 'status'`)
    const head = Number(await rpc.call<string>('eth_blockNumber'))
    const s = r.rows[0]
    return s && s.height >= head - 1 ? s.height : undefined
  } catch {
    // Not there yet (no status row, a restart): the next poll asks again.
    return undefined
  } finally {
    await c.end().catch(() => undefined)
  }
}

/**
 * Calls `onHead` once, when the index first reaches the chain's head (every
 * chain's, on the two-chain devnet): its status row within a block of what
 * the RPC answers eth_blockNumber (a row left by an earlier run is behind a
 * chain that moved on). Polled every second.
 */
function announceAtHead(stack: Stack, chains: Array<{ url: string; rpc: RpcClient }>, onHead: (heights: number[]) => void): void {
  const poll = async () => {
    if (stack.stopping) return
    const heights = await Promise.all(chains.map((c) => heightAtHead(c.url, c.rpc)))
    if (heights.every((h) => h !== undefined)) onHead(heights as number[])
    else if (!stack.stopping) setTimeout(() => void poll(), 1000).unref()
  }
  setTimeout(() => void poll(), 1000).unref()
}

main().catch((e: unknown) => {
  logger.error('start', e instanceof ConfigError || e instanceof PreflightError ? e.message : ((e as Error).stack ?? String(e)))
  process.exit(1)
})
