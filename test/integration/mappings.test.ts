/**
 * The mappings in process, on a throw-away database with the real
 * migrations: no child process, no anvil. Blocks are built by hand (headers,
 * and logs ABI-encoded with the generated modules in src/abi at the devnet
 * preset's addresses) and go through the indexer's own wiring (decodeBatch,
 * then indexBatch inside IndexDatabase.transact for five final batches, and
 * transactHot2 for two hot blocks through the SDK's tracked Store). Every
 * figure asserted from Postgres below was worked out by hand from the
 * events (../shared/icn-protocol.md), never with the code under test.
 */
import type { EventRecord } from '@subsquid/evm-abi'
import { Codec, Sink } from '@subsquid/evm-codec'
import type { HashAndHeight } from '@subsquid/util-internal-processor-tools'
import * as market from '../../src/abi/CapacityMarket'
import * as icnt from '../../src/abi/ICNT'
import * as staking from '../../src/abi/ICNStaking'
import * as vesting from '../../src/abi/ICNVesting'
import * as oracle from '../../src/abi/SLAOracle'
import { exportDatabaseUrlForSdk, loadPreset } from '../../src/config'
import { applyMigrations } from '../../src/db/migrate'
import { decodeBatch, LogData } from '../../src/mappings'
import { indexBatch } from '../../src/store/batch'
import { IndexDatabase } from '../../src/store/database'
import type { BatchStore } from '../../src/store/store'
import { sql, testDatabase } from '../helpers'

// ------------------------------------------------------------------ chain

const preset = loadPreset('devnet')
const TOKEN = preset.contracts.token
const VESTING = preset.contracts.vesting!
const STAKING = preset.contracts.staking!
const MARKET = preset.contracts.market!
const ORACLE = preset.contracts.slaOracle!

const ZERO = '0x0000000000000000000000000000000000000000'
const FOUNDATION = '0x000000000000000000000000000000000000f00d'
const ALICE = '0x000000000000000000000000000000000000a11c'
const BOB = '0x0000000000000000000000000000000000000b0b'
const CAROL = '0x00000000000000000000000000000000000ca201'
const HP = '0x000000000000000000000000000000000000aaa1'
const SP = '0x000000000000000000000000000000000000bbb2'
const TREASURY = '0xf27cce192a8cd68651cb0b4cde987fcb08caf1a1'
const DISTRIBUTOR = '0x4f88fd385f1c181b8f65a9b43ded02e8a1e50392'
const OPERATORS = ['0x000000000000000000000000000000000000c001', '0x000000000000000000000000000000000000c002', '0x000000000000000000000000000000000000c003']

const E18 = 10n ** 18n
/** n whole ICNT, in wei. */
const icn = (n: number | bigint) => BigInt(n) * E18
/** n whole ICNT as the decimal string Postgres returns for numeric(…)::text. */
const w = (n: number | bigint) => icn(n).toString()

/** The preset's era origin (2026-01-01T00:00:00Z); block n is ORIGIN + 900·n seconds, so era = floor(n / 4). */
const ORIGIN = 1_767_225_600
const ONE_MONTH = 30 * 86_400
const blockTime = (n: number) => ORIGIN + 900 * n
const iso = (n: number) => new Date(blockTime(n) * 1000).toISOString()
const hashOf = (n: number) => `0x${'ab'.repeat(28)}${n.toString(16).padStart(8, '0')}`
const txOf = (n: number, i: number) => `0x${'cd'.repeat(26)}${n.toString(16).padStart(8, '0')}${i.toString(16).padStart(4, '0')}`

/** bytes32("NAME"), written out here rather than with src/domain/bytes32. */
const bytes32 = (name: string) => '0x' + Buffer.from(name, 'ascii').toString('hex').padEnd(64, '0')

interface EventCodec {
  topic: string
  params: Record<string, Codec<unknown> & { indexed?: boolean }>
  decode(rec: EventRecord): unknown
}

/** One log as the chain emits it: indexed params as topics, the others ABI-encoded in order as data. */
function encode<E extends EventCodec>(ev: E, args: ReturnType<E['decode']>): EventRecord {
  const topics = [ev.topic]
  const data: [Codec<unknown>, unknown][] = []
  for (const [name, codec] of Object.entries(ev.params)) {
    const v = (args as Record<string, unknown>)[name]
    if (codec.indexed) {
      const s = new Sink(1)
      codec.encode(s, v)
      topics.push(s.toString())
    } else data.push([codec, v])
  }
  const sink = new Sink(data.reduce((n, [c]) => n + (c.slotsCount ?? 1), 0))
  for (const [c, v] of data) c.encode(sink, v)
  return { topics, data: sink.toString() }
}

const transfer = (from: string, to: string, value: bigint): [string, EventRecord] => [TOKEN, encode(icnt.events.Transfer, { from, to, value })]

interface TestBlock {
  header: { height: number; hash: string; parentHash: string; timestamp: number }
  logs: LogData[]
}

function block(height: number, logs: [address: string, rec: EventRecord][] = []): TestBlock {
  return {
    // Milliseconds, as the processor hands them over.
    header: { height, hash: hashOf(height), parentHash: hashOf(height - 1), timestamp: blockTime(height) * 1000 },
    logs: logs.map(([address, rec], logIndex) => ({ address, logIndex, transactionHash: txOf(height, logIndex), topics: rec.topics, data: rec.data })),
  }
}

const U = BigInt(blockTime(9) + ONE_MONTH) // every position's unlockTimestamp
const BOOKED_AT = BigInt(blockTime(15))

/**
 * The slash of block 11: delegatorAmount 105 ICNT of the 1050 on the node (600 + 300 + 100 + 50),
 * each position losing floor(amount · 105 ÷ 1050) = a tenth. The chain's delegatorAmount is the
 * sum of those losses, so a valid slash never rounds (the reference contract refuses one that would).
 */
