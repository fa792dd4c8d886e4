import type { Viewer, Role } from "../auth/viewer.js";
import type { Category } from "./categories.js";

/** Why a viewer may use a category in a case: what partner portals render ("why may I see this"). */
export interface Basis {
  kind: "ROLE" | "INVOLVEMENT" | "HANDED_OVER" | "REGIE_ORGANISATION" | "CONSENT" | "SHARING_DECISION" | "EMERGENCY";
  /** consent, sharing decision or emergency access id */
  id?: string;
}

/**
 * Everything the policy needs to decide for one viewer and one case, loaded once per request in
 * one SQL statement per batch of cases (see loadCaseAccess) and then used synchronously for
 * every field (DESIGN.md practice 4).
 */
export interface CaseAccess {
  caseId: string;
  familyId: string;
  status: string;
  /** the viewer's organisation is actively involved */
  involved: boolean;
  /** the viewer's organisation (Veilig Thuis) handed this case over */
  handedOver: boolean;
  /** organisations of the active casusregisseur (empty before one is assigned) */
  regieOrganisationIds: string[];
  /** active consents and sharing decisions for the viewer's organisation, per category */
  grants: Map<string, Basis[]>;
  /** safety agreements shared with the viewer's organisation */
  sharedAgreementIds: Set<string>;
  /** family members of kind CHILD */
  childMemberIds: Set<string>;
  /** children whose school is the viewer's organisation (a school's own pupils) */
  pupilMemberIds: Set<string>;
  /** the role the policy applies: a REGISSEUR of another organisation than the case's regie is a PROFESSIONAL here */
  effectiveRole: Role;
  /** the viewer's organisation holds regie (its regisseur's organisation needs no consent) */
  isRegieOrganisation: boolean;
  /**
   * The viewer's own active emergency access to this case ("break the glass"), if any. It is
   * what makes the case visible when the organisation is neither involved nor handed it over;
   * read-only and limited to its categories (policy.ts EMERGENCY). Expiry is checked in SQL
   * on every request.
   */
  emergency?: { id: string; categories: ReadonlySet<Category> };
}

/** The viewer (professional $3) holds an open, unexpired emergency access to case c. */
export const EMERGENCY_CONDITION = `EXISTS (SELECT 1 FROM emergency_access ve WHERE ve.case_id = c.id AND ve.professional_id = $3
     AND ve.closed_at IS NULL AND ve.expires_at > now())`;

export const VISIBLE_CONDITION = `(
  EXISTS (SELECT 1 FROM involvement vi WHERE vi.case_id = c.id AND vi.organisation_id = $2 AND vi.ended_at IS NULL)
  OR EXISTS (SELECT 1 FROM handover vh WHERE vh.case_id = c.id AND vh.from_organisation_id = $2)
  OR ${EMERGENCY_CONDITION})`;

/**
 * The ids of the cases VISIBLE_CONDITION admits, from the indexed tables that grant visibility
 * (the organisation's active involvements and handovers, the viewer's open emergency accesses):
 * a page takes its candidates from here instead of testing every case in created_at order
 * (a school with 215 of 20,000 cases: 4,700 cases tested to fill a page of 50).
 */
export const VISIBLE_CASE_IDS = `SELECT vi.case_id FROM involvement vi WHERE vi.organisation_id = $2 AND vi.ended_at IS NULL
  UNION ALL SELECT vh.case_id FROM handover vh WHERE vh.from_organisation_id = $2
  UNION ALL SELECT ve.case_id FROM emergency_access ve WHERE ve.professional_id = $3 AND ve.closed_at IS NULL AND ve.expires_at > now()`;

/**
 * One statement: the visible cases among `ids` with the viewer's access facts. Cases the viewer
 * may not see are simply absent (and so indistinguishable from wrong ids). The id lists come as
 * JSON (parsed natively; pg's text-array parser was a visible share of a page's CPU). The
 * family's children and those of them at the viewer's school come from one sub-select over the
 * family's members (as two, the school's one also read the school's whole index: 430 entries
 * per case for a school of the full bench tier).
 */
