/**
 * The two-chain devnet: the bridge's books hold at every instant, read from
 * both chains by eth_call, and the devnet resumes with its relays pending.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { keccak256 } from '@subsquid/evm-abi'
import * as icnt from '../../src/abi/ICNT'
import * as l1bridge from '../../src/abi/L1StandardBridge'
import * as l2bridge from '../../src/abi/L2StandardBridge'
import * as l2icnt from '../../src/abi/OptimismMintableERC20'
import { Devnet, startDevnet } from '../../src/devnet'
import { GENESIS_TIME } from '../../src/devnet/deploy'
import { readSavedDevnet, refusal, resumeDevnet, saveDevnet } from '../../src/devnet/persist'
import { freePort } from '../../src/runtime/ports'
import type { RpcClient } from '../../src/runtime/rpc'

const hex = (n: number) => '0x' + n.toString(16)
const ID = { seed: 5, scale: 1, historyEras: 60, twoChains: true }

/** Every block's timestamp, by number. */
async function times(rpc: RpcClient): Promise<number[]> {
  const head = Number(await rpc.call<string>('eth_blockNumber'))
  const blocks = await rpc.batch<{ timestamp: string }>(Array.from({ length: head + 1 }, (_, n) => ({ method: 'eth_getBlockByNumber', params: [hex(n), false] })))
  return blocks.map((b) => Number(b.timestamp))
}

/** The latest block with time ≤ t (the chain's state at instant t). */
const blockAt = (ts: number[], t: number) => {
  let n = -1
  while (n + 1 < ts.length && ts[n + 1] <= t) n++
  return n
}

async function calls(rpc: RpcClient, to: string, data: string, blocks: number[]): Promise<bigint[]> {
  const out = await rpc.batch<string>(blocks.map((b) => ({ method: 'eth_call', params: [{ to, data }, hex(b)] })))
  return out.map((x) => BigInt(x))
}

/** Escrowed, bridged and in flight at head, read from both chains. */
async function books(d: Devnet): Promise<{ escrowed: bigint; bridged: bigint; deposits: bigint }> {
  const b = d.deployment.bridge!
  const head = Number(await d.anvil.rpc.call<string>('eth_blockNumber'))
  const l2Head = Number(await d.l2!.anvil.rpc.call<string>('eth_blockNumber'))
  const [escrowed] = await calls(d.anvil.rpc, d.deployment.token, icnt.functions.balanceOf.encode({ account: b.l1Bridge }), [head])
  const [bridged] = await calls(d.l2!.anvil.rpc, b.l2Token, icnt.functions.totalSupply.encode({}), [l2Head])
  const [deposits] = await calls(d.anvil.rpc, b.l1Bridge, l1bridge.functions.deposits.encode({ _0: d.deployment.token, _1: b.l2Token }), [head])
  return { escrowed, bridged, deposits }
}

const pending = (d: Devnet) => d.simulator.pendingRelays().reduce((s, r) => s + r.amount, 0n)