const LOSS = { alice0: icn(60), bob0: icn(30), carol0: icn(10), alice1: icn(5) }
const DELEGATORS_LOST = icn(105)
/** What position alice/1 had left after the slash (50 − 5 ICNT), reclaimed in block 12 and withdrawn in block 13. */
const ALICE1_LEFT = icn(45)

const FINAL_BATCHES: { blocks: TestBlock[]; isOnTop: boolean }[] = [
  {
    isOnTop: false,
    blocks: [
      block(1, [transfer(ZERO, FOUNDATION, icn(700_000_000))]),
      block(2, [
        [VESTING, encode(vesting.events.VestingScheduleCreated, { scheduleId: 1n, beneficiary: ALICE, category: bytes32('ECOSYSTEM_PARTNERS'), total: icn(1000), immediate: icn(500), start: BigInt(ORIGIN), cliff: BigInt(ORIGIN), duration: BigInt(36 * ONE_MONTH) })],
        transfer(FOUNDATION, VESTING, icn(1000)),
        [VESTING, encode(vesting.events.VestingScheduleCreated, { scheduleId: 2n, beneficiary: BOB, category: bytes32('TEAM'), total: icn(600), immediate: 0n, start: BigInt(ORIGIN + 12 * ONE_MONTH), cliff: BigInt(ORIGIN + 12 * ONE_MONTH), duration: BigInt(24 * ONE_MONTH) })],
        transfer(FOUNDATION, VESTING, icn(600)),
        [VESTING, encode(vesting.events.VestingScheduleCreated, { scheduleId: 3n, beneficiary: DISTRIBUTOR, category: bytes32('NETWORK_REWARDS'), total: icn(500), immediate: icn(75), start: BigInt(ORIGIN), cliff: BigInt(ORIGIN), duration: BigInt(3 * ONE_MONTH) })],
        [VESTING, encode(vesting.events.VestingCurveSet, { scheduleId: 3n, monthlyAmounts: [icn(200), icn(150), icn(75)] })],
        transfer(FOUNDATION, VESTING, icn(500)),
      ]),
      block(3, [transfer(FOUNDATION, ALICE, icn(5000)), transfer(FOUNDATION, BOB, icn(3000)), transfer(FOUNDATION, HP, icn(20_000)), transfer(FOUNDATION, SP, icn(1000))]),
    ],
  },
  {
    // Committed at its end: the batches after it read these rows back from Postgres.
    isOnTop: true,
    blocks: [
      block(4, [
        [VESTING, encode(vesting.events.TokensReleased, { scheduleId: 1n, beneficiary: ALICE, amount: icn(250) })],
        transfer(VESTING, ALICE, icn(250)),
        [VESTING, encode(vesting.events.TokensReleased, { scheduleId: 3n, beneficiary: DISTRIBUTOR, amount: icn(75) })],
        transfer(VESTING, DISTRIBUTOR, icn(75)),
      ]),
      block(5, [
        // Before its cliff nothing of schedule 2 has vested: all 600 go back.
        [VESTING, encode(vesting.events.VestingScheduleRevoked, { scheduleId: 2n, unvestedReturned: icn(600) })],
        transfer(VESTING, FOUNDATION, icn(600)),
        transfer(BOB, ZERO, icn(500)), // a burn
        transfer(ALICE, CAROL, icn(100)),
        [TOKEN, encode(icnt.events.Approval, { owner: FOUNDATION, spender: ALICE, value: 1n })], // known, not stored, not an error
      ]),
      block(6), // no event: its header is stored all the same
      block(7),
    ],
  },
  {
    isOnTop: false,
    blocks: [
      block(8, [
        [STAKING, encode(staking.events.ScalerNodeRegistered, { nodeId: 1n, hardwareProvider: HP, regionId: 'eu-central', hwClass: 'storage', totalCapacity: 100n, collateral: icn(10_000), commitmentEnd: BigInt(blockTime(8) + 36 * ONE_MONTH) })],
        transfer(HP, STAKING, icn(10_000)),
        [STAKING, encode(staking.events.ScalerNodeStatusChanged, { nodeId: 1n, status: 2 })],
        [ORACLE, encode(oracle.events.HyperNodeRegistered, { hyperNodeId: 1n, operator: OPERATORS[0], location: 'Frankfurt' })],
        [ORACLE, encode(oracle.events.HyperNodeRegistered, { hyperNodeId: 2n, operator: OPERATORS[1], location: 'Zürich' })],
        [ORACLE, encode(oracle.events.HyperNodeRegistered, { hyperNodeId: 3n, operator: OPERATORS[2], location: 'Warsaw' })],
        [STAKING, encode(staking.events.OwnershipTransferred, { previousOwner: FOUNDATION, newOwner: HP })], // not a spec event: unknown, counted
      ]),
      block(9, [
        [STAKING, encode(staking.events.DelegationCreated, { nodeId: 1n, delegator: ALICE, lockedDelegationIndex: 0n, apyScalingFactor: 10_000n, unlockTimestamp: U, amount: icn(600) })],
        transfer(ALICE, STAKING, icn(600)),
        [STAKING, encode(staking.events.CollateralDelegatedV2, { nodeId: 1n, lockedDelegationIndex: 0n, delegator: BOB, apyScalingFactor: 12_000n, unlockTimestamp: U, amount: icn(300) })],
        transfer(BOB, STAKING, icn(300)),
        [STAKING, encode(staking.events.DelegationCreated, { nodeId: 1n, delegator: CAROL, lockedDelegationIndex: 0n, apyScalingFactor: 10_000n, unlockTimestamp: U, amount: icn(100) })],
        transfer(CAROL, STAKING, icn(100)),
        // V1 carries no index: it takes alice's next one, 1.
        [STAKING, encode(staking.events.CollateralDelegated, { nodeId: 1n, delegator: ALICE, amount: icn(50), apyScalingFactor: 15_000n, unlockTimestamp: U })],
        transfer(ALICE, STAKING, icn(50)),
      ]),
      block(10, [
        [STAKING, encode(staking.events.CollateralUndelegated, { delegator: ALICE, lockedDelegationIndex: 1n, nodeDelegationIndex: 3n })],
        [STAKING, encode(staking.events.ScalerNodeCapacityChanged, { nodeId: 1n, totalCapacity: 120n })],
      ]),
      block(11, [
        // Undelegated alice/1 still counts for the node, and is slashed with the others.
        [STAKING, encode(staking.events.CollateralSlashed, { nodeId: 1n, era: 2n, providerAmount: icn(1000), delegatorAmount: DELEGATORS_LOST, reason: bytes32('UPTIME') })],
        transfer(STAKING, TREASURY, icn(1000) + DELEGATORS_LOST),
      ]),
    ],
  },
  {
    isOnTop: false,
    blocks: [
      block(12, [[STAKING, encode(staking.events.CollateralReclaimed, { delegator: ALICE, lockedDelegationIndex: 1n, nodeDelegationIndex: 3n })]]),
      block(13, [
        [STAKING, encode(staking.events.UnlockedTokensWithdrawn, { delegator: ALICE, lockedDelegationIndex: 1n, amount: ALICE1_LEFT })],
        transfer(STAKING, ALICE, ALICE1_LEFT),
        [STAKING, encode(staking.events.PendingRewardsClaimInitialized, { delegator: BOB, amount: icn(5), unlockTimestamp: BigInt(blockTime(13) + 86_400) })],
      ]),
      block(14, [
        [STAKING, encode(staking.events.HPDelegationICNTRewardsClaimedV2, { delegator: BOB, pendingRewardsClaimIndex: 0n, amount: icn(5) })],
        transfer(DISTRIBUTOR, BOB, icn(5)),
        [STAKING, encode(staking.events.HpRewardClaimed, { hp: HP, amount: icn(7), claimIndex: 0n })],
        transfer(DISTRIBUTOR, HP, icn(7)),
        // A spec event that does not decode (its last indexed topic is missing): counted, never stored.
        [STAKING, (({ topics, data }) => ({ topics: topics.slice(0, 3), data }))(encode(staking.events.HpRewardClaimed, { hp: HP, amount: icn(7), claimIndex: 1n }))],
      ]),
    ],
  },
  {
    isOnTop: true,
    blocks: [
      block(15, [
        [MARKET, encode(market.events.CapacityBooked, { bookingId: 1n, nodeId: 1n, serviceProvider: SP, capacity: 40n, price: icn(400), startTime: BOOKED_AT, endTime: BOOKED_AT + BigInt(ONE_MONTH) })],
        transfer(SP, HP, icn(300)),
        transfer(SP, TREASURY, icn(100)),
        [MARKET, encode(market.events.CapacityBooked, { bookingId: 2n, nodeId: 1n, serviceProvider: SP, capacity: 10n, price: icn(80), startTime: BOOKED_AT, endTime: BOOKED_AT + 7n * 86_400n })],
        transfer(SP, HP, icn(60)),
        transfer(SP, TREASURY, icn(20)),
      ]),
      block(16, [
        [MARKET, encode(market.events.BookingExtended, { bookingId: 1n, newEndTime: BOOKED_AT + BigInt(2 * ONE_MONTH), additionalPrice: icn(40) })],
        transfer(SP, HP, icn(30)),
        transfer(SP, TREASURY, icn(10)),
        [MARKET, encode(market.events.BookingEnded, { bookingId: 2n, nodeId: 1n, reason: 1 })],
      ]),
      block(17, [
        [ORACLE, encode(oracle.events.SlaAttested, { nodeId: 1n, era: 1n, hyperNodeId: 1n, uptimeBps: 9950, latencyMs: 120, challengesPassed: 50, challengesFailed: 0 })],
        [ORACLE, encode(oracle.events.SlaAttested, { nodeId: 1n, era: 1n, hyperNodeId: 2n, uptimeBps: 9800, latencyMs: 180, challengesPassed: 48, challengesFailed: 2 })],
        [ORACLE, encode(oracle.events.SlaAttested, { nodeId: 1n, era: 1n, hyperNodeId: 3n, uptimeBps: 9990, latencyMs: 90, challengesPassed: 49, challengesFailed: 1 })],
        [ORACLE, encode(oracle.events.SlaAttested, { nodeId: 1n, era: 2n, hyperNodeId: 1n, uptimeBps: 9000, latencyMs: 300, challengesPassed: 90, challengesFailed: 10 })],
        [ORACLE, encode(oracle.events.SlaAttested, { nodeId: 1n, era: 2n, hyperNodeId: 2n, uptimeBps: 9950, latencyMs: 150, challengesPassed: 100, challengesFailed: 0 })],
        [ORACLE, encode(oracle.events.HyperNodeStatusChanged, { hyperNodeId: 3n, status: 2 })],
        // From an inactive HyperNode: still counted (the chain accepted it).
        [ORACLE, encode(oracle.events.SlaAttested, { nodeId: 1n, era: 3n, hyperNodeId: 3n, uptimeBps: 9999, latencyMs: 50, challengesPassed: 10, challengesFailed: 0 })],
        [ORACLE, encode(oracle.events.SlaViolation, { nodeId: 1n, era: 1n, metric: 2, observed: 9800n, threshold: 9900n })],
      ]),
    ],
  },
]

