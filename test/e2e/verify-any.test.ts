/**
 * `verify` on a deployment without the reference contracts' views: what the
 * spec defines (balances, total supply, the contracts' balances) is checked
 * and agrees, each view check the contracts cannot answer is skipped and
 * named, and a token that cannot answer balanceOf is a one-line error.
 * The views are taken away by replacing the protocol contracts' code (their
 * storage and the token's state stay as indexed).
 */
import { Client } from 'pg'
import type { Devnet } from '../../src/devnet'
import { RpcClient } from '../../src/runtime/rpc'
import { verify, VerifyError } from '../../src/verify'
import { blockNumber, runIndexer, runNode, testDatabase, testDevnet, waitForHeight } from '../helpers'

/** Code that stops at once: every view "answers" 0x, which decodes to nothing. */
const NO_VIEWS = '0x00'
/** Code that reverts every call, as a contract without the function (and no fallback) does. */
const REVERTS = '0x60006000fd'

let devnet: Devnet
let dbUrl: string
let db: Client

beforeAll(async () => {
  devnet = await testDevnet({ eras: 3 })
  dbUrl = await testDatabase()
  const head = await blockNumber(devnet.anvil.rpc)
  const indexer = runIndexer({ RPC_URL: devnet.anvil.url, DATABASE_URL: dbUrl })
  try {
    await waitForHeight(dbUrl, head, indexer)
  } finally {
    await indexer.stop()
  }
  const { vesting, staking, market } = devnet.preset.contracts
  for (const a of [vesting!, market!]) await devnet.anvil.rpc.call('anvil_setCode', [a, NO_VIEWS])
  await devnet.anvil.rpc.call('anvil_setCode', [staking!, REVERTS])
  db = new Client({ connectionString: dbUrl })
  await db.connect()
})

afterAll(async () => {
  await db?.end()
  await devnet?.stop()
})

test("the spec's figures are checked and agree; the views this deployment lacks are skipped, by name", async () => {
  const r = await verify(db, new RpcClient(devnet.anvil.url), devnet.preset)
  expect(r.differences).toEqual([])
  expect(r.checked).toBeGreaterThan(10)
  expect(r.skipped.map((s) => s.check).sort()).toEqual(['market bookedCapacity()', 'staking getDelegation()', 'staking getNode()', 'vesting getSchedule()'])
  const reasons = new Map(r.skipped.map((s) => [s.check, s.reason]))
  expect(reasons.get('vesting getSchedule()')).toContain('its answer does not decode')
  expect(reasons.get('staking getNode()')).toMatch(/revert/i)
})

test('npm run verify says what it skipped and exits 0', async () => {
  const r = await runNode(['lib/verify/main.js'], { ...process.env, ICN_NETWORK: 'devnet', RPC_URL: devnet.anvil.url, DATABASE_URL: dbUrl })
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  expect(r.stdout).toContain('SKIPPED staking getNode(): this deployment does not answer it')
  expect(r.stdout).toMatch(/verify: block \d+: \d+ figures compared, 0 difference\(s\); 4 check\(s\) beyond the spec skipped: /)
})

test('a token that cannot answer balanceOf is a one-line error, not a stack trace', async () => {
  await devnet.anvil.rpc.call('anvil_setCode', [devnet.preset.contracts.token, NO_VIEWS])
  await expect(verify(db, new RpcClient(devnet.anvil.url), devnet.preset)).rejects.toThrow(VerifyError)
  const r = await runNode(['lib/verify/main.js'], { ...process.env, ICN_NETWORK: 'devnet', RPC_URL: devnet.anvil.url, DATABASE_URL: dbUrl })
  expect(r.code).toBe(2)
  expect(r.stderr.trim().split('\n')).toHaveLength(1)
  expect(r.stderr).toMatch(/^verify: token (balanceOf|totalSupply) at 0x[0-9a-f]{40}: the answer does not decode/)
})
