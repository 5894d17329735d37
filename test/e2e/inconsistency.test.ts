/**
 * A sum the chain states that the index does not reach: a CollateralSlashed
 * whose delegatorAmount is not what the node's positions lose. The staking
 * contract's code is swapped (anvil_setCode) for a bare log emitter, so the
 * event comes from the watched address on a real chain; the indexer logs it,
 * counts it, and the API shows it in `_meta` and `/metrics`.
 */
import { events as staking } from '../../src/abi/ICNStaking'
import { blockNumber, sql, waitFor, waitForHeight } from '../helpers'
import { IndexedApi, indexedApi, post } from '../helpers/api'

/**
 * EVM code that copies its calldata to memory and emits LOG3 with the first
 * three words as topics and the rest as data:
 * CALLDATASIZE 0 0 CALLDATACOPY; MLOAD(64) MLOAD(32) MLOAD(0) (CALLDATASIZE-96) 96 LOG3; STOP.
 */
const EMITTER = '0x366000600037604051602051600051606036036060a300'

const word = (v: bigint) => v.toString(16).padStart(64, '0')

let t: IndexedApi

beforeAll(async () => {
  t = await indexedApi({ eras: 12 })
}, 300_000)

afterAll(async () => {
  await t?.stop()
})

test('a slash whose positions lose other than its delegatorAmount: logged, counted in _meta and /metrics, hasErrors', async () => {
  const before = await post(t.api.url, { query: '{ _meta { inconsistencies hasErrors } }' })
  expect(before.json?.data).toEqual({ _meta: { inconsistencies: 0, hasErrors: false } })

  // A node with at least two open positions: a 1-wei delegator part floors to 0 on each, so they lose 0, not 1.
  const [node] = await sql<{ node_id: string }>(
    t.dbUrl,
    `SELECT node_id FROM delegation WHERE status NOT IN ('RECLAIMED', 'WITHDRAWN') AND amount > 1 GROUP BY node_id HAVING count(*) >= 2 ORDER BY node_id LIMIT 1`,
  )
  expect(node).toBeDefined()
  const nodeId = BigInt(node.node_id)
  const [{ delegated_stake: stakeBefore }] = await sql<{ delegated_stake: string }>(t.dbUrl, `SELECT delegated_stake::text FROM node WHERE id = $1`, [node.node_id])

  const rpc = t.devnet.anvil.rpc
  const stakingAddress = t.devnet.deployment.staking
  await rpc.call('anvil_setCode', [stakingAddress, EMITTER])
  const [from] = await rpc.call<string[]>('eth_accounts', [])
  const data = '0x' + staking.CollateralSlashed.topic.slice(2) + word(nodeId) + word(999n) + word(0n) + word(1n) + word(0n)
  const latest = await rpc.call<{ timestamp: string }>('eth_getBlockByNumber', ['latest', false])
  t.devnet.chain.send({ from, to: stakingAddress, data, gas: 100_000, label: 'a forged CollateralSlashed' })
  const [{ transactionHash }] = await t.devnet.chain.mine(Number(latest.timestamp) + 1)
  const receipt = await rpc.call<{ logs: { address: string; topics: string[] }[] }>('eth_getTransactionReceipt', [transactionHash])
  expect(receipt.logs).toHaveLength(1)
  expect(receipt.logs[0].address.toLowerCase()).toBe(stakingAddress.toLowerCase())
  expect(receipt.logs[0].topics[0]).toBe(staking.CollateralSlashed.topic)

  await waitForHeight(t.dbUrl, await blockNumber(rpc), t.indexer)
  const meta = await waitFor('the inconsistency in _meta', async () => {
    const r = await post(t.api.url, { query: '{ _meta { inconsistencies hasErrors undecodedLogs } }' })
    const m = r.json?.data?._meta as { inconsistencies: number } | undefined
    return m && m.inconsistencies > 0 ? m : undefined
  })
  expect(meta).toEqual({ inconsistencies: 1, hasErrors: true, undecodedLogs: 0 })

  const metrics = await (await fetch(`${t.api.url}/metrics`)).text()
  expect(metrics.split('\n')).toContain('icn_inconsistencies 1')
  expect(t.indexer.output()).toMatch(new RegExp(`inconsistency at block \\d+ log index 0: slash of node ${nodeId}: the positions' losses add up to 0 wei, the event states delegatorAmount 1`))

  // The slash itself is indexed as the chain states it; no position lost anything.
  const [slash] = await sql<{ delegator_amount: string; provider_amount: string }>(t.dbUrl, `SELECT delegator_amount::text, provider_amount::text FROM slash WHERE node_id = $1 AND era = 999`, [node.node_id])
  expect(slash).toEqual({ delegator_amount: '1', provider_amount: '0' })
  const [{ delegated_stake: stakeAfter }] = await sql<{ delegated_stake: string }>(t.dbUrl, `SELECT delegated_stake::text FROM node WHERE id = $1`, [node.node_id])
  expect(stakeAfter).toBe(stakeBefore)
}, 180_000)
