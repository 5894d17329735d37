/**
 * The only module that reads process.env. Each process (start, indexer, API,
 * tools) asks for the part it needs once at start; every value is validated
 * and a bad one stops the process with a message naming the variable.
 */
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { chainPreset, ConfigError, loadNetwork, loadPreset, MultiChainPreset, NetworkPreset } from './preset'

export { ConfigError, loadNetwork, loadPreset } from './preset'
export type { NetworkPreset, LabelledWallet, SlaThresholds, MultiChainPreset, Network } from './preset'

export const PROJECT_DIR = path.resolve(__dirname, '../..')

type Env = Record<string, string | undefined>

function envInt(env: Env, name: string, def: number, min: number, max: number): number {
  const v = env[name]
  if (v == null || v === '') return def
  const n = Number(v)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name}=${JSON.stringify(v)} is not an integer between ${min} and ${max}`)
  }
  return n
}

function envUrl(env: Env, name: string, protocols: string[]): string | undefined {
  const v = env[name]
  if (v == null || v === '') return undefined
  let u: URL
  try {
    u = new URL(v)
  } catch {
    throw new ConfigError(`${name} is not a valid URL`)
  }
  if (!protocols.includes(u.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')} (got ${u.protocol})`)
  }
  return v
}

function envUrls(env: Env, name: string, protocols: string[]): string[] {
  const v = env[name]
  if (v == null || v.trim() === '') return []
  return v.split(',').map((part, i) => {
    const one = part.trim()
    try {
      return envUrl({ [name]: one }, name, protocols)!
    } catch (e) {
      throw new ConfigError(`${(e as Error).message} (entry ${i + 1} of ${name})`)
    }
  })
}

const PG = ['postgres:', 'postgresql:']
// HTTP only: the indexer's relay (src/runtime/rpc-relay.ts) forwards JSON-RPC over HTTP.
const RPC = ['http:', 'https:']

/**
 * Where one chain's index lives in the database. A single-chain network uses
 * the database's default schema and the SDK's usual state schema; each chain
 * of a multi-chain network has schemas of its own (its tables, the SDK's
 * cursor and hot blocks, the writer's bookkeeping), so its writer, its reorgs
 * and its migrations never touch another chain's rows.
 */
export interface ChainSchemas {
  /** The chain's tables (null: the connection's default, `public`). */
  data: string | null
  /** The SDK's status, hot blocks and change log. */
  state: string
  /** The writer's own bookkeeping (deferred indexes). */
  writer: string
}

export const SINGLE_CHAIN_SCHEMAS: ChainSchemas = { data: null, state: 'squid_processor', writer: 'icn_indexer' }

/** The schemas of chain `name` of a multi-chain network (names are [a-z][a-z0-9-]*: see validateMultiChainPreset). */
export function chainSchemas(name: string): ChainSchemas {
  const n = name.replace(/-/g, '_')
  return { data: `chain_${n}`, state: `chain_${n}_processor`, writer: `chain_${n}_writer` }
}

/**
 * `databaseUrl` with its sessions' search_path set to `schema` (the libpq
 * `options` parameter, which node-postgres, TypeORM and the SDK's store pass
 * on): every unqualified table name then means the chain's own table.
 */
export function withSearchPath(databaseUrl: string, schema: string | null): string {
  if (schema === null) return databaseUrl
  const u = new URL(databaseUrl)
  const before = u.searchParams.get('options')
  u.searchParams.set('options', `${before ? `${before} ` : ''}-c search_path=${schema}`)
  return u.toString()
}

/** The environment variable holding chain `name`'s RPC endpoints: RPC_URL_BASE for "base". */
export function chainRpcVariable(name: string): string {
  return `RPC_URL_${name.toUpperCase().replace(/-/g, '_')}`
}

export interface IndexerConfig {
  preset: NetworkPreset
  /** The chain this process indexes, on a multi-chain network. */
  chain?: string
  schemas: ChainSchemas
  /** DATABASE_URL as given; `databaseUrl` is it with the chain's schema as search_path. */
  baseDatabaseUrl: string
  rpcUrls: string[]
  databaseUrl: string
  gatewayUrl?: string
  /** Time-out of one request to one RPC endpoint before it is retried (or failed over). */
  rpcTimeoutMs: number
  /** Requests per second allowed against each RPC endpoint (0 = unlimited). */
  rpcRateLimit: number
  /** Port of the processor's Prometheus metrics (0 = any free port). */
  metricsPort: number
  /** Our own log lines as JSON objects (production) or text. */
  logJson: boolean
  /** Wall-clock milliseconds between progress lines. */
  progressIntervalMs: number
  /** Final batches are merged and committed together once they hold this many rows (or at the head). */
  commitRows: number
  /** ...or once the oldest uncommitted batch is this old (wall time). */
  commitIntervalMs: number
  /** Drop secondary indexes while a fresh index syncs, rebuilt at the head. */
  deferIndexes: boolean
}

