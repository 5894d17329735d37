/**
 * `docker stop` on `npm start` (SIGTERM to start.js alone), then Ctrl-C
 * (SIGINT to the whole process group, as a terminal sends it): the indexer commits what it was handed and says so, the embedded
 * Postgres stops only after it (its last commit never meets a server that is
 * shutting down), everything exits 0 and no process is left behind.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '../../src/runtime/ports'
import { ROOT, waitFor } from '../helpers'

test.each([
  ['SIGTERM to start.js', 'SIGTERM', false],
  ['SIGINT to the process group', 'SIGINT', true],
] as const)('%s stops the stack in order, exit 0, nothing left running', async (_name, signal, group) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'icn-start-stop-'))
  // The embedded server runs as the postgres user when the tests run as root.
  fs.chmodSync(dataDir, 0o755)
  const apiPort = await freePort()
  const child = spawn(process.execPath, [path.join(ROOT, 'lib/start.js')], {
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, API_PORT: String(apiPort), DEVNET_PORT: String(await freePort()), SIM_HISTORY_ERAS: '4', SIM_LIVE_INTERVAL_MS: '500', INDEXER_METRICS_PORT: String(await freePort()) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  try {
    await waitFor('the stack at the head', async () => {
      const r = await fetch(`http://127.0.0.1:${apiPort}/readyz`).catch(() => undefined)
      return r?.status === 200
    }, 150_000)
    // The banner again, once the index first reaches the head (the first one has scrolled away by then).
    await waitFor('the banner at the head', async () => /icn-indexer reached the chain head \(block \d+\) in [\d.]+ s \(devnet\)\n  Dashboard:    http:\/\/localhost:\d+\//.test(out), 30_000)
    expect(out.indexOf('icn-indexer is running (devnet)')).toBeLessThan(out.indexOf('icn-indexer reached the chain head'))
    // Live traffic keeps the indexer writing while it is stopped.
    await new Promise((r) => setTimeout(r, 3000))
    process.kill(group ? -child.pid! : child.pid!, signal)
    const code = await exited
    if (code !== 0) console.error(out)
    expect(out).not.toMatch(/last commit failed|database system is shutting down/)
    // Ctrl-C reaches the indexer twice: from the terminal (SIGINT to the group) and from start.js
    // passing the stop on (SIGTERM); whichever Node handles first is the one it names.
    expect(out).toMatch(new RegExp(`indexer: ${group ? '(SIGINT|SIGTERM)' : signal}: every batch handed over is committed`))
    expect(code).toBe(0)
    // Postgres shut down cleanly: no postmaster.pid left in its data folder.
    await waitFor('postgres gone', async () => !fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid')), 30_000)
  } finally {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // already gone
    }
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}, 240_000)
