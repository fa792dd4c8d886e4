import { createHash, randomUUID } from "node:crypto";
import type { FhirCaseData, FhirRegie } from "./query.js";

/**
 * Maps a case, as the viewer may read it, to a FHIR R4 Bundle (type collection): CarePlan (the
 * one integral plan, with the safety agreements as activities), CareTeam (the involved
 * organisations and the regisseur), Goal (target measure, due date), Consent, the regisseur as
 * Practitioner + PractitionerRole, the organisations, and the household as Group of Patients.
 * Nothing is added that the GraphQL read did not return: a missing field stays out.
 */
type Resource = { resourceType: string; id: string; [k: string]: unknown };
type Ref = { reference: string; display?: string };

const SYSTEM = "urn:ketenhub";
/** Stable urn:uuid per resource (type + hub id), so references resolve inside the Bundle. */
function urn(type: string, id: string): string {
  const h = createHash("sha1").update(`${type}/${id}`).digest("hex");
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
const ref = (type: string, id: string, display?: string | null): Ref => ({ reference: urn(type, id), ...(display ? { display } : {}) });
const dateTime = (iso: string | null | undefined) => (iso ? new Date(iso).toISOString() : undefined);
const text = (s: string | null | undefined) => (s ? { text: s } : undefined);

/** Drops undefined, null, empty arrays and empty objects (FHIR forbids empty elements). */
function clean<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clean).filter((x) => x !== undefined) as T;
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const c = clean(x);
      if (c === undefined || c === null) continue;
      if (Array.isArray(c) && c.length === 0) continue;
      if (typeof c === "object" && !Array.isArray(c) && Object.keys(c as object).length === 0) continue;
      if (c === "") continue;
      out[k] = c;
    }
    return out as T;
  }
  return v;
}

const GOAL_LIFECYCLE: Record<string, string> = { OPEN: "active", ACHIEVED: "completed", PARTIALLY_ACHIEVED: "completed", NOT_ACHIEVED: "completed", CANCELLED: "cancelled" };
const GOAL_ACHIEVEMENT: Record<string, { code: string; display: string }> = {
  ACHIEVED: { code: "achieved", display: "Achieved" },
  PARTIALLY_ACHIEVED: { code: "some-progress", display: "Some Progress" },
  NOT_ACHIEVED: { code: "not-achieved", display: "Not Achieved" },
  OPEN: { code: "in-progress", display: "In Progress" },
};
const ACTIVITY_STATUS: Record<string, string> = { ACTIVE: "in-progress", PROPOSED: "not-started", MET: "completed", NOT_MET: "stopped", CANCELLED: "cancelled" };
const REGIE: Record<string, string> = { CASE: "Casusregisseur", PROCESS: "Procesregisseur" };

