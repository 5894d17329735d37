/**
 * A wrong preset is noticed: a token address with no code, or the token and
 * vesting addresses swapped, stops the indexer with one line before it
 * indexes anything; a start block after the token's deployment is a warning
 * in the log and `_meta`, and /readyz answers 503 with it.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ApiServer, startApiServer } from '../../src/api/server'
import { loadPreset, NetworkPreset } from '../../src/config'
import { ensureReadOnlyRole } from '../../src/db/readonly'
import type { Devnet } from '../../src/devnet'
import { blockNumber, runIndexer, runNode, sql, testDatabase, testDevnet, waitForHeight } from '../helpers'
import { post, request } from '../helpers/api'

let devnet: Devnet
let dir: string

beforeAll(async () => {
  devnet = await testDevnet({ eras: 2 })
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icn-preset-'))
})

afterAll(async () => {
  await devnet?.stop()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

/** The devnet preset with some keys changed, as a preset file. */
function presetFile(name: string, change: (p: Record<string, unknown> & { contracts: Record<string, string> }) => void): string {
  const raw = JSON.parse(fs.readFileSync(path.join(__dirname, '../../config/networks/devnet.json'), 'utf8')) as Record<string, unknown> & { contracts: Record<string, string> }
  change(raw)
  const file = path.join(dir, `${name}.json`)
  fs.writeFileSync(file, JSON.stringify(raw))
  return file
}

async function indexWith(file: string): Promise<{ code: number | null; stderr: string; dbUrl: string }> {
  const dbUrl = await testDatabase()
  const r = await runNode(['lib/main.js'], { ...process.env, ICN_NETWORK: file, RPC_URL: devnet.anvil.url, DATABASE_URL: dbUrl }, 60_000)
  return { code: r.code, stderr: r.stderr.trim(), dbUrl }
}

describe('a wrong preset', () => {
  test('a token address with no code stops the indexer with one line, and nothing is indexed', async () => {
    const nowhere = '0x000000000000000000000000000000000000dead'
    const r = await indexWith(presetFile('no-code', (p) => (p.contracts.token = nowhere)))
    expect(r.code).toBe(1)
    expect(r.stderr.split('\n')).toHaveLength(1)
    expect(r.stderr).toContain(`contracts.token ${nowhere} has no code on chain 31337 (preset "devnet"): a wrong address, or the RPC serves another chain`)
    expect(await sql(r.dbUrl, `SELECT to_regclass('public.transfer') AS t`)).toEqual([{ t: null }])
  })

  test('token and vesting addresses swapped stop it: the vesting contract answers no decimals()', async () => {
    const { token, vesting } = devnet.preset.contracts
    const r = await indexWith(presetFile('swapped', (p) => ((p.contracts.token = vesting!), (p.contracts.vesting = token!))))
    expect(r.code).toBe(1)
    expect(r.stderr.split('\n')).toHaveLength(1)
    expect(r.stderr).toContain(`contracts.token ${vesting} does not answer decimals() on chain 31337`)
  })

  test('a protocol address with no code stops it', async () => {
    const r = await indexWith(presetFile('no-oracle', (p) => (p.contracts.slaOracle = '0x000000000000000000000000000000000000beef')))
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('contracts.slaOracle 0x000000000000000000000000000000000000beef has no code')
  })

  test("a start block after the token's deployment: a warning in the log and _meta, and /readyz 503", async () => {
    const file = presetFile('late', (p) => (p.startBlock = 5))
    const preset: NetworkPreset = loadPreset(file)
    const dbUrl = await testDatabase()
    const head = await blockNumber(devnet.anvil.rpc)
    const indexer = runIndexer({ RPC_URL: devnet.anvil.url, DATABASE_URL: dbUrl, ICN_NETWORK: file })
    let api: ApiServer | undefined
    try {
      await waitForHeight(dbUrl, head, indexer)
      const message = "startBlock 5 is after the token's deployment at block 1: mints and transfers before it are not indexed, so balances and supply are incomplete"
      expect(indexer.output()).toContain(message)
      const ro = await ensureReadOnlyRole(dbUrl)
      if ('reason' in ro) throw new Error(ro.reason)
      api = await startApiServer({ databaseUrl: ro.url, preset, host: '127.0.0.1', port: 0 })
      const meta = await post(api.url, { query: '{ _meta { warnings { code message } } }' })
      // (Its mints came before block 5, so at the head it also says that nothing was minted.)
      expect((meta.json?.data as { _meta: { warnings: unknown[] } })._meta.warnings).toContainEqual({ code: 'START_AFTER_DEPLOYMENT', message })
      const ready = await request(api.url, '/readyz')
      expect(ready.status).toBe(503)
      expect(ready.json).toMatchObject({ status: 'not ready' })
      expect((ready.json as unknown as { reason: string }).reason).toContain(message)
    } finally {
      await api?.close()
      await indexer.stop()
    }
  })
})
