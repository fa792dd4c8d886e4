import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Indicators: the worklist job's memory of which items it announced (WORKLIST_DUE), so each
 * item is announced once per due date even with several instances (uq_worklist_notice).
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
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE worklist_notice`);
  }
}
