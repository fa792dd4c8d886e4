/**
 * Data categories (DOMAIN.md §4). Every field of every GraphQL output type belongs to exactly
 * one; the policy (access/policy.ts) decides per viewer, case and category.
 */
export const CATEGORIES = {
  /** Non-client data: organisations, professionals' work contact details, the viewer itself. */
  DIRECTORY: "directory",
  /** That a case exists, its status and dates, involved organisations, who holds regie. */
  CASE: "case",
  IDENTITY: "identity",
  BSN: "bsn",
  HANDOVER: "handover",
  SAFETY: "safety",
  RISK: "risk",
  PLAN: "plan",
  LIFE_DOMAINS: "lifeDomains",
  MEETING: "meeting",
  MEETING_MINUTES: "meetingMinutes",
  SIGNALS: "signals",
  CONSENT: "consent",
  KEY_DECISIONS: "keyDecisions",
  /** Veilig Thuis monitoring contacts after handover. */
  MONITORING: "monitoring",
  /** Case evaluations (goals met, client's experience). Risk levels in them stay RISK. */
  EVALUATION: "evaluation",
  INDICATORS: "indicators",
  ACCESS_LOG: "accessLog",
  /** Emergency access grants ("break the glass"): who opened which case, why, until when. */
  EMERGENCY_ACCESS: "emergencyAccess",
  /** Running the retention job (erasing what has outlived its legal term). */
  RETENTION: "retention",
  /** Pagination plumbing (edges, cursors, pageInfo): carries no data of its own. */
  STRUCTURE: "structure",
} as const;

export type Category = (typeof CATEGORIES)[keyof typeof CATEGORIES];
export const ALL_CATEGORIES = Object.values(CATEGORIES) as Category[];
