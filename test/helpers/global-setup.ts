/**
 * Once per `npm test`: compile src/ to lib/ (the indexer and tools run as
 * real child processes), gather the API's static files into lib/static, and
 * start one embedded Postgres on a free port, on which every test file
 * creates databases of its own.
 */
import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '../../src/runtime/ports'

const ROOT = path.resolve(__dirname, '../..')

export default async function globalSetup(): Promise<void> {
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.json')], { stdio: 'inherit' })
  // The API's static files (GraphiQL, the dashboard) as `npm run build` gathers them.
  execFileSync(process.execPath, [path.join(ROOT, 'lib/api/assets.js')], { stdio: 'inherit' })
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'icn-test-pg-'))
  fs.chmodSync(dataDir, 0o755) // the server may run as the 'postgres' user
  const port = await freePort()
  const child = spawn(process.execPath, [path.join(ROOT, 'lib/db/pg-cli.js'), path.join(dataDir, 'data'), String(port), 'fast'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    let err = ''
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n').find((l) => l.startsWith('{'))
      if (line) resolve((JSON.parse(line) as { url: string }).url)
    })
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
    child.on('exit', (code) => reject(new Error(`test Postgres exited (${code}): ${err}`)))
  })
  process.env.ICN_TEST_PG_URL = url
  ;(globalThis as Record<string, unknown>).__icnTestPg = { child, dataDir }
}
