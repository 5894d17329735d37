/**
 * Hand-written: the live-update NOTIFY (1795481496656-Notify) names the
 * schema of the status row that changed, so a listener on a multi-chain
 * database (every chain's indexer_status notifies on `icn_indexed`) can tell
 * the chains apart: "public" on a single-chain database, "chain_<name>" for
 * a chain of a network. The function is replaced in the schema it lives in.
 */
module.exports = class NotifyChain1796400000000 {
    name = 'NotifyChain1796400000000'

    async up(db) {
        await db.query(`CREATE OR REPLACE FUNCTION "icn_notify_indexed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('icn_indexed', json_build_object('height', NULL, 'schema', TG_TABLE_SCHEMA)::text);
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM pg_notify('icn_indexed', json_build_object('height', NEW.height, 'hash', NEW.hash, 'schema', TG_TABLE_SCHEMA)::text);
    ELSIF OLD.height IS DISTINCT FROM NEW.height OR OLD.hash IS DISTINCT FROM NEW.hash THEN
        PERFORM pg_notify('icn_indexed', json_build_object('height', NEW.height, 'hash', NEW.hash, 'schema', TG_TABLE_SCHEMA)::text);
    END IF;
    RETURN NULL;
END
$$`)
    }

    async down(db) {
        await db.query(`CREATE OR REPLACE FUNCTION "icn_notify_indexed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('icn_indexed', '{"height":null}');
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM pg_notify('icn_indexed', json_build_object('height', NEW.height, 'hash', NEW.hash)::text);
    ELSIF OLD.height IS DISTINCT FROM NEW.height OR OLD.hash IS DISTINCT FROM NEW.hash THEN
        PERFORM pg_notify('icn_indexed', json_build_object('height', NEW.height, 'hash', NEW.hash)::text);
    END IF;
    RETURN NULL;
END
$$`)
    }
}
