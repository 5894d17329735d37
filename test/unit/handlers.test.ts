/**
 * The handlers as data in, data out: decoded events applied to a BatchState,
 * with no store. What a skipped event leaves, what a bug does, and what a
 * slash whose stated sum does not add up records.
 */
import { delegationId, padId } from '../../src/domain/ids'
import { applyEvents, CannotApply, HandlerError, IndexedEvent } from '../../src/mappings'
import type { ProtocolEvent } from '../../src/mappings/protocol'
import { Delegation, Node } from '../../src/model'
import { BatchState } from '../../src/store/state'
import { checkSdkVersions, installedVersion, SdkVersionError, TESTED_SDK_VERSIONS } from '../../src/store/versions'

const SLA = { quorum: 2, minUptimeBps: 9900, maxLatencyMs: 200, minChallengePassBps: 9900 }
const STAKING = '0x00000000000000000000000000000000000000aa'
const TOKEN = '0x00000000000000000000000000000000000000bb'
const ALICE = '0x000000000000000000000000000000000000a11c'
const BOB = '0x0000000000000000000000000000000000000b0b'
const ZERO = '0x0000000000000000000000000000000000000000'

const pos = (blockNumber: number, logIndex: number, address = STAKING) => ({ address, blockNumber, blockHash: `0x${'1'.repeat(64)}`, timestamp: 1_767_225_600_000 + blockNumber * 12_000, logIndex, txHash: `0x${'2'.repeat(64)}` })

function node(id: bigint, delegatedStake: bigint): Node {
  return new Node({
    id: padId(id), nodeId: id, hardwareProvider: ALICE, region: 'eu', hwClass: 'storage', status: 2, totalCapacity: 100n, collateralRegistered: 1000n, collateral: 1000n,
    commitmentEnd: 0n, delegatedStake, activePositions: 0, delegationCount: 0, revenue: 0n, bookingCount: 0, slashedProvider: 0n, slashedDelegators: 0n, slashCount: 0, violationCount: 0,
    registeredBlock: 1, registeredAt: new Date(0),
  })
}

function position(who: string, index: number, nodeId: bigint, amount: bigint): Delegation {
  return new Delegation({
    id: delegationId(who, index), delegator: who, lockedDelegationIndex: index, nodeId: padId(nodeId), nodeDelegationIndex: index, createdVia: 'CREATED', initialAmount: amount, amount,
    slashed: 0n, withdrawn: 0n, apyScalingFactor: 1n, unlockTimestamp: 0n, status: 'ACTIVE', createdBlock: 1, createdAt: new Date(0), undelegatedBlock: null, reclaimedBlock: null,
  })
}

const slash = (nodeId: bigint, providerAmount: bigint, delegatorAmount: bigint, at = pos(10, 3)): ProtocolEvent =>
  ({ kind: 'CollateralSlashed', ...at, e: { nodeId, era: 7n, providerAmount, delegatorAmount, reason: `0x${'00'.repeat(32)}` } }) as ProtocolEvent

const supply = { staking: STAKING }

