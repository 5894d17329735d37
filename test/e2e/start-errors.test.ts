/** Bad configuration stops `npm start` with one line naming the problem. */
import { spawnSync } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { freePort } from '../../src/runtime/ports'
import { ROOT } from '../helpers'

function start(env: Record<string, string>): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'lib/start.js')], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { code: r.status, stderr: r.stderr.trim() }
}

async function occupy(): Promise<{ port: number; close: () => void }> {
  const port = await freePort()
  const srv = net.createServer()
  await new Promise<void>((r) => srv.listen(port, '0.0.0.0', () => r()))
  return { port, close: () => srv.close() }
}

describe('npm start with bad configuration', () => {
  test('an unknown preset', () => {
    const r = start({ ICN_NETWORK: 'nosuchnet' })
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('start: unknown network preset "nosuchnet" (known: base, devnet, devnet-2chain, ethereum, ethereum-base)')
  })

  test('a DATABASE_URL that does not answer (and its password is not printed)', async () => {
    const port = await freePort()
    const r = start({ DATABASE_URL: `postgres://icn:s3cretpw@127.0.0.1:${port}/icn`, API_PORT: String(await freePort()), DEVNET_PORT: String(await freePort()) })
    expect(r.code).toBe(1)
    expect(r.stderr.split('\n')).toHaveLength(1)
    expect(r.stderr).toContain(`DATABASE_URL (127.0.0.1:${port}/icn) does not answer`)
    expect(r.stderr).not.toContain('s3cretpw')
  })

  test('a busy API port is reported, not swapped', async () => {
    const busy = await occupy()
    try {
      const r = start({ API_PORT: String(busy.port), DEVNET_PORT: String(await freePort()) })
      expect(r.code).toBe(1)
      expect(r.stderr).toBe(`start: API port ${busy.port} is already in use (set API_PORT to another port)`)
    } finally {
      busy.close()
    }
  })

  test('a busy devnet port is reported', async () => {
    const busy = await occupy()
    try {
      const r = start({ DEVNET_PORT: String(busy.port), API_PORT: String(await freePort()) })
      expect(r.code).toBe(1)
      expect(r.stderr).toBe(`start: devnet port ${busy.port} is already in use (set DEVNET_PORT to another port)`)
    } finally {
      busy.close()
    }
  })

  test('a malformed number', () => {
    const r = start({ SIM_SEED: 'abc' })
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('start: SIM_SEED="abc" is not an integer between 0 and 2147483647')
  })

  test('an API limit out of range', () => {
    const r = start({ API_MAX_DEPTH: '1' })
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('start: API_MAX_DEPTH="1" is not an integer between 2 and 1000')
  })

  test('a malformed API_DATABASE_URL', () => {
    const r = start({ API_DATABASE_URL: 'mysql://x@y/z' })
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('start: API_DATABASE_URL must use postgres: or postgresql: (got mysql:)')
  })

  test('a public preset without an RPC URL', () => {
    const r = start({ ICN_NETWORK: 'base' })
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('start: ICN_NETWORK=base needs RPC_URL (only the devnets run without one)')
  })

  test('a multi-chain network other than the two-chain devnet', () => {
    const r = start({ ICN_NETWORK: 'ethereum-base' })
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(
      'start: npm start runs a multi-chain network only on its devnet (ICN_NETWORK=devnet-2chain); for ethereum-base run the indexer (lib/main.js, with RPC_URL_ETHEREUM and RPC_URL_BASE) and the API (lib/api/main.js): README, "Two chains"',
    )
  })

  test('the two-chain devnet with an RPC URL', () => {
    const r = start({ ICN_NETWORK: 'devnet-2chain', RPC_URL: 'http://127.0.0.1:1' })
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('start: RPC_URL is set, but ICN_NETWORK=devnet-2chain runs its own two chains: unset RPC_URL')
  })
})
