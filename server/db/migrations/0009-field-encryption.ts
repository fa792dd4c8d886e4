import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Encryption at rest (issue 9, item 4; server/crypto/field-crypto.ts). The encrypted columns
 * stay `text` and hold envelopes `enc:v1:<keyId>:<base64url>`:
 * - family_member.bsn: the 9-digit CHECK becomes "an envelope, or 9 digits" (rows written
 *   before this migration are plaintext until start-up encrypts them);
 * - `bsn_hash` (HMAC-SHA256 hex under BSN_HASH_KEY) takes over the unique index uq_member_bsn
 *   from bsn (a ciphertext is different every time, so uniqueness must be on the hash);
 * - the length CHECKs of handover.outcome, risk_assessment.conclusion and signal.description
 *   measured the plaintext: they become non-empty checks (the length limits stay in the GraphQL
 *   inputs; a ciphertext is ~4/3 of the UTF-8 plaintext plus 50 characters).
 * The migration cannot read the keys: encrypting existing plaintext and filling bsn_hash is the
 * idempotent start-up step `encryptPlaintext` (server/crypto/reencrypt.ts), run after migrations.
 */
export class FieldEncryption1795390000009 implements MigrationInterface {
  name = "FieldEncryption1795390000009";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
ALTER TABLE family_member ADD COLUMN bsn_hash text CHECK (bsn_hash ~ '^[0-9a-f]{64}$');
ALTER TABLE family_member DROP CONSTRAINT family_member_bsn_check;
ALTER TABLE family_member ADD CONSTRAINT ck_member_bsn CHECK (bsn LIKE 'enc:%' OR bsn ~ '^[0-9]{9}$');
DROP INDEX uq_member_bsn;
CREATE UNIQUE INDEX uq_member_bsn ON family_member(bsn_hash) WHERE bsn_hash IS NOT NULL;

ALTER TABLE handover DROP CONSTRAINT handover_outcome_check;
ALTER TABLE handover ADD CONSTRAINT ck_handover_outcome CHECK (length(outcome) >= 1);
ALTER TABLE risk_assessment DROP CONSTRAINT risk_assessment_conclusion_check;
ALTER TABLE risk_assessment ADD CONSTRAINT ck_risk_conclusion CHECK (length(conclusion) >= 1);
ALTER TABLE signal DROP CONSTRAINT signal_description_check;
ALTER TABLE signal ADD CONSTRAINT ck_signal_description CHECK (length(description) >= 1);
`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Only meaningful on plaintext data (decrypt first): the old checks reject envelopes.
    await q.query(`
ALTER TABLE signal DROP CONSTRAINT ck_signal_description;
ALTER TABLE signal ADD CONSTRAINT signal_description_check CHECK (length(description) BETWEEN 1 AND 5000);
ALTER TABLE risk_assessment DROP CONSTRAINT ck_risk_conclusion;
ALTER TABLE risk_assessment ADD CONSTRAINT risk_assessment_conclusion_check CHECK (length(conclusion) BETWEEN 1 AND 20000);
ALTER TABLE handover DROP CONSTRAINT ck_handover_outcome;
ALTER TABLE handover ADD CONSTRAINT handover_outcome_check CHECK (length(outcome) BETWEEN 1 AND 20000);
DROP INDEX uq_member_bsn;
CREATE UNIQUE INDEX uq_member_bsn ON family_member(bsn) WHERE bsn IS NOT NULL;
ALTER TABLE family_member DROP CONSTRAINT ck_member_bsn;
ALTER TABLE family_member ADD CONSTRAINT family_member_bsn_check CHECK (bsn ~ '^[0-9]{9}$');
ALTER TABLE family_member DROP COLUMN bsn_hash;
`);
  }
}