function envLogJson(env: Env): boolean {
  const v = env.LOG_FORMAT || 'text'
  if (v !== 'text' && v !== 'json') throw new ConfigError(`LOG_FORMAT=${JSON.stringify(v)} must be "text" or "json"`)
  return v === 'json'
}

/**
 * What `lib/main.js` runs: one chain's indexer, or, for a multi-chain network
 * without ICN_CHAIN, the supervisor of one indexer per chain.
 */
export function indexerRole(env: Env = process.env): { kind: 'chain' } | { kind: 'supervisor'; network: MultiChainPreset; databaseUrl: string; rpcUrls: Record<string, string[]>; logJson: boolean; metricsPort: number } {
  const network = loadNetwork(env.ICN_NETWORK || 'devnet')
  if (network.kind === 'single' || env.ICN_CHAIN) return { kind: 'chain' }
  const databaseUrl = envUrl(env, 'DATABASE_URL', PG)
  if (!databaseUrl) throw new ConfigError('DATABASE_URL is not set')
  const rpcUrls: Record<string, string[]> = {}
  for (const c of network.network.chains) {
    const name = chainRpcVariable(c.name)
    rpcUrls[c.name] = envUrls(env, name, RPC)
    if (rpcUrls[c.name].length === 0) throw new ConfigError(`${name} is not set (network ${network.network.name} needs an RPC endpoint of its chain "${c.name}", chain id ${c.chainId})`)
  }
  return { kind: 'supervisor', network: network.network, databaseUrl, rpcUrls, logJson: envLogJson(env), metricsPort: envInt(env, 'INDEXER_METRICS_PORT', 0, 0, 65535 - network.network.chains.length) }
}

export function indexerConfig(env: Env = process.env): IndexerConfig {
  const network = loadNetwork(env.ICN_NETWORK || 'devnet')
  let preset: NetworkPreset
  let chain: string | undefined
  let schemas = SINGLE_CHAIN_SCHEMAS
  if (network.kind === 'multi') {
    chain = env.ICN_CHAIN
    const names = network.network.chains.map((c) => c.name)
    if (!chain || !names.includes(chain)) throw new ConfigError(`ICN_CHAIN=${JSON.stringify(chain ?? '')} must name a chain of network ${network.network.name} (${names.join(', ')})`)
    preset = chainPreset(network.network, chain)
    schemas = chainSchemas(chain)
  } else {
    if (env.ICN_CHAIN) throw new ConfigError(`ICN_CHAIN is set, but network ${network.preset.name} has one chain`)
    preset = network.preset
  }
  const rpcUrls = envUrls(env, 'RPC_URL', RPC)
  if (rpcUrls.length === 0) throw new ConfigError('RPC_URL is not set (the indexer needs an RPC endpoint of the chain)')
  const baseUrl = envUrl(env, 'DATABASE_URL', PG)
  if (!baseUrl) throw new ConfigError('DATABASE_URL is not set')
  const databaseUrl = withSearchPath(baseUrl, schemas.data)
  const gatewayUrl = envUrl(env, 'GATEWAY_URL', ['http:', 'https:'])
  return { preset, chain, schemas, baseDatabaseUrl: baseUrl, rpcUrls, databaseUrl, gatewayUrl, rpcRateLimit: envInt(env, 'RPC_RATE_LIMIT', 0, 0, 1_000_000), rpcTimeoutMs: envInt(env, 'RPC_TIMEOUT_MS', 15_000, 100, 600_000), metricsPort: envInt(env, 'INDEXER_METRICS_PORT', 0, 0, 65535), logJson: envLogJson(env), progressIntervalMs: envInt(env, 'PROGRESS_INTERVAL_MS', 5000, 100, 3_600_000), commitRows: envInt(env, 'INDEXER_COMMIT_ROWS', 50_000, 1, 10_000_000), commitIntervalMs: envInt(env, 'INDEXER_COMMIT_INTERVAL_MS', 5000, 0, 3_600_000), deferIndexes: envBool(env, 'INDEXER_DEFER_INDEXES', true) }
}

