/**
 * A second deployment of the spec, built unlike the devnet: one contract
 * emits every protocol family (vesting, staking, market, SLA) from one
 * address, every contract is OpenZeppelin Ownable (OwnershipTransferred at
 * deployment and on a transfer of ownership), node, HyperNode, schedule and
 * booking ids start far from 1, and ICNT is partly minted after deployment.
 * Compiled here from test/fixtures/one-address with the pinned solc, deployed
 * on its own anvil, indexed by the real indexer with a preset written for it:
 * nothing undecodable, no inconsistency, `verify` finds 0 differences from
 * eth_call, and the API answers what the script did, now and at past blocks.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ApiServer, startApiServer } from '../../src/api/server'
import { loadPreset, NetworkPreset } from '../../src/config'
import { ensureReadOnlyRole } from '../../src/db/readonly'
import { Anvil } from '../../src/devnet/anvil'
import { DevChain } from '../../src/devnet/chain'
import { freePort } from '../../src/runtime/ports'
import { verify } from '../../src/verify'
import { Client } from 'pg'
import { IndexerProcess, ROOT, runIndexer, sql, testDatabase, waitForHeight } from '../helpers'
import { post } from '../helpers/api'

// eslint-disable-next-line @typescript-eslint/no-require-imports
const solc = require('solc') as { compile(input: string, opts: { import: (p: string) => { contents: string } | { error: string } }): string }

const FIXTURES = path.join(__dirname, '../fixtures/one-address')
const GENESIS = 1_767_225_600
const E18 = 10n ** 18n
const OWNERSHIP_TRANSFERRED = '0x8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0'

interface Built {
  bytecode: string
  selectors: Record<string, string>
}

function compile(): Record<string, Built> {
  const sources = Object.fromEntries(['HubToken', 'ICNHub'].map((n) => [`${n}.sol`, { content: fs.readFileSync(path.join(FIXTURES, `${n}.sol`), 'utf8') }]))
  const input = { language: 'Solidity', sources, settings: { optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['evm.bytecode.object', 'evm.methodIdentifiers'] } } } }
  const out = JSON.parse(
    solc.compile(JSON.stringify(input), {
      import: (p) => (p.startsWith('@openzeppelin/') ? { contents: fs.readFileSync(path.join(ROOT, 'node_modules', p), 'utf8') } : { error: `not found: ${p}` }),
    }),
  ) as { errors?: { severity: string; formattedMessage: string }[]; contracts: Record<string, Record<string, { evm: { bytecode: { object: string }; methodIdentifiers: Record<string, string> } }>> }
  const errors = (out.errors ?? []).filter((e) => e.severity === 'error')
  if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join('\n'))
  const built: Record<string, Built> = {}
  for (const name of ['HubToken', 'ICNHub']) {
    const c = out.contracts[`${name}.sol`][name]
    built[name] = { bytecode: '0x' + c.evm.bytecode.object, selectors: Object.fromEntries(Object.entries(c.evm.methodIdentifiers).map(([sig, sel]) => [sig.slice(0, sig.indexOf('(')), sel])) }
  }
  return built
}

/** A static ABI argument as one 32-byte word. */
const word = (v: bigint | number | string) => (typeof v === 'string' ? v.toLowerCase().replace(/^0x/, '') : BigInt(v).toString(16)).padStart(64, '0')

let anvil: Anvil
let chain: DevChain
let owner: string
let token: string
let hub: string
let built: Record<string, Built>
let preset: NetworkPreset
let dbUrl: string
let indexer: IndexerProcess
let api: ApiServer
let head: number
/** Blocks the script mined, by step. */
const at: Record<string, number> = {}
let dir: string
let time = GENESIS

function call(contract: 'HubToken' | 'ICNHub', fn: string, ...args: (bigint | number | string)[]): void {
  const sel = built[contract].selectors[fn]
  if (!sel) throw new Error(`${contract} has no function ${fn}`)
  chain.send({ from: owner, to: contract === 'HubToken' ? token : hub, data: '0x' + sel + args.map(word).join(''), gas: 500_000, label: `${contract}.${fn}` })
}

async function mine(step: string): Promise<void> {
  time += 3600
  await chain.mine(time)
  at[step] = await chain.blockNumber()
}

