import * as icnt from '../../src/abi/ICNT'
import * as vesting from '../../src/abi/ICNVesting'
import { actor } from '../../src/devnet/actors'
import { categoryFromBytes32, genesisSchedules, TOTAL_SUPPLY } from '../../src/devnet/allocations'
import { GENESIS_TIME } from '../../src/devnet/deploy'
import type { Devnet } from '../../src/devnet'
import { loadPreset } from '../../src/config'
import { ethCall, testDevnet } from '../helpers'

let devnet: Devnet
beforeAll(async () => {
  devnet = await testDevnet({ eras: 0 })
})
afterAll(async () => devnet?.stop())

describe('devnet genesis', () => {
  test('mints exactly 700M ICNT and deposits all of it into vesting', async () => {
    const { token, vesting: v } = devnet.deployment
    expect(await ethCall(devnet.anvil.rpc, token, icnt.functions.totalSupply, {})).toBe(TOTAL_SUPPLY)
    expect(await ethCall(devnet.anvil.rpc, token, icnt.functions.balanceOf, { account: v })).toBe(TOTAL_SUPPLY)
  })

  test('schedules read back from the chain equal the allocation table to the wei', async () => {
    const expected = genesisSchedules(GENESIS_TIME)
    const rpc = devnet.anvil.rpc
    const v = devnet.deployment.vesting
    expect(await ethCall(rpc, v, vesting.functions.scheduleCount, {})).toBe(BigInt(expected.length))
    for (let id = 0; id < expected.length; id++) {
      const e = expected[id]
      const s = await ethCall(rpc, v, vesting.functions.getSchedule, { scheduleId: BigInt(id) })
      expect({
        beneficiary: s.beneficiary.toLowerCase(),
        category: categoryFromBytes32(s.category),
        total: s.total,
        immediate: s.immediate,
        start: Number(s.start),
        cliff: Number(s.cliff),
        duration: Number(s.duration),
        released: s.released,
        isCurve: s.isCurve,
      }).toEqual({
        beneficiary: actor(e.beneficiaryRole),
        category: e.category,
        total: e.total,
        immediate: e.immediate,
        start: e.start,
        cliff: e.cliff,
        duration: e.duration,
        released: 0n,
        isCurve: !!e.curve,
      })
      if (e.curve) expect(await ethCall(rpc, v, vesting.functions.getCurve, { scheduleId: BigInt(id) })).toEqual(e.curve)
    }
  })

  test('the deploy step yields the committed devnet preset', () => {
    expect(devnet.preset).toEqual(loadPreset('devnet'))
  })
})
