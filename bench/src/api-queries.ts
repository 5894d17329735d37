/**
 * The queries of `npm run bench:api`: each as our API asks it and, for the
 * lists, SQD's nearest equivalent on its own GraphQL server over the same
 * tables. Arguments are picked from the indexed data (the busiest account,
 * the node with most delegations, a block halfway), so the bench works at any
 * size of index.
 */
import { Client } from 'pg'

export interface GraphqlRequest {
  query: string
  variables: Record<string, unknown>
}

export interface BenchQuery {
  /** Short key, used for --only and in the results. */
  key: string
  title: string
  ours: GraphqlRequest
  /** SQD's nearest equivalent, for the list queries; `note` says how it differs. */
  sqd?: GraphqlRequest & { note: string }
  /** p99 latency target at 16 connections (ms). */
  p99TargetMs?: number
  /** Most SQL statements one request may take. */
  maxStatements?: number
  /** A list query: its requests/s should be ≥ 1.5× SQD's. */
  list: boolean
}

/** Arguments picked from the data. */
export interface BenchArgs {
  head: number
  pastBlock: number
  /** The account with the most transfers, and how many it has. */
  account: string
  accountTransfers: number
  /** Rows skipped before the deep page (5,000, or fewer when the account has fewer transfers). */
  deepRows: number
  /** The busiest sender other than `account`, and how many transfers it sent. */
  sender: string
  senderTransfers: number
  /** Rows of all transfers skipped before the far page (100,000, or fewer in a smaller index). */
  farRows: number
  /** The wallet with the longest staking history, and its length. */
  stakingWallet: string
  stakingEntries: number
  /** The node with most delegations (decimal id, as the API takes it), and its count. */
  node: string
  nodeDelegations: number
  /** The first 100 nodes by id (stored ids) and the latest era any of them has a consensus for. */
  firstNodes: string[]
  latestEra: number | null
  nodeCount: number
  /** Row counts of the main tables, for the report. */
  rows: Record<string, number>
}

export const PAGE = 100
export const DEEP_ROWS = 5000
/** How deep into all transfers the far page is (the "page after row 100,000"). */
export const FAR_ROWS = 100_000
/** Delegations per node in the nested query: under the API's cost limit for 100 nodes (see README "Safety limits"). */
export const NESTED_DELEGATIONS = 50

const ZERO = '0x0000000000000000000000000000000000000000'

