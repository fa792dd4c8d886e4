/**
 * Partner portal (school, GP, JGZ): who am I, which cases is my organisation involved in, the
 * safety agreements shared with us, the regisseur and how to reach them, and the next MDO.
 *
 *   npm run example:portal -- [email]      (default ib@devlinder.example; or TOKEN=…)
 */
import { MeDocument, PartnerCasesDocument, PartnerMeetingsDocument, type MeetingFieldsFragment, type PartnerCaseFragment } from "./generated/graphql.js";
import { allPages, connect, formatDateTime, HubClient, isMain } from "./lib/hub.js";

export interface PortalCase {
  case: PartnerCaseFragment;
  /** undefined: this hub has no meetings API yet; null: none planned */
  nextMeeting: MeetingFieldsFragment | null | undefined;
}

export interface Portal {
  me: { email: string; name: string; role: string; organisation: { id: string; name: string } };
  cases: PortalCase[];
}

/** Reads everything the portal shows (all pages of cases). */
export async function loadPortal(client: HubClient): Promise<Portal> {
  const { me } = await client.request(MeDocument);
  const cases: PartnerCaseFragment[] = await allPages(async (after) => (await client.request(PartnerCasesDocument, { first: 50, after })).cases);

  const meetings = new Map<string, MeetingFieldsFragment | null>();
  const r = await client.execute(PartnerMeetingsDocument, { first: 100 });
  const supported = !HubClient.unsupported(r);
  for (const e of r.data?.cases.edges ?? []) meetings.set(e.node.id, e.node.nextMeeting ?? null);
  return {
    me,
    cases: cases.map((c) => ({ case: c, nextMeeting: supported ? (meetings.get(c.id) ?? null) : undefined })),
  };
}

const RESPONSIBLE: Record<string, string> = { CLIENT: "cliënt", NETWORK_MEMBER: "netwerklid", ORGANISATION: "organisatie", PROFESSIONAL: "professional" };
const STATUS: Record<string, string> = { ACTIVE: "actief", PROPOSED: "voorgesteld", MET: "nagekomen", NOT_MET: "niet nagekomen", CANCELLED: "vervallen" };

/** The portal as text lines (Dutch, like the partner's own screen would show it). */
export function renderPortal(p: Portal): string[] {
  const out: string[] = [];
  out.push(`${p.me.name} (${p.me.role}) — ${p.me.organisation.name}`);
  out.push(`${p.cases.length} casus(sen) waarbij ${p.me.organisation.name} betrokken is`);
  for (const { case: c, nextMeeting } of p.cases) {
    out.push("");
    const children = c.family.members.filter((m) => m.kind === "CHILD").map((m) => m.givenName ?? "(kind)");
    out.push(`■ Gezin ${c.family.name ?? "(naam niet zichtbaar)"} — casus ${c.id} (${c.status === "OPEN" ? "open" : "gesloten"})`);
    if (children.length) out.push(`  Kinderen: ${children.join(", ")}`);
    const r = c.regisseur?.professional;
    if (r) {
      const reach = [r.phone && `tel. ${r.phone}`, r.email, r.organisation.phone && `organisatie ${r.organisation.phone}`].filter(Boolean).join(" · ");
      out.push(`  Regisseur: ${r.name}, ${r.organisation.name} — ${reach}`);
    } else {
      out.push("  Regisseur: nog niet toegewezen");
    }
    const agreements = c.safetyPlan?.agreements ?? [];
    if (c.safetyPlan?.whomToCall) out.push(`  Wie te bellen: ${c.safetyPlan.whomToCall}`);
    out.push(`  Veiligheidsafspraken gedeeld met ons: ${agreements.length}`);
    for (const a of agreements) {
      const who = a.responsibleOrganisation?.name ?? a.responsibleDescription ?? RESPONSIBLE[a.responsibleKind ?? ""] ?? "?";
      out.push(`   ${a.priority ?? "-"}. ${a.what ?? "(niet zichtbaar)"} [${STATUS[a.status ?? ""] ?? a.status ?? "?"}, v${a.version}]`);
      out.push(`      criterium: ${a.criterion ?? "–"}; wie: ${who}; uiterlijk: ${a.dueOn ?? "–"}; rapporteren aan: ${a.reportTo?.name ?? "–"}`);
    }
    if (nextMeeting === undefined) out.push("  Volgend MDO: (deze hub biedt nog geen MDO-gegevens)");
    else if (nextMeeting === null) out.push("  Volgend MDO: geen gepland");
    else
      out.push(
        `  Volgend MDO: ${formatDateTime(nextMeeting.scheduledAt)}${nextMeeting.location ? `, ${nextMeeting.location}` : ""} — uitgenodigd: ${(nextMeeting.invitees ?? []).map((o) => o.name).join(", ") || "–"}`,
      );
  }
  return out;
}

if (isMain(import.meta.url)) {
  const email = process.argv[2] ?? "ib@devlinder.example";
  const client = await connect(email);
  console.log(renderPortal(await loadPortal(client)).join("\n"));
}