beforeAll(async () => {
  built = compile()
  anvil = await Anvil.start({ port: await freePort(), genesisTimestamp: GENESIS, preserveHistoricalStates: true })
  chain = new DevChain(anvil.rpc)
  const accounts = await anvil.rpc.call<string[]>('eth_accounts')
  owner = accounts[0]
  // Roles that never send a transaction: plain addresses.
  const [hp1, hp2, d1, d2, d3, b1, op1, op2, heir] = Array.from({ length: 9 }, (_, i) => `0x${(0xa1000 + i).toString(16).padStart(40, '0')}`)

  chain.send({ from: owner, data: built.HubToken.bytecode + word(100_000_000n * E18), gas: 3_000_000, label: 'deploy token' })
  time += 60
  token = (await chain.mine(time))[0].contractAddress!.toLowerCase()
  chain.send({ from: owner, data: built.ICNHub.bytecode + word(token), gas: 4_000_000, label: 'deploy hub' })
  time += 60
  hub = (await chain.mine(time))[0].contractAddress!.toLowerCase()
  at.deployed = await chain.blockNumber()

  call('HubToken', 'approve', hub, 2n ** 255n)
  call('ICNHub', 'registerNode', 7001, hp1, 100, 1000n * E18)
  call('ICNHub', 'registerNode', 7002, hp2, 50, 500n * E18)
  call('ICNHub', 'registerHyperNode', 501, op1)
  call('ICNHub', 'registerHyperNode', 502, op2)
  await mine('registered')
  call('ICNHub', 'setStatus', 7001, 2)
  call('ICNHub', 'delegate', 7001, d1, 0, 300n * E18)
  call('ICNHub', 'delegate', 7001, d2, 0, 200n * E18)
  call('ICNHub', 'delegate', 7002, d1, 1, 50n * E18)
  call('ICNHub', 'createSchedule', 40, b1, 1000n * E18, 100n * E18, 360 * 86400)
  await mine('delegated')
  await mine('quiet') // a block without events
  call('ICNHub', 'book', 9001, 7001, hp1, 10, 20n * E18, 30 * 86400)
  call('ICNHub', 'attest', 7001, 1, 501, 9950, 120, 10, 0)
  call('ICNHub', 'attest', 7001, 1, 502, 9800, 250, 9, 1)
  call('ICNHub', 'violation', 7001, 1, 1, 250, 200)
  call('HubToken', 'mint', d3, 5_000_000n * E18)
  call('HubToken', 'transfer', d1, 1000n * E18)
  await mine('booked')
  call('ICNHub', 'release', 40, b1, 150n * E18)
  call('ICNHub', 'undelegate', d2, 0, 1)
  call('ICNHub', 'setCapacity', 7002, 80)
  call('ICNHub', 'slashProvider', 7002, 1, 25n * E18)
  call('ICNHub', 'setHyperNodeStatus', 502, 2)
  await mine('undelegated')
  call('ICNHub', 'reclaim', d2, 0, 1)
  call('ICNHub', 'withdraw', d2, 0, 200n * E18)
  call('ICNHub', 'endBooking', 9001, 7001, 1)
  call('ICNHub', 'revoke', 40, 500n * E18)
  await mine('reclaimed')
  call('HubToken', 'transferOwnership', heir)
  call('ICNHub', 'transferOwnership', heir)
  await mine('handed-over')
  // Enough empty blocks on top that most of the history is final.
  for (let i = 0; i < 12; i++) await mine(`empty-${i}`)
  head = await chain.blockNumber()

  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icn-one-address-'))
  const file = path.join(dir, 'one-address.json')
  fs.writeFileSync(
    file,
    JSON.stringify({ name: 'one-address', chainId: 31337, contracts: { token, vesting: hub, staking: hub, market: hub, slaOracle: hub }, startBlock: 1, eraOrigin: GENESIS, finalityConfirmations: 5, labels: [] }),
  )
  preset = loadPreset(file)
  dbUrl = await testDatabase()
  indexer = runIndexer({ RPC_URL: anvil.url, DATABASE_URL: dbUrl, ICN_NETWORK: file })
  await waitForHeight(dbUrl, head, indexer)
  const ro = await ensureReadOnlyRole(dbUrl)
  if ('reason' in ro) throw new Error(ro.reason)
  api = await startApiServer({ databaseUrl: ro.url, preset, host: '127.0.0.1', port: 0 })
}, 180_000)

