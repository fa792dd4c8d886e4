import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The access log (NEN 7513): who, organisation, role, when, which client and case, which
 * categories, which operation, why. Append-only, enforced here:
 * - UPDATE, DELETE and TRUNCATE raise an exception (triggers);
 * - each entry is chained to the previous one by SHA-256 (`hash = sha256(prev_hash || entry)`),
 *   computed in a BEFORE INSERT trigger under a lock on the single chain-head row, so the chain
 *   order (`seq`) is the commit order of inserts; `verify_access_log()` recomputes the chain
 *   and returns the first broken link (or NULL when intact).
 * Timestamps enter the hash in UTC text form, so verification does not depend on the session's
 * time zone.
 */
export class AccessLog1795390000002 implements MigrationInterface {
  name = "AccessLog1795390000002";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
CREATE TABLE access_log (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  professional_id uuid NOT NULL,
  email text NOT NULL,
  organisation_id uuid NOT NULL,
  role text NOT NULL,
  case_id uuid,
  family_id uuid,
  categories text[] NOT NULL,
  action text NOT NULL CHECK (action IN ('READ','WRITE','EXPORT','EMERGENCY')),
  operation text NOT NULL,
  purpose text NOT NULL,
  request_id text,
  prev_hash bytea NOT NULL,
  hash bytea NOT NULL
);
CREATE INDEX ix_access_log_family ON access_log(family_id, seq);
CREATE INDEX ix_access_log_case ON access_log(case_id, seq);
CREATE INDEX ix_access_log_professional ON access_log(professional_id, seq);

CREATE TABLE access_log_head (
  id int PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL,
  hash bytea NOT NULL
);
INSERT INTO access_log_head VALUES (1, 0, sha256(convert_to('ketenhub access log genesis', 'UTF8')));

CREATE FUNCTION access_log_entry_text(e access_log) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT concat_ws('|', e.seq, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), e.professional_id, e.email,
    e.organisation_id, e.role, e.case_id, e.family_id, array_to_string(e.categories, ','), e.action, e.operation,
    e.purpose, e.request_id)
$$;

CREATE FUNCTION access_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE h access_log_head;
BEGIN
  SELECT * INTO h FROM access_log_head WHERE id = 1 FOR UPDATE;
  NEW.seq := h.seq + 1;
  NEW.prev_hash := h.hash;
  NEW.hash := sha256(h.hash || convert_to(access_log_entry_text(NEW), 'UTF8'));
  UPDATE access_log_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
  RETURN NEW;
END $$;
CREATE TRIGGER tr_access_log_chain BEFORE INSERT ON access_log FOR EACH ROW EXECUTE FUNCTION access_log_chain();

CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'access_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER tr_access_log_no_update BEFORE UPDATE OR DELETE ON access_log FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
CREATE TRIGGER tr_access_log_no_truncate BEFORE TRUNCATE ON access_log FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();

-- Returns the seq of the first entry whose link is broken (content changed, entry removed or
-- inserted out of chain), 0 when the chain head does not match the last entry, NULL when intact.
CREATE FUNCTION verify_access_log() RETURNS bigint LANGUAGE plpgsql STABLE AS $$
DECLARE
  e access_log;
  expected_prev bytea;
  expected_seq bigint;
  h access_log_head;
BEGIN
  expected_prev := NULL;
  expected_seq := NULL;
  FOR e IN SELECT * FROM access_log ORDER BY seq LOOP
    IF expected_seq IS NOT NULL AND (e.seq <> expected_seq OR e.prev_hash <> expected_prev) THEN
      RETURN e.seq;
    END IF;
    IF e.hash <> sha256(e.prev_hash || convert_to(access_log_entry_text(e), 'UTF8')) THEN
      RETURN e.seq;
    END IF;
    expected_prev := e.hash;
    expected_seq := e.seq + 1;
  END LOOP;
  SELECT * INTO h FROM access_log_head WHERE id = 1;
  IF expected_seq IS NOT NULL AND (h.seq <> expected_seq - 1 OR h.hash <> expected_prev) THEN
    RETURN 0;
  END IF;
  RETURN NULL;
END $$;
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
DROP TABLE access_log; DROP TABLE access_log_head;
DROP FUNCTION verify_access_log(); DROP FUNCTION access_log_append_only(); DROP FUNCTION access_log_chain();
DROP FUNCTION access_log_entry_text(access_log);`);
  }
}
