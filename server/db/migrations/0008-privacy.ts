import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Privacy over the data's whole life (issue 9):
 * - emergency_access: "break the glass" grants — who, which case, why, which categories, until
 *   when. A grant is a row, never edited except to close it early; expiry is `expires_at > now()`,
 *   checked by the row rule on every request (server/access/case-access.ts).
 * - retention_run: what each retention run erased, per category: counts only, no personal data.
 * - access-log retention without breaking tamper-evidence: the only way to delete access-log
 *   entries is `prune_access_log(cutoff)`, which removes a PREFIX of the chain (entries older
 *   than the term, up to the first one still within it), refuses when the chain is already
 *   broken, and appends an anchor (the seq and hash of the last removed entry) to the
 *   append-only `access_log_anchor`. `verify_access_log()` then checks that the first remaining
 *   entry links to the newest anchor, so removing entries any other way is still detected.
 *   The delete trigger admits a row only while the function runs (transaction-local setting)
 *   and only at or below the anchor being written.
 */
export class Privacy1795390000008 implements MigrationInterface {
  name = "Privacy1795390000008";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
CREATE TABLE emergency_access (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_file(id),
  professional_id uuid NOT NULL REFERENCES professional(id),
  organisation_id uuid NOT NULL REFERENCES organisation(id),
  role text NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 20 AND 2000),
  categories text[] NOT NULL,
  opened_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  closed_at timestamptz,
  CONSTRAINT ck_emergency_expiry CHECK (expires_at > opened_at)
);
CREATE INDEX ix_emergency_professional ON emergency_access(professional_id, case_id, expires_at);
CREATE INDEX ix_emergency_case ON emergency_access(case_id, opened_at);
CREATE INDEX ix_emergency_opened ON emergency_access(opened_at);

CREATE TABLE retention_run (
  id bigserial PRIMARY KEY,
  run_id uuid NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  trigger text NOT NULL CHECK (trigger IN ('SCHEDULE','MANUAL','CLI')),
  dry_run boolean NOT NULL,
  category text NOT NULL,
  term_years int NOT NULL,
  cutoff timestamptz NOT NULL,
  cases int NOT NULL DEFAULT 0,
  rows_erased int NOT NULL DEFAULT 0
);
CREATE INDEX ix_retention_run ON retention_run(run_id);

CREATE TABLE access_log_anchor (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  cutoff timestamptz NOT NULL,
  -- the last removed entry: the first remaining one must carry seq + 1 and prev_hash = hash
  seq bigint NOT NULL,
  hash bytea NOT NULL,
  removed bigint NOT NULL
);
CREATE TRIGGER tr_access_log_anchor_no_update BEFORE UPDATE OR DELETE ON access_log_anchor FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
CREATE TRIGGER tr_access_log_anchor_no_truncate BEFORE TRUNCATE ON access_log_anchor FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();

CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'access_log' AND TG_OP = 'DELETE'
     AND OLD.seq <= coalesce(nullif(current_setting('ketenhub.access_log_prune_upto', true), '')::bigint, 0) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE FUNCTION prune_access_log(cutoff timestamptz) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  upto bigint;
  last access_log;
  n bigint;
BEGIN
  IF verify_access_log() IS NOT NULL THEN
    RAISE EXCEPTION 'access log chain is broken; not pruning' USING ERRCODE = 'data_exception';
  END IF;
  -- the prefix strictly older than the cutoff: everything before the first entry within the term
  SELECT coalesce((SELECT min(seq) - 1 FROM access_log WHERE at >= cutoff), (SELECT max(seq) FROM access_log)) INTO upto;
  IF upto IS NULL OR NOT EXISTS (SELECT 1 FROM access_log WHERE seq <= upto) THEN
    RETURN 0;
  END IF;
  SELECT * INTO last FROM access_log WHERE seq = upto;
  INSERT INTO access_log_anchor (cutoff, seq, hash, removed)
    VALUES (cutoff, last.seq, last.hash, (SELECT count(*) FROM access_log WHERE seq <= upto));
  PERFORM set_config('ketenhub.access_log_prune_upto', upto::text, true);
  DELETE FROM access_log WHERE seq <= upto;
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM set_config('ketenhub.access_log_prune_upto', '', true);
  RETURN n;
END $$;

-- As in 0002, but the chain may start at the newest anchor instead of the genesis.
CREATE OR REPLACE FUNCTION verify_access_log() RETURNS bigint LANGUAGE plpgsql STABLE AS $$
DECLARE
  e access_log;
  a access_log_anchor;
  expected_prev bytea;
  expected_seq bigint;
  h access_log_head;
BEGIN
  SELECT * INTO a FROM access_log_anchor ORDER BY id DESC LIMIT 1;
  IF FOUND THEN
    expected_prev := a.hash;
    expected_seq := a.seq + 1;
  ELSE
    expected_prev := sha256(convert_to('ketenhub access log genesis', 'UTF8'));
    expected_seq := 1;
  END IF;
  FOR e IN SELECT * FROM access_log ORDER BY seq LOOP
    IF e.seq <> expected_seq OR e.prev_hash <> expected_prev THEN
      RETURN e.seq;
    END IF;
    IF e.hash <> sha256(e.prev_hash || convert_to(access_log_entry_text(e), 'UTF8')) THEN
      RETURN e.seq;
    END IF;
    expected_prev := e.hash;
    expected_seq := e.seq + 1;
  END LOOP;
  SELECT * INTO h FROM access_log_head WHERE id = 1;
  IF h.seq <> expected_seq - 1 OR h.hash <> expected_prev THEN
    RETURN 0;
  END IF;
  RETURN NULL;
END $$;
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
DROP FUNCTION prune_access_log(timestamptz);
DROP TABLE access_log_anchor, retention_run, emergency_access;
CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'access_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;`);
  }
}
