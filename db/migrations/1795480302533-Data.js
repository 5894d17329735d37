module.exports = class Data1795480302533 {
    name = 'Data1795480302533'

    async up(db) {
        await db.query(`CREATE TABLE "node_era" ("id" character varying NOT NULL, "node_id" text NOT NULL, "era" integer NOT NULL, "reports" jsonb NOT NULL, "report_count" integer NOT NULL, "quorum" boolean NOT NULL, "uptime_bps" numeric NOT NULL, "latency_ms" numeric NOT NULL, "challenge_pass_rate" numeric NOT NULL, "meets_sla" boolean NOT NULL, "failed_metrics" text array NOT NULL, "last_report_block" integer NOT NULL, CONSTRAINT "PK_92f8247b8e3bf0e44dcba7b74f5" PRIMARY KEY ("id"))`)
        await db.query(`CREATE INDEX "IDX_adb1e0e8d6ad6890d71de7e9fd" ON "node_era" ("era") `)
        await db.query(`CREATE UNIQUE INDEX "IDX_36c38eef46fef44240bfb2adf0" ON "node_era" ("node_id", "era") `)
    }

    async down(db) {
        await db.query(`DROP TABLE "node_era"`)
        await db.query(`DROP INDEX "IDX_adb1e0e8d6ad6890d71de7e9fd"`)
        await db.query(`DROP INDEX "IDX_36c38eef46fef44240bfb2adf0"`)
    }
}
