/** Reference contract behaviour on a real anvil: the rules the indexer relies on. */
import fs from 'node:fs'
import path from 'node:path'
import { keccak256 } from '@subsquid/evm-abi'
import * as icnt from '../../src/abi/ICNT'
import * as market from '../../src/abi/CapacityMarket'
import * as staking from '../../src/abi/ICNStaking'
import * as vesting from '../../src/abi/ICNVesting'
import { actor, DEPLOYER } from '../../src/devnet/actors'
import { encodeAttest } from '../../src/devnet/simulator'
import type { Devnet } from '../../src/devnet'
import { RpcError } from '../../src/runtime/rpc'
import { ethCall, ROOT, testDevnet } from '../helpers'

let devnet: Devnet
beforeAll(async () => {
  devnet = await testDevnet({ eras: 30 })
})
afterAll(async () => devnet?.stop())

interface AbiItem {
  type: string
  name?: string
  inputs?: { type: string; components?: AbiItem['inputs'] }[]
}

function errorSelector(contract: string, name: string): string {
  const abi = JSON.parse(fs.readFileSync(path.join(ROOT, 'abi', `${contract}.json`), 'utf8')) as AbiItem[]
  const e = abi.find((x) => x.type === 'error' && x.name === name)
  if (!e) throw new Error(`${contract} has no error ${name}`)
  const sig = `${name}(${(e.inputs ?? []).map((i) => i.type).join(',')})`
  return '0x' + (keccak256(Buffer.from(sig)) as Buffer).subarray(0, 4).toString('hex')
}

/** eth_call from `from`; resolves to the custom error's selector it reverted with. */
async function revertSelector(from: string, to: string, data: string): Promise<string> {
  try {
    await devnet.anvil.rpc.call('eth_call', [{ from, to, data }, 'latest'])
  } catch (e) {
    if (e instanceof RpcError) return String((e.data as string) ?? '').slice(0, 10)
    throw e
  }
  return 'no revert'
}

async function nextTime(): Promise<number> {
  return (await devnet.chain.latestTimestamp()) + 60
}

const balanceOf = (account: string) => ethCall(devnet.anvil.rpc, devnet.deployment.token, icnt.functions.balanceOf, { account })