/** Above the final head: through transactHot2 and the SDK's change-logged Store. */
const HOT_BLOCKS: TestBlock[] = [
  block(18, [
    transfer(ALICE, BOB, icn(1)),
    // HyperNode 1's later report for era 2 replaces its earlier one (written by the final path).
    [ORACLE, encode(oracle.events.SlaAttested, { nodeId: 1n, era: 2n, hyperNodeId: 1n, uptimeBps: 9990, latencyMs: 110, challengesPassed: 99, challengesFailed: 1 })],
    [STAKING, encode(staking.events.OwnershipTransferred, { previousOwner: HP, newOwner: FOUNDATION })], // unknown again: the count adds up across paths
  ]),
  block(19, [
    // Node 99 was never registered: both are CannotApply, counted and skipped.
    [STAKING, encode(staking.events.ScalerNodeStatusChanged, { nodeId: 99n, status: 3 })],
    [MARKET, encode(market.events.CapacityBooked, { bookingId: 9n, nodeId: 99n, serviceProvider: SP, capacity: 1n, price: icn(1), startTime: BigInt(blockTime(19)), endTime: BigInt(blockTime(19) + 86_400) })],
    // Ownership events at the token are unknown too; a spec event's topic at the token (one address, every family) is decoded.
    [TOKEN, encode(staking.events.OwnershipTransferred, { previousOwner: ZERO, newOwner: FOUNDATION })],
    // A report and a violation on node 99, never registered: CannotApply too.
    [ORACLE, encode(oracle.events.SlaAttested, { nodeId: 99n, era: 2n, hyperNodeId: 1n, uptimeBps: 9990, latencyMs: 110, challengesPassed: 99, challengesFailed: 1 })],
    [ORACLE, encode(oracle.events.SlaViolation, { nodeId: 99n, era: 2n, metric: 0, observed: 9000n, threshold: 9900n })],
  ]),
]

