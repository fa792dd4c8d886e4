import type { Role } from "../auth/viewer.js";
import type { Ctx } from "../context.js";
import { CATEGORIES, type Category } from "./categories.js";

/**
 * THE access policy (DOMAIN.md §4), as data. Nothing else decides who may read or write what.
 *
 * read:
 *   "allow"   — may read (within `scope`)
 *   "consent" — may read only while a consent or sharing decision covers the category for the
 *               viewer's organisation in this case (the regisseur's own organisation needs none)
 *   "none"    — never
 * scope narrows which items of the category (see ItemScope).
 * write:
 *   "allow" — may create and change items of the category in cases they can see
 *   "own"   — only items their organisation is responsible for or reported itself
 *   "none"
 * actions, when present, narrows what the write right covers: a category whose writes are of
 * distinct kinds (signals: partners report them, the regisseur acknowledges them) lists the
 * kinds a role may perform; a write that names no action, or another one, is refused.
 */
export type ReadRule = "allow" | "consent" | "none";
export type WriteRule = "allow" | "own" | "none";
export type ItemScope =
  | "all"
  /** SCHOOL: children whose school is the viewer's organisation (own pupils) */
  | "ownPupils"
  /** JGZ: children only */
  | "children"
  /** SCHOOL: safety agreements shared with the viewer's organisation */
  | "sharedWithOrganisation"
  /** items the viewer's organisation reported or is responsible for */
  | "ownItems"
  /** SCHOOL: goals in the WORK_EDUCATION domain about one of its own pupils */
  | "educationGoals"
  /** HUISARTS: goals in health domains */
  | "healthGoals"
  /** JGZ: goals about a child */
  | "childrenGoals"
  /** HUISARTS: health life domains only */
  | "healthDomains"
  /** MANAGER: indicators of the cases the own organisation is involved in, its figures, and the anonymised network figures */
  | "ownOrganisation"
  /** AUDITOR: the anonymised network figures only (counts, small cells suppressed) — no case at all */
  | "network";

/** Kinds of write within one category (see Rule.actions). */
export type WriteAction = "report" | "acknowledge";

export interface Rule {
  read: ReadRule;
  scope?: ItemScope;
  write: WriteRule;
  actions?: readonly WriteAction[];
}

const NONE: Rule = { read: "none", write: "none" };
const R: Rule = { read: "allow", write: "none" };
const RW: Rule = { read: "allow", write: "allow" };
const C: Rule = { read: "consent", write: "none" };
const R_OWN_W: Rule = { read: "allow", write: "own" };
const rs = (scope: ItemScope): Rule => ({ read: "allow", scope, write: "none" });
const cs = (scope: ItemScope): Rule => ({ read: "consent", scope, write: "none" });
/** partners that report: report signals, read their own */
const SIGNAL_REPORTER: Rule = { read: "allow", scope: "ownItems", write: "allow", actions: ["report"] };
/** the regisseur: reads all signals; its write is acknowledging them (reporting is for partners) */
const SIGNAL_ACKNOWLEDGER: Rule = { read: "allow", write: "allow", actions: ["acknowledge"] };
/** roles that may break the glass: open emergency access, and read their own organisation's grants */
const EMERGENCY_OPENER: Rule = { read: "allow", scope: "ownItems", write: "allow" };

type Matrix = Record<Role, Partial<Record<Category, Rule>>>;

/** Categories every authenticated viewer may read (non-client data and pagination plumbing). */
const EVERYONE: Partial<Record<Category, Rule>> = {
  [CATEGORIES.DIRECTORY]: R,
  [CATEGORIES.STRUCTURE]: R,
};

