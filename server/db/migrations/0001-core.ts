import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The whole case flow of DOMAIN.md §3. Invariants live here, not in hope:
 * - one open case per family            (uq_case_one_open_per_family)
 * - one active regisseur per case & kind (uq_regie_one_active)
 * - one plan / safety plan / handover per case (unique case_id)
 * - one active involvement per case & organisation
 * - enumerations as CHECK constraints, references as foreign keys.
 * Every row records who wrote it (created_by / updated_by → professional).
 */
export class Core1795390000000 implements MigrationInterface {
  name = "Core1795390000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
CREATE TABLE organisation (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind text NOT NULL CHECK (kind IN ('MUNICIPALITY','VEILIG_THUIS','SOCIAL_TEAM','REGIETEAM','SCHOOL','GP','JGZ','CARE_PROVIDER','POLICE','HOUSING','DEBT_COUNSELLING','YOUTH_PROTECTION','OTHER')),
  phone text,
  email text,
  -- Veilig Thuis only: months between handover and the monitoring check (regional agreement)
  monitoring_interval_months int CHECK (monitoring_interval_months BETWEEN 1 AND 24),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT uq_organisation_name UNIQUE (name)
);

CREATE TABLE professional (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation(id),
  email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  phone text,
  role text NOT NULL CHECK (role IN ('REGISSEUR','PROFESSIONAL','SCHOOL','HUISARTS','JGZ','VEILIG_THUIS','BEHAVIOURAL_SCIENTIST','MANAGER','AUDITOR','PRIVACY_OFFICER')),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT uq_professional_email UNIQUE (email)
);
CREATE INDEX ix_professional_org ON professional(organisation_id);

CREATE TABLE family (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  has_children boolean NOT NULL DEFAULT true,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES professional(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES professional(id)
);

CREATE TABLE family_member (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  family_id uuid NOT NULL REFERENCES family(id),
  kind text NOT NULL CHECK (kind IN ('ADULT','CHILD')),
  given_name text NOT NULL CHECK (length(given_name) BETWEEN 1 AND 100),
  family_name text NOT NULL CHECK (length(family_name) BETWEEN 1 AND 100),
  birth_date date,
  bsn text CHECK (bsn ~ '^[0-9]{9}$'),
  -- the child's school (own pupils rule) and the household's GP practice
  school_id uuid REFERENCES organisation(id),
  gp_id uuid REFERENCES organisation(id),
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES professional(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES professional(id),
  CONSTRAINT ck_child_has_birth_date CHECK (kind <> 'CHILD' OR birth_date IS NOT NULL)
);
CREATE INDEX ix_member_family ON family_member(family_id);
CREATE INDEX ix_member_school ON family_member(school_id) WHERE school_id IS NOT NULL;
CREATE UNIQUE INDEX uq_member_bsn ON family_member(bsn) WHERE bsn IS NOT NULL;

CREATE TABLE case_file (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  family_id uuid NOT NULL REFERENCES family(id),
  status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','CLOSED')),
  opened_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  close_reason text CHECK (close_reason IN ('GOALS_MET','SCALED_DOWN','TRANSFERRED','OTHER')),
  close_note text,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES professional(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES professional(id),
  CONSTRAINT ck_case_closed CHECK ((status = 'CLOSED') = (closed_at IS NOT NULL))
);
CREATE UNIQUE INDEX uq_case_one_open_per_family ON case_file(family_id) WHERE status = 'OPEN';
CREATE INDEX ix_case_family ON case_file(family_id);
CREATE INDEX ix_case_created ON case_file(created_at, id);

CREATE TABLE involvement (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_file(id),
  organisation_id uuid NOT NULL REFERENCES organisation(id),
  -- what the organisation does in this case, e.g. 'jeugdhulp', 'school', 'huisarts'
  role text NOT NULL CHECK (length(role) BETWEEN 1 AND 200),
  started_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  end_reason text,
  created_by uuid REFERENCES professional(id),
  ended_by uuid REFERENCES professional(id)
);
CREATE UNIQUE INDEX uq_involvement_active ON involvement(case_id, organisation_id) WHERE ended_at IS NULL;
CREATE INDEX ix_involvement_org ON involvement(organisation_id, case_id) WHERE ended_at IS NULL;

CREATE TABLE handover (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_file(id),
  from_organisation_id uuid NOT NULL REFERENCES organisation(id),
  outcome text NOT NULL CHECK (length(outcome) BETWEEN 1 AND 20000),
  help_already_involved text,
  safety_conditions text[] NOT NULL DEFAULT '{}',
  written_handover_received boolean NOT NULL DEFAULT false,
  written_handover_received_on date,
  warm_handover_on date,
  closing_letter_recipients text[] NOT NULL DEFAULT '{}'
    CHECK (closing_letter_recipients <@ ARRAY['CLIENT','ORGANISATIONS','SCHOOL','GP']::text[]),
  handed_over_at timestamptz NOT NULL DEFAULT now(),
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES professional(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES professional(id),
  CONSTRAINT uq_handover_case UNIQUE (case_id)
);
CREATE INDEX ix_handover_from ON handover(from_organisation_id);

CREATE TABLE regie_assignment (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_file(id),
  kind text NOT NULL CHECK (kind IN ('CASE','PROCESS')),
  professional_id uuid NOT NULL REFERENCES professional(id),
  organisation_id uuid NOT NULL REFERENCES organisation(id),
  reason text,
  started_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  created_by uuid REFERENCES professional(id),
  ended_by uuid REFERENCES professional(id)
);
CREATE UNIQUE INDEX uq_regie_one_active ON regie_assignment(case_id, kind) WHERE ended_at IS NULL;
CREATE INDEX ix_regie_case ON regie_assignment(case_id, started_at);
CREATE INDEX ix_regie_professional ON regie_assignment(professional_id) WHERE ended_at IS NULL;

CREATE TABLE plan (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_file(id),
  problem_analysis text,
  help_question text,
  family_words text,
  children_words text,
  children_heard boolean NOT NULL DEFAULT false,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES professional(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES professional(id),
  CONSTRAINT uq_plan_case UNIQUE (case_id)
);

CREATE TABLE life_domain_score (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_file(id),
  domain text NOT NULL CHECK (domain IN ('FINANCES','WORK_EDUCATION','TIME_USE','HOUSING','DOMESTIC_RELATIONS','MENTAL_HEALTH','PHYSICAL_HEALTH','SUBSTANCE_USE','BASIC_ADL','INSTRUMENTAL_ADL','SOCIAL_NETWORK','SOCIAL_PARTICIPATION','JUSTICE')),
  score int NOT NULL CHECK (score BETWEEN 1 AND 5),
  assessed_on date NOT NULL,
  note text,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES professional(id)
);
CREATE INDEX ix_lds_case ON life_domain_score(case_id, assessed_on);

CREATE TABLE partial_plan (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_file(id),
  organisation_id uuid NOT NULL REFERENCES organisation(id),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  summary text,
  status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('DRAFT','ACTIVE','COMPLETED','STOPPED')),
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES professional(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES professional(id),
  CONSTRAINT uq_partial_plan_org UNIQUE (case_id, organisation_id)
);

CREATE TABLE goal (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_file(id),
  partial_plan_id uuid REFERENCES partial_plan(id),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  description text,
  domain text CHECK (domain IN ('FINANCES','WORK_EDUCATION','TIME_USE','HOUSING','DOMESTIC_RELATIONS','MENTAL_HEALTH','PHYSICAL_HEALTH','SUBSTANCE_USE','BASIC_ADL','INSTRUMENTAL_ADL','SOCIAL_NETWORK','SOCIAL_PARTICIPATION','JUSTICE')),
  -- a goal about one child ("children's goals")
  member_id uuid REFERENCES family_member(id),
  is_safety_goal boolean NOT NULL DEFAULT false,
  priority int NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),
  target_measure text,
  due_on date,
  responsible_organisation_id uuid REFERENCES organisation(id),
  status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','ACHIEVED','PARTIALLY_ACHIEVED','NOT_ACHIEVED','CANCELLED')),
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES professional(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES professional(id)
);
CREATE INDEX ix_goal_case ON goal(case_id, priority);

CREATE TABLE network_member (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_file(id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  relation text NOT NULL CHECK (length(relation) BETWEEN 1 AND 200),
  phone text,
  contribution text,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES professional(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES professional(id)
);
CREATE INDEX ix_network_case ON network_member(case_id);

CREATE TABLE safety_plan (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_file(id),
  signals_to_watch text,
  whom_to_call text,
  made_with_client boolean NOT NULL DEFAULT false,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES professional(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES professional(id),
  CONSTRAINT uq_safety_plan_case UNIQUE (case_id)
);

CREATE TABLE safety_agreement (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_file(id),
  safety_plan_id uuid NOT NULL REFERENCES safety_plan(id),
  priority int NOT NULL CHECK (priority BETWEEN 1 AND 99),
  what text NOT NULL CHECK (length(what) BETWEEN 1 AND 2000),
  criterion text NOT NULL CHECK (length(criterion) BETWEEN 1 AND 2000),
  responsible_kind text NOT NULL CHECK (responsible_kind IN ('ORGANISATION','PROFESSIONAL','NETWORK_MEMBER','CLIENT')),
  responsible_organisation_id uuid REFERENCES organisation(id),
  responsible_professional_id uuid REFERENCES professional(id),
  responsible_network_member_id uuid REFERENCES network_member(id),
  responsible_description text,
  due_on date,
  report_to_organisation_id uuid REFERENCES organisation(id),
  status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('PROPOSED','ACTIVE','MET','NOT_MET','CANCELLED')),
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES professional(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES professional(id),
  CONSTRAINT ck_agreement_responsible CHECK (
    (responsible_kind = 'ORGANISATION' AND responsible_organisation_id IS NOT NULL) OR
    (responsible_kind = 'PROFESSIONAL' AND responsible_professional_id IS NOT NULL) OR
    (responsible_kind = 'NETWORK_MEMBER' AND responsible_network_member_id IS NOT NULL) OR
    (responsible_kind = 'CLIENT'))
);
CREATE INDEX ix_agreement_case ON safety_agreement(case_id, priority);
CREATE INDEX ix_agreement_resp_org ON safety_agreement(responsible_organisation_id) WHERE responsible_organisation_id IS NOT NULL;

CREATE TABLE safety_agreement_share (
  agreement_id uuid NOT NULL REFERENCES safety_agreement(id),
  organisation_id uuid NOT NULL REFERENCES organisation(id),
  case_id uuid NOT NULL REFERENCES case_file(id),
  shared_at timestamptz NOT NULL DEFAULT now(),
  shared_by uuid REFERENCES professional(id),
  PRIMARY KEY (agreement_id, organisation_id)
);
CREATE INDEX ix_share_org ON safety_agreement_share(organisation_id, case_id);

CREATE TABLE risk_assessment (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_file(id),
  instrument text NOT NULL CHECK (instrument IN ('LIRIK','ARIJ','CARE_NL','BALANSMODEL','OTHER')),
  instrument_other text,
  assessed_on date NOT NULL,
  level text NOT NULL CHECK (level IN ('LOW','ELEVATED','HIGH','ACUTE')),
  conclusion text NOT NULL CHECK (length(conclusion) BETWEEN 1 AND 20000),
  assessor_id uuid NOT NULL REFERENCES professional(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES professional(id),
  CONSTRAINT ck_instrument_other CHECK (instrument <> 'OTHER' OR instrument_other IS NOT NULL)
);
CREATE INDEX ix_risk_case ON risk_assessment(case_id, assessed_on);

CREATE TABLE meeting (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_file(id),
  kind text NOT NULL DEFAULT 'MDO' CHECK (kind IN ('MDO','FAMILY_MEETING','OTHER')),
  scheduled_at timestamptz NOT NULL,
  location text,
  agenda text,
  status text NOT NULL DEFAULT 'PLANNED' CHECK (status IN ('PLANNED','HELD','CANCELLED')),
  minutes text,
  family_invited boolean NOT NULL DEFAULT false,
  network_invited boolean NOT NULL DEFAULT false,
  held_at timestamptz,
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES professional(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES professional(id)
);
CREATE INDEX ix_meeting_case ON meeting(case_id, scheduled_at);

CREATE TABLE meeting_invitee (
  meeting_id uuid NOT NULL REFERENCES meeting(id),
  organisation_id uuid NOT NULL REFERENCES organisation(id),
  case_id uuid NOT NULL REFERENCES case_file(id),
  PRIMARY KEY (meeting_id, organisation_id)
);
CREATE INDEX ix_invitee_org ON meeting_invitee(organisation_id);

CREATE TABLE meeting_decision (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  meeting_id uuid NOT NULL REFERENCES meeting(id),
  case_id uuid NOT NULL REFERENCES case_file(id),
  text text NOT NULL CHECK (length(text) BETWEEN 1 AND 5000),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES professional(id)
);
CREATE INDEX ix_decision_meeting ON meeting_decision(meeting_id);

-- agreements changed in (as a result of) a meeting
CREATE TABLE meeting_changed_agreement (
  meeting_id uuid NOT NULL REFERENCES meeting(id),
  agreement_id uuid NOT NULL REFERENCES safety_agreement(id),
  case_id uuid NOT NULL REFERENCES case_file(id),
  changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (meeting_id, agreement_id)
);

CREATE TABLE signal (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_file(id),
  reporting_organisation_id uuid NOT NULL REFERENCES organisation(id),
  reported_by uuid NOT NULL REFERENCES professional(id),
  member_id uuid REFERENCES family_member(id),
  observed_on date NOT NULL,
  urgency text NOT NULL DEFAULT 'NORMAL' CHECK (urgency IN ('LOW','NORMAL','HIGH','ACUTE')),
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 5000),
  acknowledged_at timestamptz,
  acknowledged_by uuid REFERENCES professional(id),
  acknowledgement_note text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_signal_case ON signal(case_id, created_at);
CREATE INDEX ix_signal_org ON signal(reporting_organisation_id);

CREATE TABLE consent (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_file(id),
  -- the organisation the data may be shared with
  organisation_id uuid NOT NULL REFERENCES organisation(id),
  categories text[] NOT NULL CHECK (cardinality(categories) > 0),
  purpose text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 1000),
  -- whose data: a family member, or the whole household when null
  subject_member_id uuid REFERENCES family_member(id),
  -- who gave it, and the rule for minors that applied (<12 parents, 12-15 parents and child, 16+ the young person)
  given_by_member_ids uuid[] NOT NULL DEFAULT '{}',
  consent_rule text NOT NULL CHECK (consent_rule IN ('ADULT','PARENTS','PARENTS_AND_CHILD','YOUNG_PERSON')),
  given_on date NOT NULL,
  valid_until date,
  withdrawn_at timestamptz,
  withdrawn_by uuid REFERENCES professional(id),
  withdrawal_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES professional(id)
);
CREATE INDEX ix_consent_case_org ON consent(case_id, organisation_id) WHERE withdrawn_at IS NULL;

CREATE TABLE sharing_decision (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_file(id),
  organisation_id uuid NOT NULL REFERENCES organisation(id),
  categories text[] NOT NULL CHECK (cardinality(categories) > 0),
  legal_basis text NOT NULL CHECK (length(legal_basis) BETWEEN 1 AND 1000),
  weighing text NOT NULL CHECK (length(weighing) BETWEEN 1 AND 20000),
  decided_by uuid NOT NULL REFERENCES professional(id),
  decided_on date NOT NULL,
  valid_until date,
  withdrawn_at timestamptz,
  withdrawn_by uuid REFERENCES professional(id),
  withdrawal_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES professional(id)
);
CREATE INDEX ix_sharing_case_org ON sharing_decision(case_id, organisation_id) WHERE withdrawn_at IS NULL;

CREATE TABLE key_decision (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_file(id),
  decision text NOT NULL CHECK (length(decision) BETWEEN 1 AND 5000),
  decided_on date NOT NULL,
  decided_by uuid NOT NULL REFERENCES professional(id),
  consulted text NOT NULL CHECK (length(consulted) BETWEEN 1 AND 2000),
  behavioural_scientist_id uuid REFERENCES professional(id),
  information_basis text NOT NULL CHECK (length(information_basis) BETWEEN 1 AND 5000),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES professional(id)
);
CREATE INDEX ix_key_decision_case ON key_decision(case_id, decided_on);

CREATE TABLE monitoring_contact (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_file(id),
  due_on date NOT NULL,
  contacted_on date,
  safety_restored boolean,
  outcome text,
  next_check_on date,
  contacted_by uuid REFERENCES professional(id),
  version int NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES professional(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES professional(id),
  CONSTRAINT ck_monitoring_done CHECK ((contacted_on IS NULL) = (outcome IS NULL))
);
CREATE INDEX ix_monitoring_case ON monitoring_contact(case_id, due_on);

CREATE TABLE evaluation (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id uuid NOT NULL REFERENCES case_file(id),
  evaluated_on date NOT NULL,
  with_family boolean NOT NULL,
  participant_organisation_ids uuid[] NOT NULL DEFAULT '{}',
  goals_summary text,
  risk_at_start_id uuid REFERENCES risk_assessment(id),
  risk_now_id uuid REFERENCES risk_assessment(id),
  client_experience text,
  outcome text NOT NULL CHECK (outcome IN ('CLOSE','SCALE_DOWN','ADJUST','CONTINUE')),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES professional(id)
);
CREATE INDEX ix_evaluation_case ON evaluation(case_id, evaluated_on);

CREATE TABLE evaluation_goal (
  evaluation_id uuid NOT NULL REFERENCES evaluation(id),
  goal_id uuid NOT NULL REFERENCES goal(id),
  case_id uuid NOT NULL REFERENCES case_file(id),
  result text NOT NULL CHECK (result IN ('ACHIEVED','PARTIALLY_ACHIEVED','NOT_ACHIEVED')),
  PRIMARY KEY (evaluation_id, goal_id)
);

-- The outbox: every change writes its event in the same transaction. Ids and kinds only —
-- never personal data; subscribers resolve payloads under their own access.
-- id is the feed position, taken from feed_head, whose row the writing transaction holds
-- locked until it commits: feed positions become visible in commit order, so a reader that
-- resumes from "id > last seen" never skips an event (a plain sequence commits out of order).
CREATE TABLE feed_head (
  id int PRIMARY KEY CHECK (id = 1),
  last_id bigint NOT NULL
);
INSERT INTO feed_head VALUES (1, 0);

CREATE TABLE change_event (
  id bigint PRIMARY KEY,
  case_id uuid REFERENCES case_file(id),
  kind text NOT NULL,
  entity text NOT NULL,
  entity_id uuid NOT NULL,
  -- organisations this change concerns directly (shared with, invited, assigned, reported by)
  organisation_ids uuid[] NOT NULL DEFAULT '{}',
  actor_id uuid REFERENCES professional(id),
  occurred_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ix_change_event_case ON change_event(case_id, id);
`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
DROP TABLE feed_head, change_event, evaluation_goal, evaluation, monitoring_contact, key_decision, sharing_decision,
  consent, signal, meeting_changed_agreement, meeting_decision, meeting_invitee, meeting, risk_assessment,
  safety_agreement_share, safety_agreement, safety_plan, network_member, goal, partial_plan,
  life_domain_score, plan, regie_assignment, handover, involvement, case_file, family_member, family,
  professional, organisation;`);
  }
}
