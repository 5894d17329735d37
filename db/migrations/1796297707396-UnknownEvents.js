/**
 * indexer_status counts unknown events (a topic that is none of the spec's
 * events, at a watched address) per address and topic, apart from the
 * undecodable ones, and keeps the warnings that make its figures suspect
 * (src/runtime/preflight.ts). An existing index starts with none counted: its earlier
 * unknown events were counted as undecodable, and stay in that count.
 */
module.exports = class UnknownEvents1796297707396 {
    name = 'UnknownEvents1796297707396'

    async up(db) {
        await db.query(`ALTER TABLE "indexer_status" ADD "unknown_events" jsonb NOT NULL DEFAULT '[]'`)
        await db.query(`ALTER TABLE "indexer_status" ALTER COLUMN "unknown_events" DROP DEFAULT`)
        await db.query(`ALTER TABLE "indexer_status" ADD "warnings" jsonb NOT NULL DEFAULT '[]'`)
        await db.query(`ALTER TABLE "indexer_status" ALTER COLUMN "warnings" DROP DEFAULT`)
    }

    async down(db) {
        await db.query(`ALTER TABLE "indexer_status" DROP COLUMN "warnings"`)
        await db.query(`ALTER TABLE "indexer_status" DROP COLUMN "unknown_events"`)
    }
}