export const MATRIX: Matrix = {
  REGISSEUR: {
    ...EVERYONE,
    case: RW,
    identity: RW,
    bsn: R,
    handover: R,
    safety: RW,
    risk: RW,
    plan: RW,
    lifeDomains: RW,
    meeting: RW,
    meetingMinutes: RW,
    signals: SIGNAL_ACKNOWLEDGER,
    consent: RW,
    keyDecisions: RW,
    monitoring: R,
    evaluation: RW,
    indicators: R,
    // told live when someone breaks the glass in a case the organisation holds regie of
    emergencyAccess: R,
  },
  PROFESSIONAL: {
    ...EVERYONE,
    case: R,
    identity: R,
    handover: C,
    safety: R_OWN_W,
    risk: C,
    plan: R_OWN_W,
    lifeDomains: C,
    meeting: R,
    meetingMinutes: R,
    signals: R,
    consent: R,
    keyDecisions: C,
    evaluation: R,
    emergencyAccess: EMERGENCY_OPENER,
  },
  SCHOOL: {
    ...EVERYONE,
    case: R,
    identity: rs("ownPupils"),
    safety: rs("sharedWithOrganisation"),
    plan: cs("educationGoals"),
    meeting: R,
    meetingMinutes: C,
    signals: SIGNAL_REPORTER,
    consent: rs("ownItems"),
    emergencyAccess: EMERGENCY_OPENER,
  },
  HUISARTS: {
    ...EVERYONE,
    case: R,
    identity: R,
    safety: R,
    risk: C,
    plan: cs("healthGoals"),
    lifeDomains: cs("healthDomains"),
    meeting: R,
    meetingMinutes: C,
    signals: SIGNAL_REPORTER,
    consent: rs("ownItems"),
    emergencyAccess: EMERGENCY_OPENER,
  },
  JGZ: {
    ...EVERYONE,
    case: R,
    identity: rs("children"),
    safety: R,
    risk: C,
    plan: cs("childrenGoals"),
    lifeDomains: C,
    meeting: R,
    meetingMinutes: C,
    signals: SIGNAL_REPORTER,
    consent: rs("ownItems"),
    emergencyAccess: EMERGENCY_OPENER,
  },
  VEILIG_THUIS: {
    ...EVERYONE,
    case: R,
    identity: R,
    bsn: R,
    handover: RW,
    safety: R,
    risk: R,
    meeting: R,
    meetingMinutes: C,
    signals: R,
    consent: R,
    keyDecisions: R,
    monitoring: RW,
    evaluation: R,
    // opens emergency access elsewhere; sees every grant in the cases it handed over (told live while no regie is assigned)
    emergencyAccess: RW,
  },
  BEHAVIOURAL_SCIENTIST: {
    ...EVERYONE,
    case: R,
    identity: R,
    handover: R,
    safety: R,
    risk: RW,
    plan: R,
    lifeDomains: R,
    meeting: R,
    meetingMinutes: R,
    signals: R,
    consent: R,
    keyDecisions: RW,
    evaluation: R,
    // the gedragswetenschapper advises on safety and quality in the team's cases: sees their indicators
    indicators: R,
  },
  MANAGER: { ...EVERYONE, case: R, identity: R, indicators: rs("ownOrganisation") },
  AUDITOR: { ...EVERYONE, indicators: rs("network") },
  // the access log, the client's overview and export, the emergency-access report; runs retention
  PRIVACY_OFFICER: { ...EVERYONE, accessLog: R, retention: RW },
};

/**
 * Emergency access ("break the glass", issue 9): a professional of one of `roles` whose
 * organisation is NOT involved in a case may open it in an acute safety situation by stating a
 * reason (at least `minReasonLength` characters). The grant is personal (that professional
 * only), lasts EMERGENCY_ACCESS_MINUTES (config, default 4 hours), is read-only, and covers only
 * `categories` — within them the whole case as stored (no item scopes, no consent needed):
 * that the case exists and who holds regie, the household's names and birth dates (no BSN), and
 * the safety plan with its agreements and whom to call. Every read through it is logged as
 * EMERGENCY; the regisseur's organisation and the privacy officer are told live; the privacy
 * officer's report shows every grant (emergencyAccesses).
 * Roles: the partners who meet a child or parent in an acute situation without being part of
 * the case — a GP, youth health care, a school, a care provider, Veilig Thuis (for a case it did
 * not hand over). Not: regisseurs (they hold cases; a case without regie goes through VT),
 * managers, auditors, the privacy officer, behavioural scientists (advisers, not first responders).
 */
export const EMERGENCY = {
  roles: ["HUISARTS", "JGZ", "SCHOOL", "PROFESSIONAL", "VEILIG_THUIS"] as readonly Role[],
  categories: [CATEGORIES.CASE, CATEGORIES.IDENTITY, CATEGORIES.SAFETY] as readonly Category[],
  minReasonLength: 20,
} as const;

export function ruleFor(role: Role, category: Category): Rule {
  return MATRIX[role][category] ?? NONE;
}

/**
 * The three views on the indicators (DOMAIN.md §5), decided by the role's indicators rule:
 * - "case": the per-case indicators and the regisseur's worklist (scope all: REGISSEUR,
 *   BEHAVIOURAL_SCIENTIST; and MANAGER, for the cases its organisation is involved in);
 * - "organisation": the own organisation's figures with the cases behind them (MANAGER);
 * - "network": the anonymised network figures and reports (AUDITOR, MANAGER).
 */
export type IndicatorView = "case" | "organisation" | "network";
const INDICATOR_VIEWS: Record<ItemScope, readonly IndicatorView[]> = {
  all: ["case"],
  ownOrganisation: ["case", "organisation", "network"],
  network: ["network"],
  ownPupils: [],
  children: [],
  sharedWithOrganisation: [],
  ownItems: [],
  educationGoals: [],
  healthGoals: [],
  childrenGoals: [],
  healthDomains: [],
};
export function mayViewIndicators(role: Role, view: IndicatorView): boolean {
  const rule = ruleFor(role, CATEGORIES.INDICATORS);
  return rule.read === "allow" && INDICATOR_VIEWS[rule.scope ?? "all"].includes(view);
}

/**
 * Writes: throws FORBIDDEN unless the viewer may write `category` in the case the mutation
 * resolved with requireVisibleCase (its effective role there: a REGISSEUR of an organisation
 * that does not hold regie in the case acts as a PROFESSIONAL); for "own" rules the item's
 * responsible or reporting organisation (`ownerOrganisationId`) must be the viewer's.
 * For categories with write actions (signals), `action` names the kind of write.
 * Also records the write for the access log.
 */
export function assertCanWrite(ctx: Ctx, category: Category, opts: { ownerOrganisationId?: string | null; action?: WriteAction } = {}): void {
  ctx.access.assertCanWrite(category, opts.ownerOrganisationId, opts.action);
}