/** The API's safety limits; README "Safety limits" explains each. */
export const API_LIMIT_DEFAULTS = {
  maxDepth: 12,
  maxAliases: 30,
  maxComplexity: 50_000,
  maxQueryLength: 20_000,
  statementTimeoutMs: 5000,
} as const

export interface ApiLimits {
  /** Deepest nesting of fields in one operation. */
  maxDepth: number
  /** Aliased fields in one operation (fragments counted where spread). */
  maxAliases: number
  /** Cost of one operation: see src/api/limits.ts. */
  maxComplexity: number
  /** Characters in the query text. */
  maxQueryLength: number
  /** Postgres statement_timeout of the API's connections. */
  statementTimeoutMs: number
}

export type ApiExecutor = 'jit' | 'graphql-js'

export interface ApiConfig {
  /** Worker processes on the one port (API_WORKERS; default the number of cores); 1 runs no cluster. */
  workers: number
  preset: NetworkPreset
  /** A multi-chain network (ICN_NETWORK names one): the API serves every chain of it. */
  network?: MultiChainPreset
  /** API_DATABASE_URL (read-only role or replica) when set, else DATABASE_URL. */
  databaseUrl: string
  host: string
  port: number
  limits: ApiLimits
  /** /readyz answers 200 while the index is at most this many blocks behind the head. */
  readyMaxLag: number
  logJson: boolean
  /** Origins allowed by CORS ('*' for any); empty: no CORS headers. */
  corsOrigins: string[]
  /** Schema introspection (GraphiQL and codegen need it). */
  introspection: boolean
  /** Who executes queries (API_EXECUTOR): graphql-jit's compiled code, or graphql-js's interpreter. */
  executor: ApiExecutor
  /** GraphiQL at /graphql for browsers. */
  ide: boolean
  /** Requests per second per client (0 = no limit). */
  rateLimit: number
  /** Which proxies in front of the API are trusted to name the client in X-Forwarded-For. */
  trustProxy: TrustProxy
  /** /metrics only on this port (API_METRICS_PORT); absent: on the public port. */
  metricsPort?: number
}

/**
 * Fastify's `trustProxy`: false (the socket's peer is the client), true
 * (every hop is trusted: only when nothing can reach the API but through
 * its proxy), a number of hops, or the proxies' addresses and CIDR ranges.
 */
export type TrustProxy = boolean | number | string[]

function envTrustProxy(env: Env, name: string): TrustProxy {
  const v = (env[name] ?? '').trim()
  if (v === '' || v === 'false') return false
  if (v === 'true') return true
  if (/^\d+$/.test(v)) return envInt(env, name, 0, 1, 100)
  return v.split(',').map((part) => {
    const one = part.trim()
    const [addr, bits, extra] = one.split('/')
    const family = net.isIP(addr)
    const max = family === 4 ? 32 : 128
    if (family === 0 || extra !== undefined || (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= max))) {
      throw new ConfigError(`${name}: "${one}" is not an IP address or CIDR range (or use true, false or a number of hops)`)
    }
    return one
  })
}

function envBool(env: Env, name: string, def: boolean): boolean {
  const v = env[name]
  if (v == null || v === '') return def
  if (v === 'true' || v === '1') return true
  if (v === 'false' || v === '0') return false
  throw new ConfigError(`${name}=${JSON.stringify(v)} must be true or false`)
}

function envExecutor(env: Env): ApiExecutor {
  const v = env.API_EXECUTOR
  if (v == null || v === '') return 'jit'
  if (v === 'jit' || v === 'graphql-js') return v
  throw new ConfigError(`API_EXECUTOR=${JSON.stringify(v)} must be jit or graphql-js`)
}

function envOrigins(env: Env, name: string): string[] {
  const v = env[name]
  if (v == null || v.trim() === '') return []
  return v.split(',').map((o) => {
    const one = o.trim()
    if (one === '*') return one
    let u: URL
    try {
      u = new URL(one)
    } catch {
      throw new ConfigError(`${name}: "${one}" is not an origin such as https://explorer.example`)
    }
    if (!['http:', 'https:'].includes(u.protocol) || u.origin !== one.replace(/\/$/, '')) {
      throw new ConfigError(`${name}: "${one}" is not an origin such as https://explorer.example (scheme, host and port only)`)
    }
    return u.origin
  })
}

