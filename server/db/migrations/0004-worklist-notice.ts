import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Indicators: the worklist job's memory of which items it announced (WORKLIST_DUE), so each
 * item is announced once per due date even with several instances (uq_worklist_notice); and
 * indexes by case for the set-based facts statement (modules/indicators/facts.ts).
 */
export class WorklistNotice1795390000004 implements MigrationInterface {
  name = "WorklistNotice1795390000004";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
CREATE TABLE worklist_notice (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_file(id),
  item_key text NOT NULL CHECK (length(item_key) BETWEEN 1 AND 300),
  kind text NOT NULL,
  indicator text NOT NULL,
  due_on date NOT NULL,
  text text NOT NULL CHECK (length(text) BETWEEN 1 AND 1000),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT uq_worklist_notice UNIQUE (case_id, item_key, due_on)
);
CREATE INDEX ix_worklist_notice_case ON worklist_notice(case_id, created_at);

-- The indicators read every case's history (ended involvements, withdrawn consents included):
-- the existing indexes on these tables are partial or lead with the organisation.
CREATE INDEX ix_involvement_case ON involvement(case_id);
CREATE INDEX ix_share_case ON safety_agreement_share(case_id);
CREATE INDEX ix_consent_case ON consent(case_id);
CREATE INDEX ix_sharing_decision_case ON sharing_decision(case_id);
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_involvement_case, ix_share_case, ix_consent_case, ix_sharing_decision_case; DROP TABLE worklist_notice`);
  }
}
