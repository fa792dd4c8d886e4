import type { Viewer } from "../auth/viewer.js";
import type { Basis, CaseAccess } from "./case-access.js";
import { CATEGORIES, type Category } from "./categories.js";
import { ruleFor, type ItemScope, type Rule, type WriteAction } from "./policy.js";

/** Categories that carry no client data: readable by every authenticated viewer, no case needed. */
export const OPEN_CATEGORIES: ReadonlySet<Category> = new Set([CATEGORIES.DIRECTORY, CATEGORIES.STRUCTURE]);

/** Categories decided by role alone, not per case (the privacy officer and auditor are involved in no case). */
export const ROLE_CATEGORIES: ReadonlySet<Category> = new Set([CATEGORIES.ACCESS_LOG, CATEGORIES.INDICATORS, CATEGORIES.RETENTION]);

export interface ReadDecision {
  allowed: boolean;
  rule: Rule;
  scope?: ItemScope;
  basis: Basis[];
}

/** May this viewer read `category` in this case, and on what basis? Pure and synchronous. */
export function decideRead(viewer: Viewer, access: CaseAccess, category: Category): ReadDecision {
  const rule = ruleFor(access.effectiveRole, category);
  if (!access.involved && !access.handedOver) {
    // visible only through the viewer's own emergency access: its categories, whole, read-only
    // (and the grant itself, within the role's own-items scope)
    const em = access.emergency;
    if (em && category === CATEGORIES.EMERGENCY_ACCESS && rule.read !== "none")
      return { allowed: true, rule, scope: rule.scope, basis: [{ kind: "ROLE" }, { kind: "EMERGENCY", id: em.id }] };
    if (!em || !em.categories.has(category) || rule.read === "none") return { allowed: false, rule, basis: [] };
    return { allowed: true, rule, scope: "all", basis: [{ kind: "ROLE" }, { kind: "EMERGENCY", id: em.id }] };
  }
  const base: Basis[] = [{ kind: "ROLE" }, access.involved ? { kind: "INVOLVEMENT" } : { kind: "HANDED_OVER" }];
  switch (rule.read) {
    case "none":
      return { allowed: false, rule, basis: [] };
    case "allow":
      return { allowed: true, rule, scope: rule.scope, basis: base };
    case "consent": {
      if (access.isRegieOrganisation) return { allowed: true, rule, scope: rule.scope, basis: [...base, { kind: "REGIE_ORGANISATION" }] };
      const grants = access.grants.get(category);
      if (grants?.length) return { allowed: true, rule, scope: rule.scope, basis: [...base, ...grants] };
      return { allowed: false, rule, basis: [] };
    }
  }
}

const memo = new WeakMap<CaseAccess, Map<Category, ReadDecision>>();

/**
 * decideRead, memoised per access facts and category: the decision depends only on the viewer,
 * the case's access facts and the category, and a request's CaseAccess objects belong to one
 * viewer (AccessScope is per request and renewed per subscription event). This is the request's
 * field mask: decided once per (case, category), applied synchronously to every field after.
 */
export function decideReadOnce(viewer: Viewer, access: CaseAccess, category: Category): ReadDecision {
  let byCategory = memo.get(access);
  if (!byCategory) memo.set(access, (byCategory = new Map()));
  let d = byCategory.get(category);
  if (!d) byCategory.set(category, (d = decideRead(viewer, access, category)));
  return d;
}

export function decideWrite(
  access: CaseAccess,
  category: Category,
  ownerOrganisationId: string | null | undefined,
  viewer: Viewer,
  action?: WriteAction,
): boolean {
  if (!access.involved && !access.handedOver) return false; // emergency access is read-only
  const rule = ruleFor(access.effectiveRole, category);
  if (rule.actions && (!action || !rule.actions.includes(action))) return false;
  if (rule.write === "allow") return true;
  return rule.write === "own" && !!ownerOrganisationId && ownerOrganisationId === viewer.organisationId;
}

type Item = Record<string, unknown>;
const HEALTH_DOMAINS = new Set(["MENTAL_HEALTH", "PHYSICAL_HEALTH", "SUBSTANCE_USE"]);

/**
 * Item scopes: which objects of a scoped category the viewer may read. Per scope, per GraphQL
 * type: `true` (container: fields of the category may be read), a predicate on the object, or
 * absent (fields of the category on that type are denied). Fail closed: an unknown type is denied.
 */
