/**
 * index_start keeps the block a preset without startBlock indexes from: the
 * token's deployment block, found once by bisection on eth_getCode.
 */
module.exports = class IndexStart1796321292610 {
    name = 'IndexStart1796321292610'

    async up(db) {
        await db.query(`CREATE TABLE "index_start" ("id" character varying NOT NULL, "block" integer NOT NULL, "found_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_fa1ce5af17f9f47fefc0ac5e5f4" PRIMARY KEY ("id"))`)
    }

    async down(db) {
        await db.query(`DROP TABLE "index_start"`)
    }
}
