import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * "Gezien": which organisation has seen which version of a safety agreement (the inspection's
 * "known to all parties"). One row per agreement, organisation and version — marking the same
 * version twice keeps the first row (idempotent); a changed agreement has a new version that
 * nobody has seen yet. Rows are history: never updated.
 */
export class AgreementSeen1795390000003 implements MigrationInterface {
  name = "AgreementSeen1795390000003";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
CREATE TABLE safety_agreement_seen (
  agreement_id uuid NOT NULL REFERENCES safety_agreement(id),
  organisation_id uuid NOT NULL REFERENCES organisation(id),
  case_id uuid NOT NULL REFERENCES case_file(id),
  version int NOT NULL CHECK (version >= 1),
  seen_at timestamptz NOT NULL DEFAULT now(),
  seen_by uuid NOT NULL REFERENCES professional(id),
  PRIMARY KEY (agreement_id, organisation_id, version)
);
CREATE INDEX ix_agreement_seen_case ON safety_agreement_seen(case_id);
CREATE INDEX ix_agreement_seen_org ON safety_agreement_seen(organisation_id, case_id);
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DROP TABLE safety_agreement_seen");
  }
}
