import * as icnt from '../abi/ICNT'
import * as l2icnt from '../abi/OptimismMintableERC20'
import * as vesting from '../abi/ICNVesting'
import { actor, DEPLOYER } from './actors'
import { categoryBytes32, genesisSchedules, TOTAL_SUPPLY } from './allocations'
import { DevChain } from './chain'
import type { Deployment } from './deploy'

const MAX_UINT = 2n ** 256n - 1n

/**
 * The genesis allocation: the foundation (which received all 700M at
 * deployment) deposits every allocation into ICNVesting as schedules starting
 * at TGE, and the rewards distributor lets ICNStaking pay claims from it.
 * Everything lands in one block at `blockTime`. On the two-chain devnet the
 * staking contract is on `l2`: the distributor lets it pay from its bridged
 * ICNT there, and lets the L1 bridge take what it releases on the L1.
 */
export async function runGenesis(chain: DevChain, d: Deployment, tge: number, blockTime: number, l2?: DevChain): Promise<void> {
  chain.send({
    from: DEPLOYER,
    to: d.token,
    data: icnt.functions.approve.encode({ spender: d.vesting, value: TOTAL_SUPPLY }),
    gas: 100_000,
    label: 'foundation approves vesting',
  })
  for (const s of genesisSchedules(tge)) {
    const beneficiary = actor(s.beneficiaryRole)
    const category = categoryBytes32(s.category)
    const data = s.curve
      ? vesting.functions.createCurveSchedule.encode({ beneficiary, category, total: s.total, immediate: s.immediate, start: BigInt(s.start), monthlyAmounts: s.curve })
      : vesting.functions.createSchedule.encode({ beneficiary, category, total: s.total, immediate: s.immediate, start: BigInt(s.start), cliff: BigInt(s.cliff), duration: BigInt(s.duration) })
    chain.send({ from: DEPLOYER, to: d.vesting, data, gas: s.curve ? 3_000_000 : 400_000, label: `schedule ${s.category}` })
  }
  if (d.bridge) {
    if (!l2) throw new Error('a two-chain deployment needs its L2 chain for the genesis')
    chain.send({
      from: d.rewardsDistributor,
      to: d.token,
      data: icnt.functions.approve.encode({ spender: d.bridge.l1Bridge, value: MAX_UINT }),
      gas: 100_000,
      label: 'rewards distributor approves the L1 bridge',
    })
    l2.send({
      from: d.rewardsDistributor,
      to: d.bridge.l2Token,
      data: l2icnt.functions.approve.encode({ spender: d.staking, value: MAX_UINT }),
      gas: 100_000,
      label: 'rewards distributor approves staking',
    })
    await chain.mine(blockTime)
    await l2.mine(blockTime)
    return
  }
  chain.send({
    from: d.rewardsDistributor,
    to: d.token,
    data: icnt.functions.approve.encode({ spender: d.staking, value: MAX_UINT }),
    gas: 100_000,
    label: 'rewards distributor approves staking',
  })
  await chain.mine(blockTime)
}