// ------------------------------------------------------------------ indexing

/**
 * typeorm-config loads src/model (the classes the handlers build) only under
 * ts-node; otherwise lib/model, whose classes are other objects: the final
 * path (tables by entity name) would still work, but the SDK's Store on the
 * hot path fails with "No metadata for \"Account\" was found".
 */
const TS_NODE = Symbol.for('ts-node.register.instance')
const proc = process as unknown as Record<symbol, unknown>
const tsNodeBefore = proc[TS_NODE]

let url: string
let db: IndexDatabase
const paths: string[] = []
const warnings: string[] = []
const skips: [kind: string, block: number, logIndex: number][] = []
const inconsistencies: string[] = []
/** Commits nobody waited for that failed (IndexDatabase's onFatal). */
const fatal: unknown[] = []
/** Era 2's rollup as the final path left it, before the hot block's report replaced one of its reports. */
let era2BeforeHot: Record<string, unknown>

async function handle(store: BatchStore, blocks: TestBlock[], isHead: boolean): Promise<void> {
  paths.push(store.path)
  const decoded = decodeBatch(blocks, TOKEN, (msg) => warnings.push(msg))
  await indexBatch(store, blocks, decoded, {
    sla: preset.sla,
    supply: { vesting: VESTING, staking: STAKING },
    finality: preset.finalityConfirmations,
    isHead,
    onSkip: (ev) => skips.push([ev.kind, ev.blockNumber, ev.logIndex]),
    onInconsistency: (i) => inconsistencies.push(i.what),
  })
}

const head = (b: TestBlock): HashAndHeight => ({ height: b.header.height, hash: b.header.hash })

beforeAll(async () => {
  proc[TS_NODE] = tsNodeBefore ?? {}
  url = await testDatabase()
  exportDatabaseUrlForSdk(url)
  await applyMigrations()
  db = new IndexDatabase(url, { onFatal: (e) => fatal.push(e) })
  const state = await db.connect()
  let prev: HashAndHeight = { height: state.height, hash: state.hash }
  expect(prev).toEqual({ height: -1, hash: '0x' })
  for (const batch of FINAL_BATCHES) {
    const next = head(batch.blocks[batch.blocks.length - 1])
    await db.transact({ prevHead: prev, nextHead: next, isOnTop: batch.isOnTop }, (store) => handle(store, batch.blocks, batch.isOnTop))
    prev = next
  }
  ;[era2BeforeHot] = await sql(url, `SELECT report_count, uptime_bps::float8, latency_ms::float8, challenge_pass_rate::float8, meets_sla, failed_metrics, last_report_block FROM node_era WHERE id = '000000000001-0000000002'`)
  await db.transactHot2({ finalizedHead: prev, baseHead: prev, newBlocks: HOT_BLOCKS.map(head) }, (store, beg, end) => handle(store, HOT_BLOCKS.slice(beg, end), true))
})

afterAll(async () => {
  await db?.disconnect()
  if (tsNodeBefore === undefined) delete proc[TS_NODE]
})

const one = async <T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T> => {
  const rows = await sql<T>(url, text, params)
  if (rows.length !== 1) throw new Error(`${rows.length} rows for ${text}`)
  return rows[0]
}

// ------------------------------------------------------------------ assertions