describe('two-chain devnet', () => {
  let devnet: Devnet
  beforeAll(async () => {
    devnet = await startDevnet({ port: await freePort(), l2Port: await freePort(), seed: ID.seed, scale: ID.scale, historyEras: ID.historyEras, preserveHistoricalStates: true })
  })
  afterAll(() => devnet?.stop())

  test('two chains, and the protocol on the L2 over its bridged token', async () => {
    expect(Number(await devnet.anvil.rpc.call<string>('eth_chainId'))).toBe(31337)
    expect(Number(await devnet.l2!.anvil.rpc.call<string>('eth_chainId'))).toBe(31338)
    const n = devnet.network!
    expect(n.chains.map((c) => [c.name, c.chainId])).toEqual([['l1', 31337], ['l2', 31338]])
    expect(n.chains[1].contracts.token).toBe(devnet.deployment.bridge!.l2Token)
    // The protocol's events are on the L2: the staking contract has code there and none on the L1.
    expect(await devnet.l2!.anvil.rpc.call<string>('eth_getCode', [devnet.deployment.staking, 'latest'])).not.toBe('0x')
    const l2Logs = await devnet.l2!.anvil.rpc.call<Array<{ address: string }>>('eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest', address: devnet.deployment.staking }])
    expect(l2Logs.length).toBeGreaterThan(50)
  })

  test('at every instant the escrow holds what the L2 minted plus what is in flight, never less', async () => {
    const b = devnet.deployment.bridge!
    const [t1, t2] = await Promise.all([times(devnet.anvil.rpc), times(devnet.l2!.anvil.rpc)])
    const instants = [...new Set([...t1, ...t2])].filter((t) => t >= GENESIS_TIME + 120).sort((x, y) => x - y)
    const l1Blocks = instants.map((t) => blockAt(t1, t))
    const l2Blocks = instants.map((t) => blockAt(t2, t))
    const escrowed = await calls(devnet.anvil.rpc, devnet.deployment.token, icnt.functions.balanceOf.encode({ account: b.l1Bridge }), l1Blocks)
    const bridged = await calls(devnet.l2!.anvil.rpc, b.l2Token, icnt.functions.totalSupply.encode({}), l2Blocks)
    const total = await calls(devnet.anvil.rpc, devnet.deployment.token, icnt.functions.totalSupply.encode({}), l1Blocks)
    const inFlight = instants.map((_, i) => escrowed[i] - bridged[i])
    expect(inFlight.every((v) => v >= 0n)).toBe(true)
    // Relays arrive later than the lock: amounts are in flight at many instants, and none at others.
    expect(inFlight.filter((v) => v > 0n).length).toBeGreaterThan(instants.length / 4)
    expect(inFlight.some((v) => v === 0n)).toBe(true)
    expect(bridged[bridged.length - 1]).toBeGreaterThan(0n)
    // The network's total is the L1's alone, and never grows.
    expect(total.every((v, i) => v <= 700_000_000n * 10n ** 18n && (i === 0 || v <= total[i - 1]))).toBe(true)
    // At the head, what is in flight is exactly the relays the simulator has not sent.
    const h = await books(devnet)
    expect(h.escrowed - h.bridged).toBe(pending(devnet))
    expect(h.deposits).toBe(h.escrowed)
    const kinds = new Set(devnet.simulator.pendingRelays().map((r) => r.kind))
    expect(kinds.size).toBeGreaterThan(0)
  })

  test('both chains and the pending relays survive a save and a resume', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icn-bridge-'))
    try {
      const before = pending(devnet)
      const keyOf = (r: { kind: string; from: string; to: string; amount: bigint; due: number }) => `${r.kind}:${r.from}:${r.to}:${r.amount}:${r.due}`
      const relaysBefore = devnet.simulator.pendingRelays().map(keyOf)
      expect(before).toBeGreaterThan(0n)
      await saveDevnet(devnet, ID, dir)
      const heads = [await devnet.chain.blockNumber(), await devnet.l2!.chain.blockNumber()]
      await devnet.stop()
      const saved = readSavedDevnet(dir)!
      expect(refusal(saved, { ...ID, twoChains: false })).toBe('it is a two-chain devnet, this start wants one')
      expect(refusal(saved, ID)).toBeUndefined()
      const r = await resumeDevnet(dir, saved, { port: await freePort(), l2Port: await freePort() })
      if ('reason' in r) throw new Error(r.reason)
      devnet = r
      expect([await devnet.chain.blockNumber(), await devnet.l2!.chain.blockNumber()]).toEqual(heads)
      expect(pending(devnet)).toBe(before)
      expect(devnet.simulator.pendingRelays().map(keyOf)).toEqual(relaysBefore)
      // Every relay pending at the save is sent within 12 eras of it (a lost one would leave the escrow above the mint for good).
      for (let i = 0; i < 14; i++) await devnet.simulator.step()
      const h = await books(devnet)
      expect(h.escrowed - h.bridged).toBe(pending(devnet))
      const still = new Set(devnet.simulator.pendingRelays().map(keyOf))
      expect(relaysBefore.filter((k) => still.has(k))).toEqual([])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  test('only the relayer finalizes, and only the L2 bridge mints or burns', async () => {
    const b = devnet.deployment.bridge!
    const holder = '0x00000000000000000000000000000000000000aa'
    const args = { l1Token: devnet.deployment.token, l2Token: b.l2Token, from: holder, to: holder, amount: 1n, extraData: '0x' }
    const forged = [
      { chain: devnet.l2!.chain, to: b.l2Bridge, data: l2bridge.functions.finalizeDeposit.encode(args), error: 'NotRelayer(address)' },
      { chain: devnet.chain, to: b.l1Bridge, data: l1bridge.functions.finalizeERC20Withdrawal.encode(args), error: 'NotRelayer(address)' },
      { chain: devnet.l2!.chain, to: b.l2Token, data: l2icnt.functions.mint.encode({ to: holder, amount: 1n }), error: 'NotBridge(address)' },
    ]
    for (const f of forged) {
      f.chain.send({ from: holder, to: f.to, data: f.data, gas: 200_000, label: `forged ${f.error}` })
      const selector = '0x' + (keccak256(Buffer.from(f.error)) as Buffer).subarray(0, 4).toString('hex')
      await expect(f.chain.mine((await f.chain.latestTimestamp()) + 1)).rejects.toThrow(new RegExp(`forged ${f.error.replace(/[()]/g, '.')} .*revert data ${selector}`))
    }
  })
})