export function caseToBundle(c: FhirCaseData, now = new Date()): Record<string, unknown> {
  const resources: Resource[] = [];
  const add = (r: Resource) => resources.push(clean(r));
  const familyName = c.family?.name ?? undefined;

  // Organisations (the involved ones; others only as references with their id).
  const orgs = new Set<string>();
  for (const i of c.involvements ?? []) {
    if (orgs.has(i.organisation.id)) continue;
    orgs.add(i.organisation.id);
    add({
      resourceType: "Organization",
      id: i.organisation.id,
      identifier: [{ system: `${SYSTEM}:organisation`, value: i.organisation.id }],
      active: true,
      type: [{ coding: [{ system: `${SYSTEM}:organisation-kind`, code: i.organisation.kind }] }],
      name: i.organisation.name,
      telecom: [i.organisation.phone && { system: "phone", value: i.organisation.phone, use: "work" }, i.organisation.email && { system: "email", value: i.organisation.email, use: "work" }],
    });
  }
  const orgRef = (id: string) => ref("Organization", id, (c.involvements ?? []).find((i) => i.organisation.id === id)?.organisation.name);

  // The household: a Group of Patients (only the members the viewer may see, only the fields it may read).
  const members = c.family?.members ?? [];
  for (const m of members) {
    add({
      resourceType: "Patient",
      id: m.id,
      identifier: [{ system: `${SYSTEM}:family-member`, value: m.id }],
      name: m.givenName || m.familyName ? [{ family: m.familyName ?? undefined, given: m.givenName ? [m.givenName] : undefined }] : undefined,
      birthDate: m.birthDate ?? undefined,
    });
  }
  let subject: Ref | undefined;
  if (c.family) {
    add({
      resourceType: "Group",
      id: c.family.id,
      identifier: [{ system: `${SYSTEM}:family`, value: c.family.id }],
      active: true,
      type: "person",
      actual: true,
      name: familyName ? `Gezin ${familyName}` : undefined,
      quantity: members.length,
      member: members.map((m) => ({ entity: ref("Patient", m.id, m.givenName) })),
    });
    subject = ref("Group", c.family.id, familyName && `Gezin ${familyName}`);
  }

  // The regisseur(s): Practitioner + PractitionerRole.
  const roles: Ref[] = [];
  const regie = (r: FhirRegie | null) => {
    if (!r) return;
    const p = r.professional;
    const telecom = [p.phone && { system: "phone", value: p.phone, use: "work" }, { system: "email", value: p.email, use: "work" }];
    add({ resourceType: "Practitioner", id: p.id, identifier: [{ system: `${SYSTEM}:professional`, value: p.email }], active: true, name: [{ text: p.name }], telecom });
    add({
      resourceType: "PractitionerRole",
      id: r.id,
      active: true,
      period: { start: dateTime(r.startedAt) },
      practitioner: ref("Practitioner", p.id, p.name),
      organization: orgRef(p.organisation.id),
      code: [{ coding: [{ system: `${SYSTEM}:regie`, code: r.kind, display: REGIE[r.kind] }], text: REGIE[r.kind] }],
      telecom,
    });
    roles.push(ref("PractitionerRole", r.id, `${REGIE[r.kind]} ${p.name}`));
  };
  regie(c.regisseur);
  regie(c.procesRegisseur);

  // CareTeam: everyone involved, and the regisseur.
  const careTeamId = `careteam-${c.id}`;
  add({
    resourceType: "CareTeam",
    id: careTeamId,
    status: c.status === "OPEN" ? "active" : "inactive",
    name: familyName ? `Betrokken organisaties gezin ${familyName}` : "Betrokken organisaties",
    subject,
    period: { start: dateTime(c.openedAt), end: dateTime(c.closedAt) },
    participant: [
      ...roles.map((r, i) => ({ role: [{ text: i === 0 && c.regisseur ? "Casusregisseur" : "Procesregisseur" }], member: r })),
      ...(c.involvements ?? []).map((i) => ({
        role: [{ text: i.role }],
        member: orgRef(i.organisation.id),
        period: { start: dateTime(i.startedAt), end: dateTime(i.endedAt) },
      })),
    ],
    managingOrganization: c.regisseur ? [orgRef(c.regisseur.professional.organisation.id)] : undefined,
  });

  // Goals.
  const goals = c.plan?.goals ?? [];
  for (const g of goals) {
    const status = g.status ?? "OPEN";
    add({
      resourceType: "Goal",
      id: g.id,
      lifecycleStatus: GOAL_LIFECYCLE[status] ?? "active",
      achievementStatus: GOAL_ACHIEVEMENT[status] && { coding: [{ system: "http://terminology.hl7.org/CodeSystem/goal-achievement", ...GOAL_ACHIEVEMENT[status] }] },
      category: [g.domain && { coding: [{ system: `${SYSTEM}:life-domain`, code: g.domain }] }, g.isSafetyGoal ? { text: "Veiligheidsdoel" } : undefined],
      priority: g.priority !== null ? { text: `Prioriteit ${g.priority}` } : undefined,
      description: { text: g.title ?? "(doel)" },
      subject: g.member ? ref("Patient", g.member.id) : subject,
      target: g.targetMeasure || g.dueOn ? [{ measure: text(g.targetMeasure), detailString: g.targetMeasure ?? undefined, dueDate: g.dueOn ?? undefined }] : undefined,
      note: g.description ? [{ text: g.description }] : undefined,
    });
  }

  // Consents.
  for (const k of c.consents ?? []) {
    add({
      resourceType: "Consent",
      id: k.id,
      status: k.active ? "active" : "inactive",
      scope: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/consentscope", code: "patient-privacy", display: "Privacy Consent" }] },
      category: [{ coding: [{ system: "http://loinc.org", code: "59284-0", display: "Patient Consent" }] }],
      patient: k.subject ? ref("Patient", k.subject.id) : undefined,
      dateTime: k.givenOn ?? undefined,
      performer: (k.givenBy ?? []).map((m) => ref("Patient", m.id)),
      policyRule: { text: "Toestemming van de cliënt (AVG art. 6 lid 1 sub a; Wgbo)" },
      provision: {
        type: "permit",
        period: { start: k.givenOn ?? undefined, end: k.validUntil ?? undefined },
        actor: k.organisation
          ? [{ role: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", code: "IRCP", display: "information recipient" }] }, reference: orgRef(k.organisation.id) }]
          : undefined,
        purpose: k.purpose ? [{ system: `${SYSTEM}:purpose`, display: k.purpose }] : undefined,
        code: (k.categories ?? []).map((cat) => ({ coding: [{ system: `${SYSTEM}:data-category`, code: cat }] })),
      },
    });
  }

  // The one integral plan, with the safety agreements as its activities.
  const agreements = c.safetyPlan?.agreements ?? [];
  add({
    resourceType: "CarePlan",
    id: c.plan?.id ?? c.id,
    identifier: [{ system: `${SYSTEM}:case`, value: c.id }],
    status: c.status === "OPEN" ? "active" : "completed",
    intent: "plan",
    title: familyName ? `Integraal plan gezin ${familyName} (1 Gezin, 1 Plan, 1 Regisseur)` : "Integraal plan (1 Gezin, 1 Plan, 1 Regisseur)",
    description: c.plan?.helpQuestion ?? undefined,
    subject: subject ?? { display: "Huishouden" },
    period: { start: dateTime(c.openedAt), end: dateTime(c.closedAt) },
    created: dateTime(c.plan?.createdAt),
    author: roles[0],
    careTeam: [ref("CareTeam", careTeamId)],
    goal: goals.map((g) => ref("Goal", g.id, g.title)),
    activity: agreements.map((a) => ({
      detail: {
        code: { coding: [{ system: `${SYSTEM}:activity`, code: "safety-agreement", display: "Veiligheidsafspraak" }] },
        status: ACTIVITY_STATUS[a.status ?? ""] ?? "unknown",
        description: [a.what, a.criterion && `Criterium: ${a.criterion}`, a.priority !== null && `Prioriteit ${a.priority}`].filter(Boolean).join(" — ") || undefined,
        scheduledString: a.dueOn ? `uiterlijk ${a.dueOn}` : undefined,
        performer: a.responsibleOrganisation ? [orgRef(a.responsibleOrganisation.id)] : undefined,
      },
    })),
    note: c.plan?.problemAnalysis ? [{ text: `Probleemanalyse: ${c.plan.problemAnalysis}` }] : undefined,
  });

  return clean({
    resourceType: "Bundle",
    id: randomUUID(),
    meta: { lastUpdated: now.toISOString() },
    type: "collection",
    timestamp: now.toISOString(),
    entry: resources.map((r) => ({ fullUrl: urn(r.resourceType, r.id), resource: r })),
  });
}
