/**
 * The API's indexes, hand-made in ApiIndexes, are now declared in
 * schema.graphql (@index(fields: ...)): renamed here to the names codegen
 * gives them, so a generated migration proposes nothing. The single-column
 * indexes on delegation_event.delegator and reward_claim.account go: codegen
 * drops them in favour of the (column, id) indexes, which serve the same
 * lookups. indexer_status gains its inconsistencies counter (0 on an
 * existing row).
 */
module.exports = class DeclaredIndexes1796241608276 {
    name = 'DeclaredIndexes1796241608276'

    async up(db) {
        await db.query(`ALTER INDEX "IDX_api_delegation_node_created" RENAME TO "IDX_d9c60166e8f9282dfcac442634"`)
        await db.query(`ALTER INDEX "IDX_api_delegation_event_delegator_id" RENAME TO "IDX_e49cb4740e612a0c961da67ff7"`)
        await db.query(`ALTER INDEX "IDX_api_reward_claim_account_id" RENAME TO "IDX_68f67afbd6dce523d547194cfe"`)
        await db.query(`ALTER INDEX "IDX_api_node_era_node_id_id" RENAME TO "IDX_dadbc07309bb8eb263af6c4308"`)
        await db.query(`DROP INDEX "IDX_6801dddf0b274e9fbc55ac1720"`)
        await db.query(`DROP INDEX "IDX_ba2eeb0fed294650ea05fa937d"`)
        await db.query(`ALTER TABLE "indexer_status" ADD "inconsistencies" integer NOT NULL DEFAULT 0`)
        await db.query(`ALTER TABLE "indexer_status" ALTER COLUMN "inconsistencies" DROP DEFAULT`)
    }

    async down(db) {
        await db.query(`ALTER TABLE "indexer_status" DROP COLUMN "inconsistencies"`)
        await db.query(`CREATE INDEX "IDX_ba2eeb0fed294650ea05fa937d" ON "reward_claim" ("account") `)
        await db.query(`CREATE INDEX "IDX_6801dddf0b274e9fbc55ac1720" ON "delegation_event" ("delegator") `)
        await db.query(`ALTER INDEX "IDX_dadbc07309bb8eb263af6c4308" RENAME TO "IDX_api_node_era_node_id_id"`)
        await db.query(`ALTER INDEX "IDX_68f67afbd6dce523d547194cfe" RENAME TO "IDX_api_reward_claim_account_id"`)
        await db.query(`ALTER INDEX "IDX_e49cb4740e612a0c961da67ff7" RENAME TO "IDX_api_delegation_event_delegator_id"`)
        await db.query(`ALTER INDEX "IDX_d9c60166e8f9282dfcac442634" RENAME TO "IDX_api_delegation_node_created"`)
    }
}
