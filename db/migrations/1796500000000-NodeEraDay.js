/**
 * Hand-written: node_era_day, the node-era rollups summed per node and day of
 * eras (day = era div 24, counted from the preset's era origin), so a window
 * of 30 days aggregates 30 rows per node instead of 720 (the leaderboard, a
 * page of nodes' performance, the network's compliance). It is derived, never
 * written by the indexer: statement triggers on node_era add what a
 * statement's new rows bring to their days and take away what its old rows
 * did (the transition tables; node_era is not read again), in the same
 * transaction. So every way node_era changes keeps it exact: the writer's
 * upserts, the SDK's hot-block writes, and a reorg's rollback through its
 * change log. (Recomputing each touched day from node_era instead cost about
 * 0.2 ms per day: 2.5 s more Postgres time on bench:ingest's store floor.) The functions keep the search_path of the migration (a chain's
 * schema on a multi-chain database, public otherwise).
 *
 * Per row: eras, eras with quorum, eras meeting the SLA, the sums of the
 * quorum eras' consensus uptime and challenge pass rate (numeric, so sums are
 * exact; trim_scale keeps their text the same however they were reached), the counts of eras failing each metric, and the quorum eras'
 * consensus latencies sorted (percentiles stay exact: nearest rank over the
 * window's values).
 */
module.exports = class NodeEraDay1796500000000 {
    name = 'NodeEraDay1796500000000'

    async up(db) {
        await db.query(`CREATE TABLE "node_era_day" (
            "node_id" text NOT NULL,
            "day" integer NOT NULL,
            "eras" integer NOT NULL,
            "quorum_eras" integer NOT NULL,
            "met_eras" integer NOT NULL,
            "uptime_sum" numeric NOT NULL,
            "challenge_sum" numeric NOT NULL,
            "failed_uptime" integer NOT NULL,
            "failed_latency" integer NOT NULL,
            "failed_challenges" integer NOT NULL,
            "latencies" numeric array NOT NULL,
            PRIMARY KEY ("node_id", "day"))`)
        await db.query(`CREATE INDEX "node_era_day_day" ON "node_era_day" ("day")`)
        // What a set of era rows adds to their days, less what another set takes away: counts and exact
        // sums added, latencies merged in and taken out as a multiset (EXCEPT ALL). Never reads node_era.
        await db.query(`CREATE FUNCTION "icn_node_era_day_add"(added node_era[], removed node_era[]) RETURNS void LANGUAGE sql SET search_path FROM CURRENT AS $$
            WITH x AS (SELECT 1 AS s, a.* FROM unnest(added) a UNION ALL SELECT -1 AS s, r.* FROM unnest(removed) r),
            d AS (
                SELECT node_id, era / 24 AS day, sum(s)::int AS eras,
                    coalesce(sum(s) FILTER (WHERE quorum), 0)::int AS quorum_eras,
                    coalesce(sum(s) FILTER (WHERE meets_sla), 0)::int AS met_eras,
                    coalesce(sum(s * uptime_bps) FILTER (WHERE quorum), 0) AS uptime_sum,
                    coalesce(sum(s * challenge_pass_rate) FILTER (WHERE quorum), 0) AS challenge_sum,
                    coalesce(sum(s) FILTER (WHERE 'UPTIME' = ANY(failed_metrics)), 0)::int AS failed_uptime,
                    coalesce(sum(s) FILTER (WHERE 'LATENCY' = ANY(failed_metrics)), 0)::int AS failed_latency,
                    coalesce(sum(s) FILTER (WHERE 'CHALLENGES' = ANY(failed_metrics)), 0)::int AS failed_challenges,
                    coalesce(array_agg(latency_ms) FILTER (WHERE quorum AND s = 1), '{}') AS plus,
                    coalesce(array_agg(latency_ms) FILTER (WHERE quorum AND s = -1), '{}') AS minus
                  FROM x GROUP BY 1, 2),
            kept AS (
                UPDATE node_era_day t SET eras = t.eras + d.eras, quorum_eras = t.quorum_eras + d.quorum_eras, met_eras = t.met_eras + d.met_eras,
                    uptime_sum = trim_scale(t.uptime_sum + d.uptime_sum), challenge_sum = trim_scale(t.challenge_sum + d.challenge_sum),
                    failed_uptime = t.failed_uptime + d.failed_uptime, failed_latency = t.failed_latency + d.failed_latency,
                    failed_challenges = t.failed_challenges + d.failed_challenges,
                    latencies = ARRAY(SELECT v FROM (SELECT unnest(t.latencies) AS v EXCEPT ALL SELECT unnest(d.minus) UNION ALL SELECT unnest(d.plus)) m ORDER BY v)
                  FROM d WHERE t.node_id = d.node_id AND t.day = d.day
                RETURNING t.node_id, t.day)
            INSERT INTO node_era_day
            SELECT node_id, day, eras, quorum_eras, met_eras, trim_scale(uptime_sum), trim_scale(challenge_sum), failed_uptime, failed_latency, failed_challenges,
                ARRAY(SELECT v FROM unnest(plus) AS v ORDER BY v)
              FROM d WHERE NOT EXISTS (SELECT 1 FROM kept WHERE kept.node_id = d.node_id AND kept.day = d.day);
            -- A day whose last era went (a reorg's rollback).
            DELETE FROM node_era_day t USING (SELECT DISTINCT node_id, era / 24 AS day FROM unnest(removed)) g
             WHERE t.eras = 0 AND t.node_id = g.node_id AND t.day = g.day;
        $$`)
        await db.query(`CREATE FUNCTION "icn_node_era_day_trigger"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM icn_node_era_day_add(ARRAY(SELECT n::node_era FROM new_rows n), '{}');
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM icn_node_era_day_add('{}', ARRAY(SELECT o::node_era FROM old_rows o));
    ELSE
        PERFORM icn_node_era_day_add(ARRAY(SELECT n::node_era FROM new_rows n), ARRAY(SELECT o::node_era FROM old_rows o));
    END IF;
    RETURN NULL;
END
$$`)
        await db.query(`CREATE TRIGGER "node_era_day_insert" AFTER INSERT ON "node_era" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION icn_node_era_day_trigger()`)
        await db.query(`CREATE TRIGGER "node_era_day_update" AFTER UPDATE ON "node_era" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION icn_node_era_day_trigger()`)
        await db.query(`CREATE TRIGGER "node_era_day_delete" AFTER DELETE ON "node_era" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION icn_node_era_day_trigger()`)
        // Rows already indexed.
        await db.query(`SELECT icn_node_era_day_add(ARRAY(SELECT e FROM node_era e), '{}')`)
    }

    async down(db) {
        await db.query(`DROP TRIGGER "node_era_day_insert" ON "node_era"`)
        await db.query(`DROP TRIGGER "node_era_day_update" ON "node_era"`)
        await db.query(`DROP TRIGGER "node_era_day_delete" ON "node_era"`)
        await db.query(`DROP FUNCTION "icn_node_era_day_trigger"()`)
        await db.query(`DROP FUNCTION "icn_node_era_day_add"(node_era[], node_era[])`)
        await db.query(`DROP TABLE "node_era_day"`)
    }
}