afterAll(async () => {
  await api?.close()
  await indexer?.stop()
  await anvil?.stop()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

async function gql<T>(query: string): Promise<T> {
  const r = (await post(api.url, { query })).json as { data?: T; errors?: unknown[] }
  if (r.errors) throw new Error(JSON.stringify(r.errors))
  return r.data!
}

describe('a deployment with every family at one address', () => {
  test('nothing undecodable, no inconsistency; the Ownable events are unknown, counted per address', async () => {
    const [s] = await sql<{ undecoded_logs: number; inconsistencies: number; unknown_events: { address: string; topic: string; count: number }[] }>(dbUrl, `SELECT undecoded_logs, inconsistencies, unknown_events FROM indexer_status`)
    expect(s.undecoded_logs).toBe(0)
    expect(s.inconsistencies).toBe(0)
    expect(s.unknown_events.map((u) => [u.address, u.topic, u.count]).sort()).toEqual([
      [hub, OWNERSHIP_TRANSFERRED, 2],
      [token, OWNERSHIP_TRANSFERRED, 2],
    ].sort())
    const meta = await gql<{ _meta: { hasErrors: boolean; undecodedLogs: number } }>(`{ _meta { hasErrors undecodedLogs } }`)
    expect(meta._meta).toEqual({ hasErrors: false, undecodedLogs: 0 })
  })

  test('verify: 0 differences from eth_call, the reference views skipped by name', async () => {
    const db = new Client({ connectionString: dbUrl })
    await db.connect()
    try {
      const r = await verify(db, anvil.rpc, preset)
      expect(r.differences).toEqual([])
      expect(r.checked).toBeGreaterThanOrEqual(10)
      expect(r.skipped.map((s) => s.check).sort()).toEqual(['market bookedCapacity()', 'staking getDelegation()', 'staking getNode()', 'vesting getSchedule()'])
    } finally {
      await db.end()
    }
  })

  test('the API answers what the script did: ids as emitted, the mint after deployment, now and at past blocks', async () => {
    const d = await gql<{
      nodes: { nodes: { id: string; status: string; totalCapacity: string; collateral: string; delegatedStake: string; activePositions: number; revenue: string; violationCount: number }[] }
      hyperNodes: { nodes: { id: string; status: string; reportCount: number }[] }
      vestingSchedules: { nodes: { id: string; released: string; revoked: boolean }[] }
      bookings: { nodes: { id: string; ended: boolean; price: string }[] }
      supply: { totalSupply: string; minted: string }
      before: { totalSupply: string }
      then: { delegatedStake: string; activePositions: number; revenue: string; status: string; eras: { nodes: { era: number }[] } }
      booked: { revenue: string; bookedCapacity: string; eras: { nodes: { era: number; reportCount: number; quorum: boolean; failedMetrics: string[] }[] } }
    }>(`{
      nodes { nodes { id status totalCapacity collateral delegatedStake activePositions revenue violationCount } }
      hyperNodes { nodes { id status reportCount } }
      vestingSchedules { nodes { id released revoked } }
      bookings { nodes { id ended price } }
      supply { totalSupply minted }
      before: supply(block: ${at.delegated}) { totalSupply }
      then: node(id: "7001", block: { number: ${at.quiet} }) { delegatedStake activePositions revenue status eras { nodes { era } } }
      booked: node(id: "7001", block: { number: ${at.booked} }) { revenue bookedCapacity eras { nodes { era reportCount quorum failedMetrics } } }
    }`)
    expect(d.nodes.nodes).toEqual([
      { id: '7001', status: 'VALIDATED', totalCapacity: '100', collateral: (1000n * E18).toString(), delegatedStake: (300n * E18).toString(), activePositions: 1, revenue: (20n * E18).toString(), violationCount: 1 },
      { id: '7002', status: 'REGISTERED', totalCapacity: '80', collateral: (475n * E18).toString(), delegatedStake: (50n * E18).toString(), activePositions: 1, revenue: '0', violationCount: 0 },
    ])
    expect(d.hyperNodes.nodes).toEqual([
      { id: '501', status: 'ACTIVE', reportCount: 1 },
      { id: '502', status: 'INACTIVE', reportCount: 1 },
    ])
    expect(d.vestingSchedules.nodes).toEqual([{ id: '40', released: (150n * E18).toString(), revoked: true }])
    expect(d.bookings.nodes).toEqual([{ id: '9001', ended: true, price: (20n * E18).toString() }])
    expect(d.supply).toEqual({ totalSupply: (105_000_000n * E18).toString(), minted: (105_000_000n * E18).toString() })
    expect(d.before.totalSupply).toBe((100_000_000n * E18).toString())
    expect(d.then).toEqual({ delegatedStake: (500n * E18).toString(), activePositions: 2, revenue: '0', status: 'VALIDATED', eras: { nodes: [] } })
    expect(d.booked).toEqual({ revenue: (20n * E18).toString(), bookedCapacity: '10', eras: { nodes: [{ era: 1, reportCount: 2, quorum: true, failedMetrics: ['UPTIME', 'CHALLENGES'] }] } })
  })
})
