/**
 * Truth test: every figure the index holds at the head equals what the chain
 * answers through eth_call at that block, to the wei.
 */
import * as icnt from '../../src/abi/ICNT'
import * as market from '../../src/abi/CapacityMarket'
import * as staking from '../../src/abi/ICNStaking'
import * as vesting from '../../src/abi/ICNVesting'
import type { Devnet } from '../../src/devnet'
import { blockNumber, ethCall, IndexerProcess, runIndexer, sql, testDatabase, testDevnet, waitForHeight } from '../helpers'

let devnet: Devnet
let dbUrl: string
let indexer: IndexerProcess
let head: number

beforeAll(async () => {
  devnet = await testDevnet({ eras: 200, seed: 3 })
  dbUrl = await testDatabase()
  head = await blockNumber(devnet.anvil.rpc)
  indexer = runIndexer({ RPC_URL: devnet.anvil.url, DATABASE_URL: dbUrl })
  await waitForHeight(dbUrl, head, indexer)
})

afterAll(async () => {
  await indexer?.stop()
  await devnet?.stop()
})

describe('truth: the index equals the chain at the head', () => {
  test('every event decoded and applied; every event family present', async () => {
    const [s] = await sql<{ undecoded_logs: number }>(dbUrl, `SELECT undecoded_logs FROM indexer_status`)
    expect(s.undecoded_logs).toBe(0)
    const via = await sql<{ created_via: string }>(dbUrl, `SELECT DISTINCT created_via FROM delegation ORDER BY 1`)
    expect(via.map((r) => r.created_via)).toEqual(['CREATED', 'V1', 'V2'])
    for (const table of ['tokens_release', 'vesting_revocation', 'node_status_change', 'slash', 'delegation_event', 'reward_claim', 'booking_event', 'sla_attestation', 'sla_violation', 'supply_checkpoint']) {
      const [c] = await sql<{ n: string }>(dbUrl, `SELECT count(*)::text AS n FROM ${table}`)
      expect({ table, some: Number(c.n) > 0 }).toEqual({ table, some: true })
    }
  })

  test('balances and total supply', async () => {
    const rpc = devnet.anvil.rpc
    const token = devnet.deployment.token
    const rows = await sql<{ id: string; balance: string }>(dbUrl, `SELECT id, balance::text FROM account WHERE id <> '0x0000000000000000000000000000000000000000'`)
    for (const r of rows) expect({ id: r.id, v: BigInt(r.balance) }).toEqual({ id: r.id, v: await ethCall(rpc, token, icnt.functions.balanceOf, { account: r.id }, head) })
    const [cp] = await sql<{ total_supply: string; vesting_balance: string; staked: string }>(dbUrl, `SELECT total_supply::text, vesting_balance::text, staked::text FROM supply_checkpoint ORDER BY block_number DESC LIMIT 1`)
    expect(BigInt(cp.total_supply)).toBe(await ethCall(rpc, token, icnt.functions.totalSupply, {}, head))
    expect(BigInt(cp.vesting_balance)).toBe(await ethCall(rpc, token, icnt.functions.balanceOf, { account: devnet.deployment.vesting }, head))
    expect(BigInt(cp.staked)).toBe(await ethCall(rpc, token, icnt.functions.balanceOf, { account: devnet.deployment.staking }, head))
  })

  test("each schedule's released amount and revocation", async () => {
    const rows = await sql<{ schedule_id: string; released: string; revoked: boolean }>(dbUrl, `SELECT schedule_id::text, released::text, revoked FROM vesting_schedule`)
    expect(rows.length).toBe(13)
    for (const r of rows) {
      const s = await ethCall(devnet.anvil.rpc, devnet.deployment.vesting, vesting.functions.getSchedule, { scheduleId: BigInt(r.schedule_id) }, head)
      expect({ id: r.schedule_id, released: BigInt(r.released), revoked: r.revoked }).toEqual({ id: r.schedule_id, released: s.released, revoked: s.revoked })
    }
  })

  test("each node's status, capacity, collateral, delegated stake and booked capacity", async () => {
    const nodes = await sql<{ node_id: string; status: number; total_capacity: string; collateral: string; delegated_stake: string; active_positions: number }>(
      dbUrl,
      `SELECT node_id::text, status, total_capacity::text, collateral::text, delegated_stake::text, active_positions FROM node`,
    )
    expect(nodes.length).toBeGreaterThan(5)
    const [{ ts }] = await sql<{ ts: Date }>(dbUrl, `SELECT timestamp AS ts FROM indexer_status`)
    const nowSec = BigInt(Math.floor(ts.getTime() / 1000))
    for (const n of nodes) {
      const c = await ethCall(devnet.anvil.rpc, devnet.deployment.staking, staking.functions.getNode, { nodeId: BigInt(n.node_id) }, head)
      const bookedOnChain = await ethCall(devnet.anvil.rpc, devnet.deployment.market, market.functions.bookedCapacity, { nodeId: BigInt(n.node_id) }, head)
      const [b] = await sql<{ booked: string }>(dbUrl, `SELECT coalesce(sum(capacity), 0)::text AS booked FROM booking WHERE node_id = $1 AND NOT ended AND end_time > $2`, [n.node_id.padStart(12, '0'), nowSec.toString()])
      expect({ id: n.node_id, status: n.status, cap: BigInt(n.total_capacity), col: BigInt(n.collateral), del: BigInt(n.delegated_stake), pos: BigInt(n.active_positions), booked: BigInt(b.booked) }).toEqual({
        id: n.node_id, status: c.status, cap: c.totalCapacity, col: c.collateral, del: c.delegatedTotal, pos: c.delegatorPositions, booked: bookedOnChain,
      })
    }
  })

  test('each delegation position', async () => {
    const rows = await sql<{ delegator: string; locked_delegation_index: number; node_id: string; node_delegation_index: number; amount: string; status: string }>(
      dbUrl,
      `SELECT delegator, locked_delegation_index, node_id, node_delegation_index, amount::text, status FROM delegation`,
    )
    expect(rows.length).toBeGreaterThan(20)
    for (const r of rows) {
      const d = await ethCall(devnet.anvil.rpc, devnet.deployment.staking, staking.functions.getDelegation, { delegator: r.delegator, lockedDelegationIndex: BigInt(r.locked_delegation_index) }, head)
      expect({ id: `${r.delegator}-${r.locked_delegation_index}`, node: BigInt(r.node_id), ndi: BigInt(r.node_delegation_index), amount: BigInt(r.amount), undelegated: r.status !== 'ACTIVE', reclaimed: r.status === 'RECLAIMED' || r.status === 'WITHDRAWN' }).toEqual({
        id: `${r.delegator}-${r.locked_delegation_index}`, node: d.nodeId, ndi: d.nodeDelegationIndex, amount: d.amount, undelegated: d.undelegated, reclaimed: d.reclaimed,
      })
    }
  })
})
