import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The access-log chain (migration 0002) takes one step on its head row per INSERT statement
 * instead of per entry. Before, every entry locked the head row, chained itself to it and
 * UPDATEd it: a request that logs 50 cases wrote 50 versions of that one row, and every writer
 * queued on it for that long. Now:
 * - the first entry of a statement locks the head (`FOR UPDATE`, held to commit, as before) and
 *   reads its seq and hash; each entry of the statement chains to the entry before it exactly as
 *   before (`seq + 1`, `prev_hash`, `hash = sha256(prev_hash || entry)`), the running seq and hash
 *   carried in a transaction-local setting;
 * - an AFTER STATEMENT trigger writes the last seq and hash to the head once and clears the setting.
 * The entries and their hashes are the same as before, so `verify_access_log()` is unchanged and
 * verifies old and new entries alike; the chain order is still the commit order.
 */
export class AccessLogChainPerStatement1795390000010 implements MigrationInterface {
  name = "AccessLogChainPerStatement1795390000010";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
CREATE OR REPLACE FUNCTION access_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  running text := current_setting('ketenhub.access_log_running', true);
  prev_seq bigint;
  prev_hash bytea;
BEGIN
  IF running IS NULL OR running = '' THEN
    SELECT h.seq, h.hash INTO prev_seq, prev_hash FROM access_log_head h WHERE h.id = 1 FOR UPDATE;
  ELSE
    prev_seq := split_part(running, ':', 1)::bigint;
    prev_hash := decode(split_part(running, ':', 2), 'hex');
  END IF;
  NEW.seq := prev_seq + 1;
  NEW.prev_hash := prev_hash;
  NEW.hash := sha256(prev_hash || convert_to(access_log_entry_text(NEW), 'UTF8'));
  PERFORM set_config('ketenhub.access_log_running', NEW.seq || ':' || encode(NEW.hash, 'hex'), true);
  RETURN NEW;
END $$;

CREATE FUNCTION access_log_chain_head() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE running text := current_setting('ketenhub.access_log_running', true);
BEGIN
  IF running IS NOT NULL AND running <> '' THEN
    UPDATE access_log_head SET seq = split_part(running, ':', 1)::bigint, hash = decode(split_part(running, ':', 2), 'hex') WHERE id = 1;
    PERFORM set_config('ketenhub.access_log_running', '', true);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER tr_access_log_chain_head AFTER INSERT ON access_log FOR EACH STATEMENT EXECUTE FUNCTION access_log_chain_head();
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
DROP TRIGGER tr_access_log_chain_head ON access_log;
DROP FUNCTION access_log_chain_head();
CREATE OR REPLACE FUNCTION access_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE h access_log_head;
BEGIN
  SELECT * INTO h FROM access_log_head WHERE id = 1 FOR UPDATE;
  NEW.seq := h.seq + 1;
  NEW.prev_hash := h.hash;
  NEW.hash := sha256(h.hash || convert_to(access_log_entry_text(NEW), 'UTF8'));
  UPDATE access_log_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
  RETURN NEW;
END $$;`);
  }
}