export function apiLimits(env: Env = process.env): ApiLimits {
  const d = API_LIMIT_DEFAULTS
  return {
    maxDepth: envInt(env, 'API_MAX_DEPTH', d.maxDepth, 2, 1000),
    maxAliases: envInt(env, 'API_MAX_ALIASES', d.maxAliases, 0, 100_000),
    maxComplexity: envInt(env, 'API_MAX_COMPLEXITY', d.maxComplexity, 10, 1_000_000_000),
    maxQueryLength: envInt(env, 'API_MAX_QUERY_LENGTH', d.maxQueryLength, 100, 1_000_000),
    statementTimeoutMs: envInt(env, 'API_STATEMENT_TIMEOUT_MS', d.statementTimeoutMs, 1, 3_600_000),
  }
}

export function apiConfig(env: Env = process.env): ApiConfig {
  const loaded = loadNetwork(env.ICN_NETWORK || 'devnet')
  // A multi-chain network: every chain is served; the protocol chain's preset is the API's own.
  const network = loaded.kind === 'multi' ? loaded.network : undefined
  const preset = loaded.kind === 'single' ? loaded.preset : chainPreset(loaded.network, (loaded.network.chains.find((c) => c.contracts.staking) ?? loaded.network.chains.find((c) => c.name === loaded.network.bridge.l2Chain)!).name)
  const databaseUrl = envUrl(env, 'API_DATABASE_URL', PG) ?? envUrl(env, 'DATABASE_URL', PG)
  if (!databaseUrl) throw new ConfigError('neither API_DATABASE_URL nor DATABASE_URL is set')
  return {
    preset,
    ...(network ? { network } : {}),
    databaseUrl,
    host: env.API_HOST || '0.0.0.0',
    port: envInt(env, 'API_PORT', 4350, 0, 65535),
    limits: apiLimits(env),
    readyMaxLag: envInt(env, 'API_READY_MAX_LAG', 50, 0, 1_000_000_000),
    logJson: envLogJson(env),
    corsOrigins: envOrigins(env, 'API_CORS_ORIGINS'),
    introspection: envBool(env, 'API_INTROSPECTION', true),
    executor: envExecutor(env),
    ide: envBool(env, 'API_IDE', true),
    rateLimit: envInt(env, 'API_RATE_LIMIT', 0, 0, 1_000_000),
    trustProxy: envTrustProxy(env, 'API_TRUST_PROXY'),
    metricsPort: env.API_METRICS_PORT ? envInt(env, 'API_METRICS_PORT', 0, 1, 65535) : undefined,
    workers: envInt(env, 'API_WORKERS', os.availableParallelism(), 1, 256),
  }
}

export interface SimulatorSettings {
  seed: number
  /** Eras (hours of chain time) of history made before live mode. */
  historyEras: number
  /** Multiplies the number of actors and events per era. */
  scale: number
  /** Wall-clock milliseconds between live blocks; 0 disables live activity. */
  liveIntervalMs: number
}

/** The two-chain devnet's network preset: `npm start` runs two anvils for it. */
export const TWO_CHAIN_DEVNET = 'devnet-2chain'

export interface StartConfig {
  network: string
  /** ICN_NETWORK=devnet-2chain: two devnet chains (L1 on DEVNET_PORT, L2 on the next port), one indexer each. */
  twoChainDevnet: boolean
  /** Set when the user points at a real chain; unset means "run the devnet". */
  rpcUrls: string[]
  /** Set when the user has a database; unset means "run embedded Postgres". */
  databaseUrl?: string
  /** Set when the user points the API elsewhere (e.g. a read replica); unset means "the read-only role". */
  apiDatabaseUrl?: string
  gatewayUrl?: string
  apiHost: string
  apiPort: number
  devnetPort: number
  dataDir: string
  sim: SimulatorSettings
  /** `npm start -- --fresh` or DEVNET_FRESH=true: a new devnet and an empty index, whatever was saved. */
  freshDevnet: boolean
  /** How often the running devnet is saved to the data folder (seconds; 0: only on stop). */
  devnetSaveIntervalS: number
}

