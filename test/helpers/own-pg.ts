/**
 * A Postgres server of a test's own (the suite's shared one cannot be
 * stopped): a real embedded server in a child process (lib/db/pg-cli.js) on
 * a free port and a temporary data directory, which the test may stop and
 * start again, keeping its data.
 */
import { ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '../../src/runtime/ports'
import { ROOT } from '.'

export class OwnPostgres {
  private child?: ChildProcess

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<OwnPostgres> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icn-own-pg-'))
    fs.chmodSync(dir, 0o755)
    return new OwnPostgres(dir, await freePort())
  }

  /** Starts the server (again) on the same port and data; returns its admin URL. */
  start(): Promise<string> {
    const child = spawn(process.execPath, [path.join(ROOT, 'lib/db/pg-cli.js'), path.join(this.dir, 'data'), String(this.port), 'fast'], { stdio: ['pipe', 'pipe', 'pipe'] })
    this.child = child
    return new Promise((resolve, reject) => {
      let out = ''
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString()
        const line = out.split('\n').find((l) => l.startsWith('{'))
        if (line) resolve((JSON.parse(line) as { url: string }).url)
      })
      child.on('exit', (code) => reject(new Error(`postgres exited ${code}`)))
    })
  }

  /** Stops the server (a fast shutdown: open sessions are ended, as in a restart). */
  stop(): Promise<void> {
    const child = this.child
    return new Promise((resolve) => {
      if (!child || child.exitCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGINT')
    })
  }

  async destroy(): Promise<void> {
    await this.stop()
    fs.rmSync(this.dir, { recursive: true, force: true })
  }
}
