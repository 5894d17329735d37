module.exports = class Data1795478910581 {
    name = 'Data1795478910581'

    async up(db) {
        await db.query(`CREATE TABLE "indexer_status" ("id" character varying NOT NULL, "height" integer NOT NULL, "hash" text NOT NULL, "timestamp" TIMESTAMP WITH TIME ZONE NOT NULL, "finalized_height" integer NOT NULL, "chain_head" integer NOT NULL, "undecoded_logs" integer NOT NULL, CONSTRAINT "PK_2a3644fefd70a0c04e4a744d4af" PRIMARY KEY ("id"))`)
        await db.query(`CREATE TABLE "account" ("id" character varying NOT NULL, "balance" numeric NOT NULL, "transfers_in" integer NOT NULL, "transfers_out" integer NOT NULL, "first_seen_block" integer NOT NULL, "last_active_block" integer NOT NULL, CONSTRAINT "PK_54115ee388cdb6d86bb4bf5b2ea" PRIMARY KEY ("id"))`)
        await db.query(`CREATE INDEX "IDX_d83afa683094d63ab33f8d9a24" ON "account" ("balance") `)
        await db.query(`CREATE TABLE "transfer" ("id" character varying NOT NULL, "block_number" integer NOT NULL, "block_hash" text NOT NULL, "timestamp" TIMESTAMP WITH TIME ZONE NOT NULL, "tx_hash" text NOT NULL, "log_index" integer NOT NULL, "from_id" text NOT NULL, "to_id" text NOT NULL, "value" numeric NOT NULL, "from_balance_after" numeric NOT NULL, "to_balance_after" numeric NOT NULL, CONSTRAINT "PK_fd9ddbdd49a17afcbe014401295" PRIMARY KEY ("id"))`)
        await db.query(`CREATE INDEX "IDX_d6624eacc30144ea97915fe846" ON "transfer" ("block_number") `)
        await db.query(`CREATE INDEX "IDX_70ff8b624c3118ac3a4862d22c" ON "transfer" ("timestamp") `)
        await db.query(`CREATE INDEX "IDX_549e8037f5eba95036b398aeef" ON "transfer" ("to_id", "id") `)
        await db.query(`CREATE INDEX "IDX_a8dfa040ae4e8401b5118cae6e" ON "transfer" ("from_id", "id") `)
    }

    async down(db) {
        await db.query(`DROP TABLE "indexer_status"`)
        await db.query(`DROP TABLE "account"`)
        await db.query(`DROP INDEX "public"."IDX_d83afa683094d63ab33f8d9a24"`)
        await db.query(`DROP TABLE "transfer"`)
        await db.query(`DROP INDEX "public"."IDX_d6624eacc30144ea97915fe846"`)
        await db.query(`DROP INDEX "public"."IDX_70ff8b624c3118ac3a4862d22c"`)
        await db.query(`DROP INDEX "public"."IDX_549e8037f5eba95036b398aeef"`)
        await db.query(`DROP INDEX "public"."IDX_a8dfa040ae4e8401b5118cae6e"`)
    }
}
