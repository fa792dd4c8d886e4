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
  /** SCHOOL: goals in the WORK_EDUCATION domain */
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

export interface Rule {
  read: ReadRule;
  scope?: ItemScope;
  write: WriteRule;
}

const NONE: Rule = { read: "none", write: "none" };
const R: Rule = { read: "allow", write: "none" };
const RW: Rule = { read: "allow", write: "allow" };
const C: Rule = { read: "consent", write: "none" };
const R_OWN_W: Rule = { read: "allow", write: "own" };
const rs = (scope: ItemScope): Rule => ({ read: "allow", scope, write: "none" });
const cs = (scope: ItemScope): Rule => ({ read: "consent", scope, write: "none" });
/** partners that report: write signals, read their own */
const SIGNAL_REPORTER: Rule = { read: "allow", scope: "ownItems", write: "allow" };

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
    // reads all signals; "write" here is acknowledging them (reporting is for partners)
    signals: RW,
    consent: RW,
    keyDecisions: RW,
    monitoring: R,
    evaluation: RW,
    indicators: R,
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
  PRIVACY_OFFICER: { ...EVERYONE, accessLog: R },
};

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
 * Also records the write for the access log.
 */
export function assertCanWrite(ctx: Ctx, category: Category, opts: { ownerOrganisationId?: string | null } = {}): void {
  ctx.access.assertCanWrite(category, opts.ownerOrganisationId);
}
