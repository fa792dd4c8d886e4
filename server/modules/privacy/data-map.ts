import { CATEGORIES, type Category } from "../../access/categories.js";

/**
 * Where each data category of a case is stored: the tables with a `case_id` that hold it, in an
 * order that erases dependants first (foreign keys). Used by the right-of-access export (every
 * table, as stored) and by retention (erase per category). A new case table must be added here;
 * test/privacy.test.ts fails on any table with a case_id column that is neither mapped nor in
 * NOT_CLIENT_DATA.
 * Meeting minutes are a column of `meeting` (meetingMinutes is erased by clearing it).
 */
export const CASE_TABLES: readonly { category: Category; table: string }[] = [
  { category: CATEGORIES.EVALUATION, table: "evaluation_goal" },
  { category: CATEGORIES.EVALUATION, table: "evaluation" },
  { category: CATEGORIES.MEETING, table: "meeting_changed_agreement" },
  { category: CATEGORIES.MEETING, table: "meeting_decision" },
  { category: CATEGORIES.MEETING, table: "meeting_invitee" },
  { category: CATEGORIES.MEETING, table: "meeting" },
  { category: CATEGORIES.SAFETY, table: "safety_agreement_seen" },
  { category: CATEGORIES.SAFETY, table: "safety_agreement_share" },
  { category: CATEGORIES.SAFETY, table: "safety_agreement" },
  { category: CATEGORIES.SAFETY, table: "safety_plan" },
  { category: CATEGORIES.PLAN, table: "goal" },
  { category: CATEGORIES.PLAN, table: "partial_plan" },
  { category: CATEGORIES.PLAN, table: "network_member" },
  { category: CATEGORIES.PLAN, table: "plan" },
  { category: CATEGORIES.LIFE_DOMAINS, table: "life_domain_score" },
  { category: CATEGORIES.RISK, table: "risk_assessment" },
  { category: CATEGORIES.SIGNALS, table: "signal" },
  { category: CATEGORIES.KEY_DECISIONS, table: "key_decision" },
  { category: CATEGORIES.MONITORING, table: "monitoring_contact" },
  { category: CATEGORIES.HANDOVER, table: "handover" },
  { category: CATEGORIES.CONSENT, table: "consent" },
  { category: CATEGORIES.CONSENT, table: "sharing_decision" },
  { category: CATEGORIES.CASE, table: "regie_assignment" },
  { category: CATEGORIES.CASE, table: "involvement" },
];

/**
 * Tables with a case_id that are not client data of the case itself: the outbox (ids and kinds
 * only; erased with the case), the access log (its own term) and emergency grants (the access
 * log's companion: kept and erased with the case).
 */
export const NOT_CLIENT_DATA: readonly string[] = ["change_event", "access_log", "emergency_access", "worklist_notice"];

/** Of those, the ones erased with their case (the worklist's notices name a due item, no client data). */
export const CASE_COMPANIONS: readonly string[] = ["emergency_access", "worklist_notice", "change_event"];

/** Categories stored per case (in CASE_TABLES or as a column), in the export's order. */
export const CASE_CATEGORIES: readonly Category[] = [
  CATEGORIES.CASE,
  CATEGORIES.HANDOVER,
  CATEGORIES.SAFETY,
  CATEGORIES.RISK,
  CATEGORIES.PLAN,
  CATEGORIES.LIFE_DOMAINS,
  CATEGORIES.MEETING,
  CATEGORIES.MEETING_MINUTES,
  CATEGORIES.SIGNALS,
  CATEGORIES.CONSENT,
  CATEGORIES.KEY_DECISIONS,
  CATEGORIES.MONITORING,
  CATEGORIES.EVALUATION,
];
