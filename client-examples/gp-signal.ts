/**
 * A signal from the GP: the regisseur keeps `signalRaised` open; the GP reports a new concern on
 * a case it is involved in; the regisseur's subscription shows it at once, and the regisseur
 * acknowledges it.
 *
 *   npm run example:gp-signal -- [caseId]
 *   (GP h.devries@hap-waalbeek.example, regisseur r.jansen@swt-waalbeek.example; default case:
 *    the GP's first open case that r.jansen directs)
 */
import { print } from "graphql";
import { AcknowledgeSignalDocument, PartnerCasesDocument, ReportSignalDocument, SignalRaisedDetailDocument, type SignalRaisedDetailSubscription } from "./generated/graphql.js";
import { allPages, connect, isMain, type HubClient } from "./lib/hub.js";

export const GP = "h.devries@hap-waalbeek.example";
export const REGISSEUR = "r.jansen@swt-waalbeek.example";

export async function gpSignal(gp: HubClient, regisseur: HubClient, caseId?: string): Promise<string[]> {
  const lines: string[] = [];
  const cases = await allPages(async (after) => (await gp.request(PartnerCasesDocument, { first: 100, after })).cases);
  const c = cases.find((n) => (caseId ? n.id === caseId : n.status === "OPEN" && n.regisseur?.professional.email === REGISSEUR));
  if (!c) throw new Error("no case for the GP to report on");
  const member = c.family.members.find((m) => m.kind === "CHILD") ?? c.family.members[0];

  // The regisseur listens first (in real life: all day long).
  const ws = regisseur.ws();
  const received = new Promise<SignalRaisedDetailSubscription["signalRaised"]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no signal arrived within 10 s")), 10_000);
    const unsubscribe = ws.subscribe<SignalRaisedDetailSubscription>(
      { query: print(SignalRaisedDetailDocument), variables: {} },
      {
        next: (r) => {
          const s = r.data?.signalRaised;
          if (s && s.caseId === c.id) {
            clearTimeout(timer);
            unsubscribe();
            resolve(s);
          }
        },
        error: reject,
        complete: () => undefined,
      },
    );
  });
  await new Promise((r) => setTimeout(r, 300)); // let the subscription start

  const { reportSignal: reported } = await gp.request(ReportSignalDocument, {
    input: {
      caseId: c.id,
      memberId: member?.id,
      observedOn: new Date().toISOString().slice(0, 10),
      urgency: "HIGH",
      description: "Blauwe plekken op de bovenarm bij consult; kind terughoudend.",
    },
  });
  lines.push(`huisarts: signaal gemeld (${reported.urgency}) over ${reported.member?.givenName ?? "het gezin"}`);

  const event = await received;
  await ws.dispose();
  const s = event.subject?.__typename === "Signal" ? event.subject : undefined;
  lines.push(`regisseur ziet live: ${event.kind} van ${s?.reportingOrganisation?.name ?? "?"} — "${s?.description ?? "?"}"`);

  const { acknowledgeSignal: ack } = await regisseur.request(AcknowledgeSignalDocument, { input: { id: reported.id, note: "Gebeld met huisarts; besproken in MDO." } });
  lines.push(`regisseur heeft het signaal bevestigd (${ack.acknowledgedAt ? "ja" : "nee"})`);
  return lines;
}

if (isMain(import.meta.url)) {
  const lines = await gpSignal(await connect(GP), await connect(REGISSEUR), process.argv[2]);
  console.log(lines.join("\n"));
}
