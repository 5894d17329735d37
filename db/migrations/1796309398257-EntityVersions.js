/**
 * entity_version keeps a node's, delegation's, booking's, vesting schedule's
 * and HyperNode's row after every block that changed it (what the API's
 * block: arguments answer from). An existing index has none for its blocks so
 * far: indexer_status.versions_from names the block after its head, and the
 * API refuses entities at earlier blocks (NOT_INDEXED: re-index).
 */
module.exports = class EntityVersions1796309398257 {
    name = 'EntityVersions1796309398257'

    async up(db) {
        await db.query(`CREATE TABLE "entity_version" ("id" character varying NOT NULL, "entity" text NOT NULL, "entity_id" text NOT NULL, "block" integer NOT NULL, "parent" text, "owner" text, "state" jsonb NOT NULL, CONSTRAINT "PK_9a5edfa14178784445ee2d9f8ab" PRIMARY KEY ("id"))`)
        await db.query(`CREATE INDEX "IDX_852a1481765ff94d68e90214b7" ON "entity_version" ("entity", "owner", "entity_id", "block") `)
        await db.query(`CREATE INDEX "IDX_cc4473a0b9a5680aa80bc99b2f" ON "entity_version" ("entity", "parent", "entity_id", "block") `)
        await db.query(`CREATE UNIQUE INDEX "IDX_93caa10827cc74cd41488a75d5" ON "entity_version" ("entity", "entity_id", "block") `)
        await db.query(`ALTER TABLE "indexer_status" ADD "versions_from" integer`)
        await db.query(`UPDATE "indexer_status" SET "versions_from" = "height" + 1`)
    }

    async down(db) {
        await db.query(`ALTER TABLE "indexer_status" DROP COLUMN "versions_from"`)
        await db.query(`DROP INDEX "IDX_93caa10827cc74cd41488a75d5"`)
        await db.query(`DROP INDEX "IDX_cc4473a0b9a5680aa80bc99b2f"`)
        await db.query(`DROP INDEX "IDX_852a1481765ff94d68e90214b7"`)
        await db.query(`DROP TABLE "entity_version"`)
    }
}