/** Reads the benchmark's arguments from the indexed database (admin connection). */
export async function pickArgs(databaseUrl: string): Promise<BenchArgs> {
  const c = new Client({ connectionString: databaseUrl })
  await c.connect()
  try {
    const one = async <R extends object>(sql: string, params: unknown[] = []): Promise<R | undefined> => (await c.query<R>(sql, params)).rows[0]
    const status = await one<{ height: number }>(`SELECT height FROM indexer_status WHERE id = 'status'`)
    if (!status) throw new Error('the database has no indexer_status row: run npm run bench:ingest first')
    const acc = await one<{ id: string; n: number }>(
      `SELECT id, (transfers_in + transfers_out)::int AS n FROM account WHERE id <> $1 ORDER BY transfers_in + transfers_out DESC, id LIMIT 1`,
      [ZERO],
    )
    if (!acc) throw new Error('no account with transfers in the index')
    // Exactly the rows the API lists for the account (either side, a self-transfer once).
    const transfers = await one<{ n: number }>(
      `SELECT ((SELECT count(*) FROM transfer WHERE from_id = $1) + (SELECT count(*) FROM transfer WHERE to_id = $1 AND from_id <> $1))::int AS n`,
      [acc.id],
    )
    const sender = await one<{ id: string; n: number }>(
      `SELECT from_id AS id, count(*)::int AS n FROM transfer WHERE from_id NOT IN ($1, $2) GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`,
      [ZERO, acc.id],
    )
    const staking = await one<{ a: string; n: number }>(
      `SELECT a, count(*)::int AS n FROM (
         SELECT delegator AS a FROM delegation_event
         UNION ALL SELECT account FROM reward_claim
         UNION ALL SELECT n.hardware_provider FROM slash s JOIN node n ON n.id = s.node_id) h
       GROUP BY a ORDER BY 2 DESC, 1 LIMIT 1`,
    )
    const node = await one<{ id: string; n: number }>(`SELECT node_id AS id, count(*)::int AS n FROM delegation GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`)
    const anyNode = node ?? (await one<{ id: string; n: number }>(`SELECT id, 0 AS n FROM node ORDER BY id LIMIT 1`))
    // A token-only index (bench:ingest --workload token) has no node: the node queries are left out.
    const first = (await c.query<{ id: string }>(`SELECT id FROM node ORDER BY id LIMIT ${PAGE}`)).rows.map((r) => r.id)
    const era = await one<{ era: number | null }>(`SELECT max(era) AS era FROM node_era WHERE node_id = ANY($1::text[])`, [first])
    const rows: Record<string, number> = {}
    for (const t of ['transfer', 'account', 'node', 'node_era', 'delegation', 'delegation_event', 'sla_attestation', 'block']) {
      // Identifiers from the constant list above.
      rows[t] = (await one<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`))!.n
    }
    const accountTransfers = transfers!.n
    return {
      head: status.height,
      pastBlock: Math.floor(status.height / 2),
      account: acc.id,
      accountTransfers,
      deepRows: Math.max(0, Math.min(DEEP_ROWS, accountTransfers - PAGE)),
      sender: sender?.id ?? acc.id,
      senderTransfers: sender?.n ?? 0,
      farRows: Math.max(0, Math.min(FAR_ROWS, rows.transfer - PAGE)),
      stakingWallet: staking?.a ?? acc.id,
      stakingEntries: staking?.n ?? 0,
      node: anyNode ? BigInt(anyNode.id).toString() : '0',
      nodeDelegations: anyNode?.n ?? 0,
      firstNodes: first,
      latestEra: era?.era ?? null,
      nodeCount: rows.node,
      rows,
    }
  } finally {
    await c.end()
  }
}

const SUPPLY_FIELDS = `block { number hash timestamp } totalSupply circulatingSupply nonCirculating locked unvested vestedUnreleased staked burned
  labelled { address label category balance }`
const TRANSFER_FIELDS = `id blockNumber timestamp txHash from to value`
const SQD_TRANSFER_FIELDS = `id blockNumber timestamp txHash fromId toId value`

/** Our transfers page for an account (either side), newest first. */
export const transfersPage = (account: string, first: number, after: string | null): GraphqlRequest => ({
  query: `query Transfers($account: String!, $first: Int!, $after: String) {
    transfers(first: $first, after: $after, filter: { account: $account }) { nodes { ${TRANSFER_FIELDS} } pageInfo { hasNextPage endCursor } }
  }`,
  variables: { account, first, after },
})

/** SQD's: a relay connection (its cursor is an offset) filtered on either side, newest first. */
export const sqdTransfersPage = (account: string, first: number, after: string | null): GraphqlRequest => ({
  query: `query Transfers($account: String!, $first: Int!, $after: String) {
    transfersConnection(first: $first, after: $after, orderBy: id_DESC, where: { OR: [{ fromId_eq: $account }, { toId_eq: $account }] }) {
      edges { node { ${SQD_TRANSFER_FIELDS} } } pageInfo { hasNextPage endCursor }
    }
  }`,
  variables: { account, first, after },
})

/** Every transfer, newest first (ours), from `after`. */
export const allTransfersPage = (first: number, after: string | null): GraphqlRequest => ({
  query: `query All($first: Int!, $after: String) { transfers(first: $first, after: $after) { nodes { ${TRANSFER_FIELDS} } pageInfo { hasNextPage endCursor } } }`,
  variables: { first, after },
})

export const sqdAllTransfersPage = (first: number, after: string | null): GraphqlRequest => ({
  query: `query All($first: Int!, $after: String) { transfersConnection(first: $first, after: $after, orderBy: id_DESC) { edges { node { ${SQD_TRANSFER_FIELDS} } } pageInfo { hasNextPage endCursor } } }`,
  variables: { first, after },
})

/** A sender's transfers (the from side only), newest first. */
const senderPage = (sender: string): GraphqlRequest => ({
  query: `query Sent($sender: String!) { transfers(first: ${PAGE}, filter: { from: $sender }) { nodes { ${TRANSFER_FIELDS} } pageInfo { hasNextPage endCursor } } }`,
  variables: { sender },
})

/** The cursors the deep pages start after, each server's own. */
export interface DeepCursors {
  /** DEEP_ROWS into the account's transfers. */
  ours: string | null
  sqd: string | null
  /** FAR_ROWS into all transfers. */
  oursFar: string | null
  sqdFar: string | null
}

/** The benchmark's queries, the deep pages starting after `deep`'s cursors. */
export function benchQueries(a: BenchArgs, deep: DeepCursors): BenchQuery[] {
  const protocol = new Set(['staking-history', 'node-performance', 'leaderboard', 'nested-nodes'])
  // A token-only index: only the supply, transfer and account queries apply.
  return allQueries(a, deep).filter((q) => a.nodeCount > 0 || !protocol.has(q.key))
}

function allQueries(a: BenchArgs, deep: DeepCursors): BenchQuery[] {
  const nodeFields = `id region hwClass status delegatedStake`
  const delegationFields = `id amount status createdBlock`
  const eraFields = `era reportCount quorum uptimeBps latencyMs meetsSla`
  return [
    {
      key: 'supply-head',
      title: 'supply at the head',
      ours: { query: `query SupplyHead { supply { ${SUPPLY_FIELDS} } }`, variables: {} },
      p99TargetMs: 10,
      list: false,
    },
    {
      key: 'supply-past',
      title: `supply at a past block (${a.pastBlock})`,
      ours: { query: `query SupplyPast($block: Int!) { supply(block: $block) { ${SUPPLY_FIELDS} } }`, variables: { block: a.pastBlock } },
      p99TargetMs: 10,
      list: false,
    },
    {
      key: 'transfers-first',
      title: `an account's transfers, first page (${PAGE} of ${a.accountTransfers})`,
      ours: transfersPage(a.account, PAGE, null),
      sqd: { ...sqdTransfersPage(a.account, PAGE, null), note: 'transfersConnection, where OR [fromId_eq, toId_eq], orderBy id_DESC' },
      p99TargetMs: 25,
      list: true,
    },
    {
      key: 'transfers-deep',
      title: `the same account's transfers, ${a.deepRows} rows deep`,
      ours: transfersPage(a.account, PAGE, deep.ours),
      sqd: { ...sqdTransfersPage(a.account, PAGE, deep.sqd), note: `transfersConnection with its own endCursor after ${a.deepRows} rows (an offset)` },
      p99TargetMs: 25,
      list: true,
    },
    {
      key: 'transfers-far',
      title: `all transfers, the page after row ${a.farRows} by its own cursor`,
      ours: allTransfersPage(PAGE, deep.oursFar),
      sqd: { ...sqdAllTransfersPage(PAGE, deep.sqdFar), note: `transfersConnection with its own endCursor after ${a.farRows} rows (an offset)` },
      p99TargetMs: 25,
      list: true,
    },
    {
      key: 'sender-transfers',
      title: `another sender's transfers (${PAGE} of ${a.senderTransfers})`,
      ours: senderPage(a.sender),
      sqd: {
        query: `query Sent($sender: String!) { transfersConnection(first: ${PAGE}, orderBy: id_DESC, where: { fromId_eq: $sender }) { edges { node { ${SQD_TRANSFER_FIELDS} } } pageInfo { hasNextPage endCursor } } }`,
        variables: { sender: a.sender },
        note: 'transfersConnection, where fromId_eq, orderBy id_DESC',
      },
      p99TargetMs: 25,
      list: true,
    },
    {
      key: 'top-holders',
      title: 'the top 50 holders',
      ours: { query: `query Top { accounts(first: 50, orderBy: BALANCE_DESC) { nodes { id balance } } }`, variables: {} },
      sqd: { query: `query Top { accounts(limit: 50, orderBy: [balance_DESC, id_ASC]) { id balance } }`, variables: {}, note: 'accounts, orderBy balance_DESC' },
      p99TargetMs: 25,
      list: true,
    },
    {
      key: 'one-account',
      title: 'one account',
      ours: { query: `query One($id: String!) { account(id: $id) { id balance transfersIn transfersOut } }`, variables: { id: a.account } },
      sqd: { query: `query One($id: String!) { accountById(id: $id) { id balance transfersIn transfersOut } }`, variables: { id: a.account }, note: 'accountById' },
      p99TargetMs: 10,
      list: false,
    },
    {
      key: 'staking-history',
      title: `a wallet's staking history (${PAGE} of ${a.stakingEntries})`,
      ours: {
        query: `query Staking($account: String!) {
          stakingHistory(account: $account, first: ${PAGE}) { nodes { id kind amount nodeId delegationId blockNumber timestamp txHash } pageInfo { hasNextPage endCursor } }
        }`,
        variables: { account: a.stakingWallet },
      },
      sqd: {
        query: `query Staking($account: String!) {
          delegationEventsConnection(first: ${PAGE}, orderBy: id_DESC, where: { delegator_eq: $account }) {
            edges { node { id kind amount nodeId delegationId blockNumber timestamp txHash } } pageInfo { hasNextPage endCursor }
          }
        }`,
        variables: { account: a.stakingWallet },
        note: 'delegationEventsConnection by delegator only: SQD has no merged feed (reward claims and provider slashes left out)',
      },
      p99TargetMs: 25,
      list: true,
    },
    {
      key: 'node-performance',
      title: `a node's 30-day performance (node ${a.node})`,
      ours: {
        query: `query Performance($node: ID!) {
          nodePerformance(nodeId: $node, window: { lastDays: 30 }) {
            window { eraFrom eraTo } slaCompliance erasWithQuorum erasMet erasWithoutQuorum averageUptimeBps latencyP50Ms latencyP95Ms challengePassRate
            failedEras { uptime latency challenges } violations { uptime latency challenges } slashed collateral delegatedStake delegatorCount
            totalCapacity bookedCapacity utilisation revenue series(interval: DAY) { start slaCompliance averageUptimeBps latencyP50Ms }
          }
        }`,
        variables: { node: a.node },
      },
      p99TargetMs: 50,
      list: false,
    },
    {
      key: 'leaderboard',
      title: `leaderboard over all ${a.nodeCount} nodes, 30 days (first ${PAGE})`,
      ours: {
        query: `query Leaderboard {
          nodeLeaderboard(window: { lastDays: 30 }, orderBy: COMPLIANCE_DESC, first: ${PAGE}) {
            nodes { node { ${nodeFields} } slaCompliance erasWithQuorum averageUptimeBps latencyP50Ms delegatedStake } pageInfo { hasNextPage endCursor }
          }
        }`,
        variables: {},
      },
      sqd: {
        query: `query Leaderboard {
          nodesConnection(first: ${PAGE}, orderBy: [delegatedStake_DESC, id_ASC]) { edges { node { ${nodeFields} } } pageInfo { hasNextPage endCursor } }
        }`,
        variables: {},
        note: 'nodesConnection ordered by delegatedStake: SQD cannot rank by an aggregate over node_era (no compliance, uptime or latency)',
      },
      p99TargetMs: 50,
      list: true,
    },
    {
      key: 'nested-nodes',
      title: `${Math.min(PAGE, a.nodeCount)} nodes with their delegations (first ${NESTED_DELEGATIONS}) and latest consensus`,
      ours: {
        query: `query Nested {
          nodes(first: ${PAGE}) {
            nodes {
              ${nodeFields}
              delegations(first: ${NESTED_DELEGATIONS}) { nodes { ${delegationFields} delegator { id } } }
              eras(first: 1) { nodes { ${eraFields} } }
            }
            pageInfo { hasNextPage endCursor }
          }
        }`,
        variables: {},
      },
      sqd: {
        query: `query Nested($ids: [String!], $era: Int) {
          nodes(limit: ${PAGE}, orderBy: id_ASC) { ${nodeFields} }
          delegations(where: { nodeId_in: $ids }, orderBy: [nodeId_ASC, createdBlock_DESC, id_DESC]) { ${delegationFields} nodeId delegator }
          nodeEras(where: { nodeId_in: $ids, era_eq: $era }) { nodeId ${eraFields} }
        }`,
        variables: { ids: a.firstNodes, era: a.latestEra },
        note: 'three root lists in one request (schema.graphql has id columns, not relations, so SQD cannot nest); every delegation of the nodes, the era of the latest consensus',
      },
      maxStatements: 5,
      list: true,
    },
  ]
}
