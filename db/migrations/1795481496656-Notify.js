/**
 * Hand-written: live updates. Every change of the indexer's status row (the
 * processor writes it once per batch, and once per block at the head; a
 * rollback of unfinalized blocks restores it) sends a NOTIFY on channel
 * `icn_indexed` with the new head as a small JSON payload. A NOTIFY issued in
 * a transaction is delivered only when that transaction commits, and the
 * processor commits a batch, its status row and its cursor in one
 * transaction: a listener is never told of data it cannot read yet.
 */
module.exports = class Notify1795481496656 {
    name = 'Notify1795481496656'

    async up(db) {
        await db.query(`CREATE FUNCTION "icn_notify_indexed"() RETURNS trigger LANGUAGE plpgsql AS $$
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
        await db.query(`CREATE TRIGGER "icn_indexed_notify" AFTER INSERT OR UPDATE OR DELETE ON "indexer_status" FOR EACH ROW EXECUTE FUNCTION "icn_notify_indexed"()`)
    }

    async down(db) {
        await db.query(`DROP TRIGGER "icn_indexed_notify" ON "indexer_status"`)
        await db.query(`DROP FUNCTION "icn_notify_indexed"()`)
    }
}
