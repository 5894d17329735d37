/**
 * Hand-written: indexes for the API's keyset pages (found by `npm run
 * bench:api` and EXPLAIN ANALYZE; see BENCHMARKS.md). Each one lets a list
 * filtered on one column and sorted on its key read just its page from an
 * index instead of sorting every row of the parent:
 *
 * - node_era (node_id, id): a node's eras, newest first (Node.eras, the
 *   latest consensus of a page of nodes); without it Postgres walked the
 *   whole primary key backwards per node.
 * - delegation (node_id, created_block, id): a node's delegations, newest
 *   first (Node.delegations).
 * - delegation_event (delegator, id) and reward_claim (account, id): the
 *   branches of a wallet's staking history, merged in id order.
 *
 * They are not declared in schema.graphql, so `squid-typeorm-migration
 * generate` will propose dropping them: delete those DROP INDEX lines from a
 * generated migration.
 */
module.exports = class ApiIndexes1795489237337 {
    name = 'ApiIndexes1795489237337'

    async up(db) {
        await db.query(`CREATE INDEX "IDX_api_node_era_node_id_id" ON "node_era" ("node_id", "id")`)
        await db.query(`CREATE INDEX "IDX_api_delegation_node_created" ON "delegation" ("node_id", "created_block", "id")`)
        await db.query(`CREATE INDEX "IDX_api_delegation_event_delegator_id" ON "delegation_event" ("delegator", "id")`)
        await db.query(`CREATE INDEX "IDX_api_reward_claim_account_id" ON "reward_claim" ("account", "id")`)
    }

    async down(db) {
        await db.query(`DROP INDEX "IDX_api_reward_claim_account_id"`)
        await db.query(`DROP INDEX "IDX_api_delegation_event_delegator_id"`)
        await db.query(`DROP INDEX "IDX_api_delegation_node_created"`)
        await db.query(`DROP INDEX "IDX_api_node_era_node_id_id"`)
    }
}