export function simulatorSettings(env: Env = process.env): SimulatorSettings {
  return {
    seed: envInt(env, 'SIM_SEED', 1, 0, 2 ** 31 - 1),
    historyEras: envInt(env, 'SIM_HISTORY_ERAS', 24 * 14, 0, 1_000_000),
    scale: envInt(env, 'SIM_SCALE', 1, 1, 1000),
    liveIntervalMs: envInt(env, 'SIM_LIVE_INTERVAL_MS', 2000, 0, 3_600_000),
  }
}

export function startConfig(env: Env = process.env, argv: string[] = process.argv.slice(2)): StartConfig {
  const unknown = argv.filter((a) => a !== '--fresh')
  if (unknown.length > 0) throw new ConfigError(`npm start takes no argument but --fresh (got ${unknown.map((a) => JSON.stringify(a)).join(', ')})`)
  const network = env.ICN_NETWORK || 'devnet'
  const loaded = loadNetwork(network) // fails early on an unknown preset
  apiLimits(env) // and on a bad API limit, before anything starts
  const rpcUrls = envUrls(env, 'RPC_URL', RPC)
  const twoChainDevnet = network === TWO_CHAIN_DEVNET
  if (loaded.kind === 'multi' && !twoChainDevnet) {
    throw new ConfigError(
      `npm start runs a multi-chain network only on its devnet (ICN_NETWORK=${TWO_CHAIN_DEVNET}); for ${network} run the indexer (lib/main.js, with ${loaded.network.chains.map((c) => chainRpcVariable(c.name)).join(' and ')}) and the API (lib/api/main.js): README, "Two chains"`,
    )
  }
  if (twoChainDevnet && rpcUrls.length > 0) throw new ConfigError(`RPC_URL is set, but ICN_NETWORK=${TWO_CHAIN_DEVNET} runs its own two chains: unset RPC_URL`)
  if (network !== 'devnet' && !twoChainDevnet && rpcUrls.length === 0) {
    throw new ConfigError(`ICN_NETWORK=${network} needs RPC_URL (only the devnets run without one)`)
  }
  return {
    network,
    twoChainDevnet,
    rpcUrls,
    databaseUrl: envUrl(env, 'DATABASE_URL', PG),
    apiDatabaseUrl: envUrl(env, 'API_DATABASE_URL', PG),
    gatewayUrl: envUrl(env, 'GATEWAY_URL', ['http:', 'https:']),
    apiHost: env.API_HOST || '0.0.0.0',
    apiPort: envInt(env, 'API_PORT', 4350, 1, 65535),
    devnetPort: envInt(env, 'DEVNET_PORT', 8545, 1, 65535),
    dataDir: path.resolve(PROJECT_DIR, env.DATA_DIR || '.data'),
    sim: simulatorSettings(env),
    freshDevnet: argv.includes('--fresh') || envBool(env, 'DEVNET_FRESH', false),
    devnetSaveIntervalS: envInt(env, 'DEVNET_SAVE_INTERVAL_S', 300, 0, 86_400),
  }
}

export interface VerifyConfig {
  preset: NetworkPreset
  network: string
  rpcUrl: string
  /** Unset means "the embedded Postgres of a running `npm start` in dataDir". */
  databaseUrl?: string
  dataDir: string
}

/** `npm run verify`: beside a running `npm start` it needs no configuration at all. */
export function verifyConfig(env: Env = process.env): VerifyConfig {
  const network = env.ICN_NETWORK || 'devnet'
  const preset = loadPreset(network)
  const [rpcUrl] = envUrls(env, 'RPC_URL', ['http:', 'https:'])
  if (!rpcUrl && network !== 'devnet') throw new ConfigError(`ICN_NETWORK=${network} needs RPC_URL (the chain to compare with)`)
  return {
    preset,
    network,
    rpcUrl: rpcUrl ?? `http://127.0.0.1:${envInt(env, 'DEVNET_PORT', 8545, 1, 65535)}`,
    databaseUrl: envUrl(env, 'DATABASE_URL', PG),
    dataDir: path.resolve(PROJECT_DIR, env.DATA_DIR || '.data'),
  }
}

/**
 * The SQD store and migration tool read their connection from DB_URL; this
 * hands them the validated DATABASE_URL (the one place that writes env).
 */
export function exportDatabaseUrlForSdk(databaseUrl: string): void {
  process.env.DB_URL = databaseUrl
}

/** The environment for a child process of `npm start`: ours plus the settings given. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra }
}