describe('reference contracts', () => {
  test('a release before the cliff reverts (investors are locked 12 months)', async () => {
    const data = vesting.functions.release.encode({ scheduleId: 1n })
    expect(await revertSelector(DEPLOYER, devnet.deployment.vesting, data)).toBe(errorSelector('ICNVesting', 'NothingToRelease'))
  })

  test('only the owner may revoke a schedule', async () => {
    const data = vesting.functions.revoke.encode({ scheduleId: 1n })
    expect(await revertSelector(actor('holder:1'), devnet.deployment.vesting, data)).toBe(errorSelector('ICNVesting', 'OwnableUnauthorizedAccount'))
  })

  test('a booking over the free capacity reverts', async () => {
    const rpc = devnet.anvil.rpc
    const nodeId = 1n
    expect(await ethCall(rpc, devnet.deployment.staking, staking.functions.nodeStatus, { nodeId })).toBe(2)
    const total = await ethCall(rpc, devnet.deployment.staking, staking.functions.nodeTotalCapacity, { nodeId })
    const booked = await ethCall(rpc, devnet.deployment.market, market.functions.bookedCapacity, { nodeId })
    const t = BigInt(await nextTime())
    const data = market.functions.book.encode({ nodeId, capacity: total - booked + 1n, startTime: t, endTime: t + 3600n, price: 1n })
    expect(await revertSelector(actor('sp:0'), devnet.deployment.market, data)).toBe(errorSelector('CapacityMarket', 'InsufficientCapacity'))
  })

  test('a booking pays 75% to the hardware provider and 25% to the treasury', async () => {
    const rpc = devnet.anvil.rpc
    const nodeId = 1n
    const hp = (await ethCall(rpc, devnet.deployment.staking, staking.functions.hardwareProviderOf, { nodeId })).toLowerCase()
    const [hp0, tr0] = [await balanceOf(hp), await balanceOf(devnet.deployment.treasury)]
    const t = await nextTime()
    const price = 1000n * 10n ** 18n + 3n
    devnet.chain.send({
      from: actor('sp:0'),
      to: devnet.deployment.market,
      data: market.functions.book.encode({ nodeId, capacity: 1n, startTime: BigInt(t), endTime: BigInt(t + 7200), price }),
      gas: 400_000,
      label: 'test booking',
    })
    await devnet.chain.mine(t)
    const hpShare = (price * 75n) / 100n
    expect((await balanceOf(hp)) - hp0).toBe(hpShare)
    expect((await balanceOf(devnet.deployment.treasury)) - tr0).toBe(price - hpShare)
  })

  test('reclaim within two eras of undelegating reverts, and withdraw before unlock reverts', async () => {
    const who = actor('delegator:0')
    const rpc = devnet.anvil.rpc
    const t = await nextTime()
    const count = await ethCall(rpc, devnet.deployment.staking, staking.functions.delegationCount, { delegator: who })
    devnet.chain.send({
      from: who,
      to: devnet.deployment.staking,
      data: staking.functions.delegate.encode({ nodeId: 1n, amount: 10n ** 18n, apyScalingFactor: 10n ** 18n, unlockTimestamp: BigInt(t + 5 * 86400) }),
      gas: 300_000,
      label: 'test delegate',
    })
    devnet.chain.send({ from: who, to: devnet.deployment.staking, data: staking.functions.undelegate.encode({ lockedDelegationIndex: count }), gas: 200_000, label: 'test undelegate' })
    await devnet.chain.mine(t)
    const reclaim = staking.functions.reclaim.encode({ lockedDelegationIndex: count })
    expect(await revertSelector(who, devnet.deployment.staking, reclaim)).toBe(errorSelector('ICNStaking', 'TooEarly'))
    const withdraw = staking.functions.withdraw.encode({ lockedDelegationIndex: count, amount: 1n })
    expect(await revertSelector(who, devnet.deployment.staking, withdraw)).not.toBe('no revert')
  })

  test('a slash sends the provider and delegator parts to the treasury', async () => {
    const rpc = devnet.anvil.rpc
    const nodeId = 1n
    const node0 = await ethCall(rpc, devnet.deployment.staking, staking.functions.getNode, { nodeId })
    const tr0 = await balanceOf(devnet.deployment.treasury)
    const t = await nextTime()
    const providerAmount = node0.collateral / 100n
    // A 1-wei delegator slash over several positions cannot be split without rounding: refused.
    if (node0.delegatorPositions >= 2n) {
      const inexact = staking.functions.slash.encode({ nodeId, era: 1n, providerAmount: 0n, delegatorAmount: 1n, reason: '0x' + '00'.repeat(32) })
      expect(await revertSelector(DEPLOYER, devnet.deployment.staking, inexact)).toBe(errorSelector('ICNStaking', 'InexactSlash'))
    }
    // The whole delegated stake always splits exactly (each position loses all of it).
    const delegatorAmount = node0.delegatedTotal
    devnet.chain.send({
      from: DEPLOYER,
      to: devnet.deployment.staking,
      data: staking.functions.slash.encode({ nodeId, era: 1n, providerAmount, delegatorAmount, reason: '0x' + '00'.repeat(32) }),
      gas: 2_000_000,
      label: 'test slash',
    })
    await devnet.chain.mine(t)
    const node1 = await ethCall(rpc, devnet.deployment.staking, staking.functions.getNode, { nodeId })
    const lost = node0.delegatedTotal - node1.delegatedTotal
    expect(node0.collateral - node1.collateral).toBe(providerAmount)
    expect(lost).toBe(delegatorAmount)
    expect((await balanceOf(devnet.deployment.treasury)) - tr0).toBe(providerAmount + lost)
  })

  test('only a HyperNode operator may attest for it', async () => {
    const data = encodeAttest(1n, [{ nodeId: 1n, era: 0n, uptimeBps: 9999, latencyMs: 10, challengesPassed: 1, challengesFailed: 0 }])
    expect(await revertSelector(actor('holder:3'), devnet.deployment.slaOracle, data)).toBe(errorSelector('SLAOracle', 'NotOperator'))
  })

  test('compiled artifacts in abi/ and contracts/build/ match the sources', async () => {
    const { execFileSync } = await import('node:child_process')
    expect(() => execFileSync(process.execPath, [path.join(ROOT, 'scripts/compile-contracts.js'), '--check'], { stdio: 'pipe' })).not.toThrow()
  })
})