export const CASE_ACCESS_SELECT = `
SELECT c.*,
  EXISTS (SELECT 1 FROM involvement i WHERE i.case_id = c.id AND i.organisation_id = $2 AND i.ended_at IS NULL) AS acc_involved,
  EXISTS (SELECT 1 FROM handover h WHERE h.case_id = c.id AND h.from_organisation_id = $2) AS acc_handed_over,
  to_json(ARRAY(SELECT r.organisation_id FROM regie_assignment r WHERE r.case_id = c.id AND r.kind = 'CASE' AND r.ended_at IS NULL)) AS acc_regie_orgs,
  to_json(ARRAY(SELECT k.id::text || ':' || cat FROM consent k, unnest(k.categories) cat
         WHERE k.case_id = c.id AND k.organisation_id = $2 AND k.withdrawn_at IS NULL
           AND (k.valid_until IS NULL OR k.valid_until >= current_date))) AS acc_consents,
  to_json(ARRAY(SELECT d.id::text || ':' || cat FROM sharing_decision d, unnest(d.categories) cat
         WHERE d.case_id = c.id AND d.organisation_id = $2 AND d.withdrawn_at IS NULL
           AND (d.valid_until IS NULL OR d.valid_until >= current_date))) AS acc_decisions,
  to_json(ARRAY(SELECT s.agreement_id FROM safety_agreement_share s WHERE s.case_id = c.id AND s.organisation_id = $2)) AS acc_shared,
  (SELECT json_build_array(coalesce(json_agg(m.id), '[]'::json), coalesce(json_agg(m.id) FILTER (WHERE m.school_id = $2), '[]'::json))
     FROM family_member m WHERE m.family_id = c.family_id AND m.kind = 'CHILD') AS acc_children,
  (SELECT e.id::text || ':' || array_to_string(e.categories, ',') FROM emergency_access e
    WHERE e.case_id = c.id AND e.professional_id = $3 AND e.closed_at IS NULL AND e.expires_at > now()
    ORDER BY e.expires_at DESC LIMIT 1) AS acc_emergency
FROM case_file c`;

export const CASE_ACCESS_SQL = `${CASE_ACCESS_SELECT}
WHERE c.id = ANY($1::uuid[]) AND ${VISIBLE_CONDITION}`;

/**
 * The ids of one page of the viewer's visible cases (oldest first, keyset on created_at, id): the
 * page's first statement; the second reads those cases with their access facts (CASE_ACCESS_SQL,
 * prepared). Apart, each gets the plan it needs: this one a custom plan per execution, cheap for
 * so small a statement, in which the optional cursor and status fold away; the second, with the
 * access facts and the relations the query selects, a generic plan that PostgreSQL keeps (as one
 * statement it planned the whole page, 1.6–1.7 ms, on every request). $1 viewer organisation,
 * $2 limit, $3 cursor case id or null, $4 status or null, $5 the viewer (professional, for
 * emergency access).
 */
export const CASE_PAGE_IDS_SQL = `SELECT c.id FROM case_file c
WHERE c.id IN (${VISIBLE_CASE_IDS.replaceAll("$3", "$5").replaceAll("$2", "$1")})
  AND ($3::uuid IS NULL OR (c.created_at, c.id) > (SELECT x.created_at, x.id FROM case_file x WHERE x.id = $3::uuid))
  AND ($4::text IS NULL OR c.status = $4::text)
ORDER BY c.created_at, c.id
LIMIT $2`;

export interface CaseAccessRow {
  id: string;
  family_id: string;
  status: string;
  acc_involved: boolean;
  acc_handed_over: boolean;
  acc_regie_orgs: string[];
  acc_consents: string[];
  acc_decisions: string[];
  acc_shared: string[];
  /** [the family's children, those of them at the viewer's school] */
  acc_children: [string[], string[]];
  acc_emergency: string | null;
  [column: string]: unknown;
}

export function toCaseAccess(viewer: Viewer, r: CaseAccessRow): CaseAccess {
  const grants = new Map<string, Basis[]>();
  const add = (entries: string[], kind: Basis["kind"]) => {
    for (const e of entries) {
      const at = e.indexOf(":");
      const id = e.slice(0, at);
      const cat = e.slice(at + 1);
      let list = grants.get(cat);
      if (!list) grants.set(cat, (list = []));
      list.push({ kind, id });
    }
  };
  add(r.acc_consents, "CONSENT");
  add(r.acc_decisions, "SHARING_DECISION");
  const regie = r.acc_regie_orgs;
  const isRegieOrganisation = regie.includes(viewer.organisationId) || (regie.length === 0 && viewer.role === "REGISSEUR" && r.acc_involved);
  const effectiveRole: Role = viewer.role === "REGISSEUR" && !isRegieOrganisation ? "PROFESSIONAL" : viewer.role;
  return {
    caseId: r.id,
    familyId: r.family_id,
    status: r.status,
    involved: r.acc_involved,
    handedOver: r.acc_handed_over,
    regieOrganisationIds: regie,
    grants,
    sharedAgreementIds: new Set(r.acc_shared),
    childMemberIds: new Set(r.acc_children[0]),
    pupilMemberIds: new Set(r.acc_children[1]),
    effectiveRole,
    isRegieOrganisation,
    emergency: r.acc_emergency
      ? {
          id: r.acc_emergency.slice(0, r.acc_emergency.indexOf(":")),
          categories: new Set(r.acc_emergency.slice(r.acc_emergency.indexOf(":") + 1).split(",") as Category[]),
        }
      : undefined,
  };
}

export type { Category };
