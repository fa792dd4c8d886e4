/**
 * Regisseur coordinating an MDO: schedule it with the organisations involved in the case (and
 * the family), record minutes and decisions afterwards, change the safety agreements the MDO
 * decided on (recording the MDO they changed in), and show which partners have seen the new
 * version of each agreement.
 *
 *   npm run example:mdo -- [caseId]     (as r.jansen@swt-waalbeek.example, or TOKEN=…;
 *                                        default: the regisseur's first open case with a safety plan)
 */
import { AgreementsSeenDocument, PartnerCasesDocument, RecordMeetingOutcomeDocument, ScheduleMeetingDocument, UpdateSafetyAgreementDocument, type MeetingFieldsFragment, type PartnerCaseFragment } from "./generated/graphql.js";
import { allPages, connect, formatDateTime, isMain, type HubClient } from "./lib/hub.js";

export interface MdoResult {
  meeting: MeetingFieldsFragment;
  changedAgreementIds: string[];
  lines: string[];
}

export async function pickCase(client: HubClient, caseId?: string): Promise<PartnerCaseFragment> {
  const cases = await allPages(async (after) => (await client.request(PartnerCasesDocument, { first: 100, after })).cases);
  const found = cases.find((c) => (caseId ? c.id === caseId : c.status === "OPEN" && (c.safetyPlan?.agreements?.length ?? 0) > 0));
  if (!found) throw new Error(caseId ? "case not found (or not visible to you)" : "no open case with a safety plan");
  return found;
}

export async function coordinateMdo(client: HubClient, c: PartnerCaseFragment, opts: { scheduledAt?: Date; heldAt?: Date } = {}): Promise<MdoResult> {
  const lines: string[] = [];
  const invitees = c.involvements.filter((i) => !i.endedAt).map((i) => i.organisation);
  const scheduledAt = opts.scheduledAt ?? new Date(Date.now() + 7 * 24 * 3600_000);
  const { scheduleMeeting: planned } = await client.request(ScheduleMeetingDocument, {
    input: {
      caseId: c.id,
      kind: "MDO",
      scheduledAt: scheduledAt.toISOString(),
      location: "Wijkcentrum Waalbeek-Noord",
      agenda: "Voortgang veiligheidsplan; signalen school en huisarts; afspraken bijstellen",
      inviteeOrganisationIds: invitees.map((o) => o.id),
      familyInvited: true,
      networkInvited: false,
    },
  });
  lines.push(`MDO gepland op ${formatDateTime(planned.scheduledAt)} met ${invitees.map((o) => o.name).join(", ")} en het gezin`);

  // …the MDO takes place; the regisseur changes the agreements it decided on…
  const agreements = c.safetyPlan?.agreements ?? [];
  const first = agreements[0];
  const changed: string[] = [];
  if (first) {
    const { updateSafetyAgreement: a } = await client.request(UpdateSafetyAgreementDocument, {
      input: { id: first.id, version: first.version, criterion: `${first.criterion ?? ""} (bijgesteld in MDO)`.trim(), meetingId: planned.id },
    });
    changed.push(a.id);
    lines.push(`Afspraak "${a.what}" bijgesteld: nu v${a.version}`);
  }
  const { recordMeetingOutcome: held } = await client.request(RecordMeetingOutcomeDocument, {
    input: {
      id: planned.id,
      version: planned.version,
      heldAt: (opts.heldAt ?? new Date()).toISOString(),
      minutes: "Besproken: voortgang, signalen van school. Gezin aanwezig.",
      decisions: ["School meldt verzuim dezelfde dag aan de regisseur", "Over zes weken evaluatie-MDO"],
      changedAgreementIds: changed,
    },
  });
  lines.push(`Verslag vastgelegd; besluiten: ${(held.decisions ?? []).map((d) => d.text).join(" | ")}`);

  const seen = await client.request(AgreementsSeenDocument, { id: c.id });
  for (const a of seen.case.safetyPlan?.agreements ?? []) {
    const current = (a.seenBy ?? []).filter((s) => s.current).map((s) => s.organisation?.name);
    lines.push(`"${a.what}" v${a.version}: gezien door ${current.join(", ") || "nog niemand"}; nog niet: ${(a.notSeenBy ?? []).map((o) => o.name).join(", ") || "–"}`);
  }
  return { meeting: held, changedAgreementIds: changed, lines };
}

if (isMain(import.meta.url)) {
  const client = await connect("r.jansen@swt-waalbeek.example");
  const c = await pickCase(client, process.argv[2]);
  const r = await coordinateMdo(client, c);
  console.log(r.lines.join("\n"));
}
