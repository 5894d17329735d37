/**
 * node_era keeps its reports compactly: the HyperNode ids as text[] and five
 * integers per report (uptimeBps, latencyMs, challengesPassed,
 * challengesFailed, blockNumber) as integer[], instead of a jsonb array of
 * objects, which Postgres parsed on every upsert of the rollup (bench:ingest:
 * the most expensive table to write). Existing rows are converted.
 */
module.exports = class CompactRollup1796252482567 {
    name = 'CompactRollup1796252482567'

    async up(db) {
        await db.query(`ALTER TABLE "node_era" ADD "report_hyper_nodes" text array NOT NULL DEFAULT '{}'`)
        await db.query(`ALTER TABLE "node_era" ADD "report_values" integer array NOT NULL DEFAULT '{}'`)
        await db.query(`
            UPDATE "node_era" SET
              "report_hyper_nodes" = ARRAY(SELECT r->>'hyperNodeId' FROM jsonb_array_elements("reports") r ORDER BY r->>'hyperNodeId'),
              "report_values" = ARRAY(
                SELECT v FROM jsonb_array_elements("reports") r,
                  LATERAL unnest(ARRAY[(r->>'uptimeBps')::int, (r->>'latencyMs')::int, (r->>'challengesPassed')::int, (r->>'challengesFailed')::int, (r->>'blockNumber')::int]) WITH ORDINALITY AS u(v, k)
                ORDER BY r->>'hyperNodeId', k)`)
        await db.query(`ALTER TABLE "node_era" ALTER COLUMN "report_hyper_nodes" DROP DEFAULT`)
        await db.query(`ALTER TABLE "node_era" ALTER COLUMN "report_values" DROP DEFAULT`)
        await db.query(`ALTER TABLE "node_era" DROP COLUMN "reports"`)
    }

    async down(db) {
        await db.query(`ALTER TABLE "node_era" ADD "reports" jsonb NOT NULL DEFAULT '[]'`)
        await db.query(`
            UPDATE "node_era" SET "reports" = COALESCE((
              SELECT jsonb_agg(jsonb_build_object('hyperNodeId', h, 'uptimeBps', "report_values"[5*i-4], 'latencyMs', "report_values"[5*i-3],
                'challengesPassed', "report_values"[5*i-2], 'challengesFailed', "report_values"[5*i-1], 'blockNumber', "report_values"[5*i]) ORDER BY i)
              FROM unnest("report_hyper_nodes") WITH ORDINALITY AS x(h, i)), '[]')`)
        await db.query(`ALTER TABLE "node_era" ALTER COLUMN "reports" DROP DEFAULT`)
        await db.query(`ALTER TABLE "node_era" DROP COLUMN "report_hyper_nodes"`)
        await db.query(`ALTER TABLE "node_era" DROP COLUMN "report_values"`)
    }
}