describe('mappings, in process, on a migrated database', () => {
  test('wiring: five final batches on the owned writer, two hot blocks through the tracked Store', async () => {
    expect(paths).toEqual(['final', 'final', 'final', 'final', 'final', 'tracked', 'tracked'])
    // The SDK's cursor is at the final head; the hot blocks are in its change log.
    expect(await one(`SELECT height, hash FROM squid_processor.status WHERE id = 0`)).toEqual({ height: 17, hash: hashOf(17) })
    expect(await sql(url, `SELECT height, hash FROM squid_processor.hot_block ORDER BY height`)).toEqual([
      { height: 18, hash: hashOf(18) },
      { height: 19, hash: hashOf(19) },
    ])
    const logged = await sql<{ block_height: number; table: string; kind: string; id: string }>(
      url,
      `SELECT block_height, change->>'table' AS table, change->>'kind' AS kind, change->>'id' AS id FROM squid_processor.hot_change_log WHERE change->>'table' IN ('transfer', 'node_era') ORDER BY block_height, index`,
    )
    expect(logged).toEqual([
      { block_height: 18, table: 'transfer', kind: 'insert', id: '0000000018-000000' },
      // An update: the change log keeps the row as the final path wrote it, for a rollback.
      { block_height: 18, table: 'node_era', kind: 'update', id: '000000000001-0000000002' },
    ])
    // Blocks with an event, and the last of each batch (7, and each hot block); not the empty block 6.
    const blocks = await sql<{ height: number; hash: string; timestamp: Date }>(url, `SELECT height, hash, timestamp FROM block ORDER BY height`)
    expect(blocks.map((b) => b.height)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19])
    expect(blocks[4]).toEqual({ height: 5, hash: hashOf(5), timestamp: new Date('2026-01-01T01:15:00.000Z') })
    expect(inconsistencies).toEqual([])
    expect(fatal).toEqual([])
  })

  test('token: mints from the zero address, transfers and a burn; balances, holders, transfer rows, supply checkpoints', async () => {
    const accounts = await sql<{ id: string; balance: string; transfers_in: number; transfers_out: number; first_seen_block: number; last_active_block: number }>(
      url,
      `SELECT id, balance::text, transfers_in, transfers_out, first_seen_block, last_active_block FROM account`,
    )
    expect(Object.fromEntries(accounts.map((a) => [a.id, a.balance]))).toEqual({
      [ZERO]: `-${w(699_999_500)}`, // minted 700M, burned 500
      [FOUNDATION]: w(699_969_500), // 700M − 2100 into vesting − 29,000 handed out + 600 revoked back
      [ALICE]: w(4544), // 5000 + 250 released − 100 − 600 − 50 delegated + 45 withdrawn − 1
      [BOB]: w(2206), // 3000 − 500 burned − 300 delegated + 5 reward + 1
      [CAROL]: '0', // received 100, delegated 100
      [HP]: w(10_397), // 20,000 − 10,000 collateral + 7 reward + 300 + 60 + 30 of bookings
      [SP]: w(480), // 1000 − 400 − 80 − 40
      [TREASURY]: w(1235), // 1000 + 105 slashed + 100 + 20 + 10 margins
      [DISTRIBUTOR]: w(63), // 75 − 5 − 7
      [VESTING]: w(1175), // 2100 − 250 − 75 − 600
      [STAKING]: w(9900), // 9000 collateral + 900 still delegated
    })
    const alice = accounts.find((a) => a.id === ALICE)!
    expect([alice.transfers_in, alice.transfers_out, alice.first_seen_block, alice.last_active_block]).toEqual([3, 4, 3, 18])
    // Holders: a positive balance, the zero address excluded (carol is at 0).
    expect(await one(`SELECT count(*)::int AS n FROM account WHERE balance > 0 AND id <> $1`, [ZERO])).toEqual({ n: 9 })

    expect(await one(`SELECT count(*)::int AS n FROM transfer`)).toEqual({ n: 29 })
    const row = (id: string) => one(`SELECT block_number, block_hash, timestamp, tx_hash, log_index, from_id, to_id, value::text, from_balance_after::text, to_balance_after::text FROM transfer WHERE id = $1`, [id])
    expect(await row('0000000001-000000')).toEqual({
      block_number: 1, block_hash: hashOf(1), timestamp: new Date(iso(1)), tx_hash: txOf(1, 0), log_index: 0,
      from_id: ZERO, to_id: FOUNDATION, value: w(700_000_000), from_balance_after: `-${w(700_000_000)}`, to_balance_after: w(700_000_000),
    })
    expect(await row('0000000005-000002')).toEqual({
      block_number: 5, block_hash: hashOf(5), timestamp: new Date(iso(5)), tx_hash: txOf(5, 2), log_index: 2,
      from_id: BOB, to_id: ZERO, value: w(500), from_balance_after: w(2500), to_balance_after: `-${w(699_999_500)}`,
    })
    // The hot block's transfer, through the tracked Store.
    expect(await row('0000000018-000000')).toEqual({
      block_number: 18, block_hash: hashOf(18), timestamp: new Date(iso(18)), tx_hash: txOf(18, 0), log_index: 0,
      from_id: ALICE, to_id: BOB, value: w(1), from_balance_after: w(4544), to_balance_after: w(2206),
    })

    // One checkpoint per block whose transfers touch the zero address, vesting or staking.
    const cps = await sql<{ block_number: number; total_supply: string; minted: string; burned: string; vesting_balance: string; staked: string }>(
      url,
      `SELECT block_number, total_supply::text, minted::text, burned::text, vesting_balance::text, staked::text FROM supply_checkpoint ORDER BY block_number`,
    )
    expect(cps.map((c) => c.block_number)).toEqual([1, 2, 4, 5, 8, 9, 11, 13])
    const cp = (n: number) => cps.find((c) => c.block_number === n)
    expect(cp(1)).toEqual({ block_number: 1, total_supply: w(700_000_000), minted: w(700_000_000), burned: '0', vesting_balance: '0', staked: '0' })
    expect(cp(5)).toEqual({ block_number: 5, total_supply: w(699_999_500), minted: w(700_000_000), burned: w(500), vesting_balance: w(1175), staked: '0' })
    expect(cp(9)).toEqual({ block_number: 9, total_supply: w(699_999_500), minted: w(700_000_000), burned: w(500), vesting_balance: w(1175), staked: w(11_050) })
    expect(cp(13)).toEqual({ block_number: 13, total_supply: w(699_999_500), minted: w(700_000_000), burned: w(500), vesting_balance: w(1175), staked: w(9900) })
  })

  test('vesting: schedules created (one with a curve), releases, a revocation', async () => {
    const schedules = await sql(
      url,
      `SELECT id, schedule_id::text, contract, beneficiary, category, total::text, immediate::text, start::text, cliff::text, duration::text, curve, released::text,
              revoked, revoked_at::text, unvested_returned::text, created_block, created_at
         FROM vesting_schedule ORDER BY id`,
    )
    const created = { contract: VESTING, created_block: 2, created_at: new Date(iso(2)) }
    expect(schedules).toEqual([
      { ...created, id: '000000000001', schedule_id: '1', beneficiary: ALICE, category: 'ECOSYSTEM_PARTNERS', total: w(1000), immediate: w(500), start: '1767225600', cliff: '1767225600', duration: '93312000', curve: null, released: w(250), revoked: false, revoked_at: null, unvested_returned: null },
      { ...created, id: '000000000002', schedule_id: '2', beneficiary: BOB, category: 'TEAM', total: w(600), immediate: '0', start: '1798329600', cliff: '1798329600', duration: '62208000', curve: null, released: '0', revoked: true, revoked_at: '1767230100', unvested_returned: w(600) },
      { ...created, id: '000000000003', schedule_id: '3', beneficiary: DISTRIBUTOR, category: 'NETWORK_REWARDS', total: w(500), immediate: w(75), start: '1767225600', cliff: '1767225600', duration: '7776000', curve: [w(200), w(150), w(75)], released: w(75), revoked: false, revoked_at: null, unvested_returned: null },
    ])
    expect(await sql(url, `SELECT id, schedule_id, beneficiary, amount::text, block_number, timestamp, tx_hash FROM tokens_release ORDER BY id`)).toEqual([
      { id: '0000000004-000000', schedule_id: '000000000001', beneficiary: ALICE, amount: w(250), block_number: 4, timestamp: new Date(iso(4)), tx_hash: txOf(4, 0) },
      { id: '0000000004-000002', schedule_id: '000000000003', beneficiary: DISTRIBUTOR, amount: w(75), block_number: 4, timestamp: new Date(iso(4)), tx_hash: txOf(4, 2) },
    ])
    expect(await sql(url, `SELECT id, schedule_id, unvested_returned::text, block_number FROM vesting_revocation`)).toEqual([
      { id: '0000000005-000000', schedule_id: '000000000002', unvested_returned: w(600), block_number: 5 },
    ])
  })

  test('staking: a node registered and validated, positions by all three "delegated" forms, undelegate, a slash to the wei, reclaim, withdraw, reward claims', async () => {
    expect(
      await one(
        `SELECT node_id::text, hardware_provider, region, hw_class, status, total_capacity::text, collateral_registered::text, collateral::text, commitment_end::text, delegated_stake::text,
                active_positions, delegation_count, slashed_provider::text, slashed_delegators::text, slash_count, registered_block, registered_at
           FROM node WHERE id = '000000000001'`,
      ),
    ).toEqual({
      node_id: '1', hardware_provider: HP, region: 'eu-central', hw_class: 'storage', status: 2, total_capacity: '120',
      collateral_registered: w(10_000), collateral: w(9000), commitment_end: String(1_767_232_800 + 36 * ONE_MONTH),
      // 1050 delegated − 105 slashed − 45 reclaimed
      delegated_stake: w(900),
      active_positions: 3, delegation_count: 4, slashed_provider: w(1000), slashed_delegators: w(105), slash_count: 1,
      registered_block: 8, registered_at: new Date(iso(8)),
    })
    expect(await sql(url, `SELECT id, status, block_number FROM node_status_change ORDER BY id`)).toEqual([
      { id: '0000000008-000000', status: 1, block_number: 8 },
      { id: '0000000008-000002', status: 2, block_number: 8 },
    ])
    expect(await sql(url, `SELECT id, total_capacity::text FROM node_capacity_change ORDER BY id`)).toEqual([
      { id: '0000000008-000000', total_capacity: '100' },
      { id: '0000000010-000001', total_capacity: '120' },
    ])

    const positions = await sql(
      url,
      `SELECT id, delegator, locked_delegation_index, node_id, node_delegation_index, created_via, initial_amount::text, amount::text, slashed::text, withdrawn::text,
              apy_scaling_factor::text, unlock_timestamp::text, status, created_block, undelegated_block, reclaimed_block
         FROM delegation ORDER BY node_delegation_index`,
    )
    const common = { node_id: '000000000001', unlock_timestamp: U.toString(), created_block: 9, withdrawn: '0', status: 'ACTIVE', undelegated_block: null, reclaimed_block: null }
    expect(positions).toEqual([
      { ...common, id: `${ALICE}-000000`, delegator: ALICE, locked_delegation_index: 0, node_delegation_index: 0, created_via: 'CREATED', apy_scaling_factor: '10000', initial_amount: w(600), amount: w(540), slashed: LOSS.alice0.toString() },
      { ...common, id: `${BOB}-000000`, delegator: BOB, locked_delegation_index: 0, node_delegation_index: 1, created_via: 'V2', apy_scaling_factor: '12000', initial_amount: w(300), amount: w(270), slashed: LOSS.bob0.toString() },
      { ...common, id: `${CAROL}-000000`, delegator: CAROL, locked_delegation_index: 0, node_delegation_index: 2, created_via: 'CREATED', apy_scaling_factor: '10000', initial_amount: w(100), amount: w(90), slashed: LOSS.carol0.toString() },
      {
        ...common, id: `${ALICE}-000001`, delegator: ALICE, locked_delegation_index: 1, node_delegation_index: 3, created_via: 'V1', apy_scaling_factor: '15000', initial_amount: w(50),
        amount: '0', slashed: LOSS.alice1.toString(), withdrawn: ALICE1_LEFT.toString(), status: 'WITHDRAWN', undelegated_block: 10, reclaimed_block: 12,
      },
    ])
    // Bytewise order (COLLATE "C"): 0x…0b0b (bob) before 0x…a11c (alice) before 0x…ca201 (carol).
    expect(await sql(url, `SELECT id, delegation_id, kind, amount::text FROM delegation_event ORDER BY id COLLATE "C"`)).toEqual([
      { id: '0000000009-000000', delegation_id: `${ALICE}-000000`, kind: 'CREATED', amount: w(600) },
      { id: '0000000009-000002', delegation_id: `${BOB}-000000`, kind: 'CREATED_V2', amount: w(300) },
      { id: '0000000009-000004', delegation_id: `${CAROL}-000000`, kind: 'CREATED', amount: w(100) },
      { id: '0000000009-000006', delegation_id: `${ALICE}-000001`, kind: 'CREATED_V1', amount: w(50) },
      { id: '0000000010-000000', delegation_id: `${ALICE}-000001`, kind: 'UNDELEGATED', amount: null },
      { id: `0000000011-000000-${BOB}-000000`, delegation_id: `${BOB}-000000`, kind: 'SLASHED', amount: LOSS.bob0.toString() },
      { id: `0000000011-000000-${ALICE}-000000`, delegation_id: `${ALICE}-000000`, kind: 'SLASHED', amount: LOSS.alice0.toString() },
      { id: `0000000011-000000-${ALICE}-000001`, delegation_id: `${ALICE}-000001`, kind: 'SLASHED', amount: LOSS.alice1.toString() },
      { id: `0000000011-000000-${CAROL}-000000`, delegation_id: `${CAROL}-000000`, kind: 'SLASHED', amount: LOSS.carol0.toString() },
      { id: '0000000012-000000', delegation_id: `${ALICE}-000001`, kind: 'RECLAIMED', amount: ALICE1_LEFT.toString() },
      { id: '0000000013-000000', delegation_id: `${ALICE}-000001`, kind: 'WITHDRAWN', amount: ALICE1_LEFT.toString() },
    ])
    expect(await sql(url, `SELECT id, node_id, era::text, provider_amount::text, delegator_amount::text, reason FROM slash`)).toEqual([
      { id: '0000000011-000000', node_id: '000000000001', era: '2', provider_amount: w(1000), delegator_amount: w(105), reason: 'UPTIME' },
    ])

    expect(await sql(url, `SELECT id, position_count, rewards_claimed::text FROM delegator ORDER BY id COLLATE "C"`)).toEqual([
      { id: BOB, position_count: 1, rewards_claimed: w(5) },
      { id: ALICE, position_count: 2, rewards_claimed: '0' },
      { id: CAROL, position_count: 1, rewards_claimed: '0' },
    ])
    expect(await sql(url, `SELECT id, account, kind, claim_index::text, amount::text, unlock_timestamp::text FROM reward_claim ORDER BY id`)).toEqual([
      { id: '0000000013-000002', account: BOB, kind: 'DELEGATOR_PENDING', claim_index: null, amount: w(5), unlock_timestamp: String(blockTime(13) + 86_400) },
      { id: '0000000014-000000', account: BOB, kind: 'DELEGATOR_CLAIMED', claim_index: '0', amount: w(5), unlock_timestamp: null },
      { id: '0000000014-000002', account: HP, kind: 'HP_CLAIMED', claim_index: '0', amount: w(7), unlock_timestamp: null },
    ])
  })

  test('market: bookings created, extended and ended; the node\'s revenue is the gross price', async () => {
    expect(
      await sql(url, `SELECT id, node_id, service_provider, capacity::text, price::text, start_time::text, end_time::text, ended, end_reason, ended_block, ended_at, created_block FROM booking ORDER BY id`),
    ).toEqual([
      { id: '000000000001', node_id: '000000000001', service_provider: SP, capacity: '40', price: w(440), start_time: '1767239100', end_time: '1772423100', ended: false, end_reason: null, ended_block: null, ended_at: null, created_block: 15 },
      { id: '000000000002', node_id: '000000000001', service_provider: SP, capacity: '10', price: w(80), start_time: '1767239100', end_time: '1767843900', ended: true, end_reason: 1, ended_block: 16, ended_at: new Date(iso(16)), created_block: 15 },
    ])
    expect(await sql(url, `SELECT id, booking_id, kind, amount::text, new_end_time::text, reason FROM booking_event ORDER BY id`)).toEqual([
      { id: '0000000015-000000', booking_id: '000000000001', kind: 'BOOKED', amount: w(400), new_end_time: '1769831100', reason: null },
      { id: '0000000015-000003', booking_id: '000000000002', kind: 'BOOKED', amount: w(80), new_end_time: '1767843900', reason: null },
      { id: '0000000016-000000', booking_id: '000000000001', kind: 'EXTENDED', amount: w(40), new_end_time: '1772423100', reason: null },
      { id: '0000000016-000003', booking_id: '000000000002', kind: 'ENDED', amount: null, new_end_time: null, reason: 1 },
    ])
    expect(await one(`SELECT revenue::text, booking_count FROM node WHERE id = '000000000001'`)).toEqual({ revenue: w(520), booking_count: 2 })
  })

  test('SLA: attestations from a quorum of HyperNodes give each era a median consensus; a later report replaces its HyperNode\'s earlier one; a violation', async () => {
    expect(await sql(url, `SELECT id, hyper_node_id::text, operator, location, status, report_count, registered_block FROM hyper_node ORDER BY id`)).toEqual([
      { id: '000000000001', hyper_node_id: '1', operator: OPERATORS[0], location: 'Frankfurt', status: 1, report_count: 3, registered_block: 8 },
      { id: '000000000002', hyper_node_id: '2', operator: OPERATORS[1], location: 'Zürich', status: 1, report_count: 2, registered_block: 8 },
      { id: '000000000003', hyper_node_id: '3', operator: OPERATORS[2], location: 'Warsaw', status: 2, report_count: 2, registered_block: 8 },
    ])
    expect(await one(`SELECT count(*)::int AS n, count(*) FILTER (WHERE era = 2)::int AS era2 FROM sla_attestation`)).toEqual({ n: 7, era2: 3 })
    expect(await one(`SELECT node_id, era, hyper_node_id, uptime_bps, latency_ms, challenges_passed, challenges_failed, block_number FROM sla_attestation WHERE id = '0000000017-000001'`)).toEqual({
      node_id: '000000000001', era: 1, hyper_node_id: '000000000002', uptime_bps: 9800, latency_ms: 180, challenges_passed: 48, challenges_failed: 2, block_number: 17,
    })

    const eras = await sql(
      url,
      `SELECT era, report_hyper_nodes, report_values, report_count, quorum, uptime_bps::float8, latency_ms::float8, challenge_pass_rate::float8, meets_sla, failed_metrics, last_report_block
         FROM node_era WHERE node_id = '000000000001' ORDER BY era`,
    )
    expect(eras).toEqual([
      {
        // Uptime 9800/9950/9990 → 9950; latency 90/120/180 → 120; pass rates 1, 0.96, 0.98 → 0.98, below 99%.
        era: 1, report_hyper_nodes: ['000000000001', '000000000002', '000000000003'], report_values: [9950, 120, 50, 0, 17, 9800, 180, 48, 2, 17, 9990, 90, 49, 1, 17],
        report_count: 3, quorum: true, uptime_bps: 9950, latency_ms: 120, challenge_pass_rate: 0.98, meets_sla: false, failed_metrics: ['CHALLENGES'], last_report_block: 17,
      },
      {
        // HyperNode 1's report of block 18 replaced its first: (9990 + 9950)/2, (110 + 150)/2, (0.99 + 1)/2 — all within the SLA.
        era: 2, report_hyper_nodes: ['000000000001', '000000000002'], report_values: [9990, 110, 99, 1, 18, 9950, 150, 100, 0, 17],
        report_count: 2, quorum: true, uptime_bps: 9970, latency_ms: 130, challenge_pass_rate: 0.995, meets_sla: true, failed_metrics: [], last_report_block: 18,
      },
      {
        // One report is below the quorum of 2: no verdict.
        era: 3, report_hyper_nodes: ['000000000003'], report_values: [9999, 50, 10, 0, 17],
        report_count: 1, quorum: false, uptime_bps: 9999, latency_ms: 50, challenge_pass_rate: 1, meets_sla: false, failed_metrics: [], last_report_block: 17,
      },
    ])
    // Before the replacement: (9000 + 9950)/2, (300 + 150)/2, (0.9 + 1)/2 — every metric fails.
    expect(era2BeforeHot).toEqual({ report_count: 2, uptime_bps: 9475, latency_ms: 225, challenge_pass_rate: 0.95, meets_sla: false, failed_metrics: ['UPTIME', 'LATENCY', 'CHALLENGES'], last_report_block: 17 })

    expect(await sql(url, `SELECT id, node_id, era, metric, observed::text, threshold::text FROM sla_violation`)).toEqual([
      { id: '0000000017-000007', node_id: '000000000001', era: 1, metric: 2, observed: '9800', threshold: '9900' },
    ])
    expect(await one(`SELECT violation_count FROM node WHERE id = '000000000001'`)).toEqual({ violation_count: 1 })
  })

  test('an undecodable log and events naming a node never registered are counted and skipped, leaving nothing behind', async () => {
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^undecodable log at block 14 log index 4 \(address 0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0\)/)
    expect(skips).toEqual([
      ['ScalerNodeStatusChanged', 19, 0],
      ['CapacityBooked', 19, 1],
      ['SlaAttested', 19, 3],
      ['SlaViolation', 19, 4],
    ])
    expect(await one(`SELECT (SELECT count(*) FROM node WHERE id = '000000000099')::int AS nodes, (SELECT count(*) FROM booking WHERE id = '000000000009')::int AS bookings,
                             (SELECT count(*) FROM node_status_change WHERE node_id = '000000000099')::int AS changes, (SELECT count(*) FROM reward_claim WHERE claim_index = 1)::int AS claims,
                             (SELECT count(*) FROM sla_attestation WHERE node_id = '000000000099')::int AS reports, (SELECT count(*) FROM sla_violation WHERE node_id = '000000000099')::int AS violations,
                             (SELECT count(*) FROM node_era WHERE node_id = '000000000099')::int AS eras`)).toEqual({ nodes: 0, bookings: 0, changes: 0, claims: 0, reports: 0, violations: 0, eras: 0 })
    // The status row as the hot block 19 left it: at the head (isHead), finality 10 below it; 1 undecodable + 4 skipped.
    expect(await one(`SELECT height, hash, timestamp, finalized_height, chain_head, undecoded_logs, inconsistencies FROM indexer_status WHERE id = 'status'`)).toEqual({
      height: 19, hash: hashOf(19), timestamp: new Date(iso(19)), finalized_height: 9, chain_head: 19, undecoded_logs: 5, inconsistencies: 0,
    })
  })

  test('events that are none of the spec\'s are unknown: counted per address and topic, not errors', async () => {
    const topic = staking.events.OwnershipTransferred.topic
    expect(await one(`SELECT unknown_events FROM indexer_status WHERE id = 'status'`)).toEqual({
      unknown_events: [
        { address: TOKEN, topic, count: 1, firstBlock: 19, lastBlock: 19 },
        { address: STAKING, topic, count: 2, firstBlock: 8, lastBlock: 18 },
      ].sort((a, b) => a.address.localeCompare(b.address)),
    })
    expect(warnings.filter((w) => w.includes(topic))).toEqual([])
  })
})