describe('handlers', () => {
  test('a slash takes floor(amount · delegatorAmount ÷ stake) from each open position: 300 of 1000 over 600/300/100 is 180/90/30', () => {
    const s = new BatchState(SLA)
    s.nodes.set(padId(5n), node(5n, 1000n))
    for (const [i, amount] of [600n, 300n, 100n].entries()) s.delegations.set(delegationId(ALICE, i), position(ALICE, i, 5n, amount))
    s.recordLoaded()
    applyEvents(s, [slash(5n, 40n, 300n)], supply, () => {
      throw new Error('nothing may be skipped')
    })
    expect([...s.delegations.values()].map((d) => [d.amount, d.slashed])).toEqual([
      [420n, 180n],
      [210n, 90n],
      [70n, 30n],
    ])
    const n = s.nodes.get(padId(5n))!
    expect([n.collateral, n.delegatedStake, n.slashedDelegators, n.slashCount]).toEqual([960n, 700n, 300n, 1])
    expect(s.inconsistencies).toEqual([])
    expect(s.delegationEvents.map((e) => [e.kind, e.amount])).toEqual([
      ['SLASHED', 180n],
      ['SLASHED', 90n],
      ['SLASHED', 30n],
    ])
  })

  test('a slash whose positions lose other than its stated delegatorAmount is applied and recorded as an inconsistency', () => {
    const s = new BatchState(SLA)
    s.nodes.set(padId(5n), node(5n, 1000n))
    // One position of 999 on a node whose stake says 1000: floor(999 · 100 ÷ 1000) = 99, not 100.
    s.delegations.set(delegationId(ALICE, 0), position(ALICE, 0, 5n, 999n))
    s.recordLoaded()
    applyEvents(s, [slash(5n, 0n, 100n)], supply, () => undefined)
    expect(s.inconsistencies).toEqual([{ blockNumber: 10, logIndex: 3, what: 'slash of node 5: the positions\' losses add up to 99 wei, the event states delegatorAmount 100' }])
    expect(s.delegations.get(delegationId(ALICE, 0))!.amount).toBe(900n)
  })

  test('an event naming what the index never saw is CannotApply: counted, skipped, nothing changed', () => {
    const s = new BatchState(SLA)
    s.nodes.set(padId(5n), node(5n, 0n))
    s.recordLoaded()
    const skipped: [string, string][] = []
    const undelegate = { kind: 'CollateralUndelegated', ...pos(11, 0), e: { delegator: BOB, lockedDelegationIndex: 4n, nodeDelegationIndex: 0n } } as ProtocolEvent
    applyEvents(s, [slash(9n, 10n, 0n), undelegate], supply, (ev, e) => skipped.push([ev.kind, e.message]))
    expect(skipped).toEqual([
      ['CollateralSlashed', 'node 9 is unknown at block 10 log 3'],
      ['CollateralUndelegated', `delegation ${BOB}/4 is unknown at block 11 log 0`],
    ])
    expect(s.slashes).toEqual([])
    expect(s.delegationEvents).toEqual([])
    expect(s.nodes.get(padId(5n))!.slashCount).toBe(0)
  })

  test('any other exception is a HandlerError naming the event, never a skip', () => {
    const s = new BatchState(SLA)
    // A value the handler never expects (a decoder bug would give one): bigint arithmetic on undefined throws a TypeError.
    const bad = { kind: 'Transfer', ...pos(12, 4, TOKEN), from: ZERO, to: ALICE, value: undefined } as unknown as IndexedEvent
    let thrown: unknown
    try {
      applyEvents(s, [bad], supply, () => {
        throw new Error('a TypeError must not be skipped')
      })
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(HandlerError)
    const h = thrown as HandlerError
    expect(h.original).toBeInstanceOf(TypeError)
    expect(h.message).toMatch(/^handler of Transfer failed at block 12 log index 4 \(tx 0x2{64}\): TypeError: /)
    expect(h).not.toBeInstanceOf(CannotApply)
  })

  test('each block that changes a versioned row leaves one version of it: the state after that block', () => {
    const s = new BatchState(SLA)
    s.nodes.set(padId(5n), node(5n, 1000n))
    s.delegations.set(delegationId(ALICE, 0), position(ALICE, 0, 5n, 1000n))
    s.recordLoaded()
    const status = (nodeId: bigint, st: number, at: ReturnType<typeof pos>) => ({ kind: 'ScalerNodeStatusChanged', ...at, e: { nodeId, status: st } }) as unknown as ProtocolEvent
    // Two changes in block 10 (one version), none in 11, a slash in 12 (node and position).
    applyEvents(s, [status(5n, 3, pos(10, 0)), status(5n, 2, pos(10, 1)), slash(5n, 0n, 100n, pos(12, 0))], supply, () => {
      throw new Error('nothing may be skipped')
    })
    expect(s.versions.map((v) => [v.id, v.block])).toEqual([
      ['node-000000000005-0000000010', 10],
      ['node-000000000005-0000000012', 12],
      [`delegation-${delegationId(ALICE, 0)}-0000000012`, 12],
    ])
    expect((s.versions[0].state as Record<string, unknown>).status).toBe(2)
    expect((s.versions[2].state as Record<string, unknown>).amount).toBe('900')
    expect((s.versions[2].state as Record<string, unknown>).unlock_timestamp).toBe('0')
  })

  test('a versioned row changed without a version stops the batch (fails closed)', () => {
    const s = new BatchState(SLA)
    s.nodes.set(padId(5n), node(5n, 0n))
    s.recordLoaded()
    // What a handler that forgot touch() would leave.
    s.nodes.get(padId(5n))!.revenue = 7n
    expect(() => s.checkVersions()).toThrow(/nodes 000000000005 changed without a version/)
  })

})

describe('SDK versions', () => {
  test('the installed SDK is the tested one', () => {
    expect(() => checkSdkVersions()).not.toThrow()
    expect(installedVersion('@subsquid/typeorm-store')).toBe(TESTED_SDK_VERSIONS['@subsquid/typeorm-store'])
  })

  test('another version refuses, naming the package, the installed and the tested version', () => {
    const installed = (pkg: string) => (pkg === '@subsquid/typeorm-store' ? '1.9.0' : TESTED_SDK_VERSIONS[pkg])
    expect(() => checkSdkVersions(installed)).toThrow(SdkVersionError)
    expect(() => checkSdkVersions(installed)).toThrow('@subsquid/typeorm-store is 1.9.0 here, tested with 1.5.1')
  })
})