type ScopeCheck = true | ((item: Item, viewer: Viewer, access: CaseAccess, field: string) => boolean);
export const SCOPES: Record<Exclude<ItemScope, "all">, Record<string, ScopeCheck>> = {
  ownPupils: {
    Family: true,
    FamilyMember: (m, v) => m.kind === "CHILD" && m.schoolId === v.organisationId,
  },
  children: {
    Family: true,
    FamilyMember: (m) => m.kind === "CHILD",
  },
  sharedWithOrganisation: {
    Case: true,
    SafetyPlan: true,
    // Meeting.changedAgreements: a container; its elements are filtered as SafetyAgreement lists are
    Meeting: true,
    // reached only through SafetyAgreement.seenBy of an agreement already in scope
    AgreementSeen: true,
    SafetyAgreement: (a, v, acc) =>
      acc.sharedAgreementIds.has(a.id as string) || a.responsibleOrganisationId === v.organisationId || a.reportToOrganisationId === v.organisationId,
  },
  ownItems: {
    Case: true,
    EmergencyAccess: (e, v) => e.organisationId === v.organisationId,
    Signal: (s, v) => s.reportingOrganisationId === v.organisationId,
    Consent: (c, v) => c.organisationId === v.organisationId,
    SharingDecision: (c, v) => c.organisationId === v.organisationId,
  },
  educationGoals: {
    Case: true,
    Plan: (_p, _v, _a, field) => field === "goals",
    // about one of its own pupils: not a parent's work, not a child at another school
    Goal: (g, _v, acc) => g.domain === "WORK_EDUCATION" && typeof g.memberId === "string" && acc.pupilMemberIds.has(g.memberId),
  },
  healthGoals: {
    Case: true,
    Plan: (_p, _v, _a, field) => field === "goals",
    Goal: (g) => typeof g.domain === "string" && HEALTH_DOMAINS.has(g.domain),
  },
  childrenGoals: {
    Case: true,
    Plan: (_p, _v, _a, field) => field === "goals",
    Goal: (g, _v, acc) => typeof g.memberId === "string" && acc.childMemberIds.has(g.memberId),
  },
  healthDomains: {
    Case: true,
    Plan: (_p, _v, _a, field) => field === "lifeDomainScores",
    LifeDomainScore: (s) => typeof s.domain === "string" && HEALTH_DOMAINS.has(s.domain),
  },
  // MANAGER: a case it can see (its organisation is involved) — its indicators and worklist notices
  ownOrganisation: {
    Case: true,
    WorklistNotice: true,
  },
  // AUDITOR: no case-bound type at all (network figures are not case-scoped)
  network: {},
};

/** Does the scope let the viewer read `field` of this object of GraphQL type `typeName`? */
export function inScope(scope: ItemScope | undefined, typeName: string, item: Item, field: string, viewer: Viewer, access: CaseAccess): boolean {
  if (!scope || scope === "all") return true;
  const check = SCOPES[scope][typeName];
  if (check === undefined) return false;
  return check === true || check(item, viewer, access, field);
}

/**
 * The item category of object types whose elements are filtered out of lists when the viewer
 * may not read them (e.g. a school sees only the agreements shared with it, and only its own
 * pupils among the family members). Lists of other types are not filtered: their fields are.
 */
export const ITEM_CATEGORY: Record<string, Category> = {
  FamilyMember: CATEGORIES.IDENTITY,
  SafetyAgreement: CATEGORIES.SAFETY,
  Goal: CATEGORIES.PLAN,
  LifeDomainScore: CATEGORIES.LIFE_DOMAINS,
  Signal: CATEGORIES.SIGNALS,
  Consent: CATEGORIES.CONSENT,
  SharingDecision: CATEGORIES.CONSENT,
  EmergencyAccess: CATEGORIES.EMERGENCY_ACCESS,
};

/** Is this list element (of item type `typeName`) visible to the viewer? */
export function itemVisible(typeName: string, item: Item, viewer: Viewer, access: CaseAccess): boolean {
  const category = ITEM_CATEGORY[typeName];
  if (!category) return true;
  const d = decideReadOnce(viewer, access, category);
  if (!d.allowed) return false;
  if (!d.scope || d.scope === "all") return true;
  const check = SCOPES[d.scope][typeName];
  // a scope that does not name this type does not restrict its elements (e.g. Family containers)
  if (check === undefined || check === true) return true;
  return check(item, viewer, access, "");
}
