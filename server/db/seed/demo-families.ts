import type { EntityManager } from "typeorm";
import type { DemoDirectory, OrgKey } from "./demo.js";
import { LIFE_DOMAINS, type LifeDomain } from "../../modules/plans/plan.entity.js";
import { encryptRow } from "../../crypto/field-crypto.js";

/**
 * The demo families of DOMAIN.md §7 (De Boer, Yilmaz, Verbeek, Hendriks), each at another stage.
 * Plain SQL against the migrated tables, in the seeding transaction. Everything is fictional.
 *
 * Dates are relative to the moment of seeding (handover "4 months ago"), so a freshly seeded
 * demo always looks current. Contract relied on by clients and acceptance tests:
 * - De Vlinder is involved in De Boer only;
 * - Het Anker is involved in Yilmaz (open) and Hendriks (closed, involvement kept as history);
 * - exactly one active casusregisseur in De Boer (r.jansen) and Verbeek (p.mulder), none in
 *   Yilmaz, and none left in the closed Hendriks case.
 * The seed writes no change events: there is nothing to deliver before anyone has connected.
 */
export async function seedDemoFamilies(em: EntityManager, dir: DemoDirectory): Promise<void> {
  const s = new Seeder(em, dir, new Date());
  await seedDeBoer(s);
  await seedYilmaz(s);
  await seedVerbeek(s);
  await seedHendriks(s);
}

// ---------------------------------------------------------------------------------------------
// plumbing

interface Offset {
  months?: number;
  days?: number;
}

type Row = Record<string, unknown>;

/** Veilig Thuis Regio Waalbeek's monitoring interval (organisation.monitoring_interval_months in demo.ts). */
const VT_MONITORING_MONTHS = 3;


class Seeder {
  constructor(
    readonly em: EntityManager,
    private readonly dir: DemoDirectory,
    private readonly now: Date,
  ) {}

  org(key: OrgKey): string {
    const id = this.dir.org[key];
    if (!id) throw new Error(`demo seed: organisation ${key} missing`);
    return id;
  }

  /** Professional id by the local part of the demo e-mail address, e.g. "r.jansen". */
  user(local: string): string {
    const email = Object.keys(this.dir.user).find((e) => e.split("@")[0] === local);
    if (!email) throw new Error(`demo seed: user ${local} missing`);
    return this.dir.user[email];
  }

  /** A moment relative to now (negative = past), at `hour` o'clock local time when given. */
  at(o: Offset, hour?: number): Date {
    const d = new Date(this.now);
    if (o.months) {
      const day = d.getDate();
      d.setDate(1);
      d.setMonth(d.getMonth() + o.months);
      const last = new Date(d.getFullYear(), d.getMonth() + 1, 0).getDate();
      d.setDate(Math.min(day, last));
    }
    if (o.days) d.setDate(d.getDate() + o.days);
    if (hour !== undefined) d.setHours(hour, 0, 0, 0);
    return d;
  }

  /** A calendar date ("YYYY-MM-DD", local time, like the services' today()) relative to now. */
  day(o: Offset): string {
    return localDate(this.at(o));
  }

  /** Birth date of someone who is `years` old and had their birthday `sinceBirthday` days ago. */
  born(years: number, sinceBirthday: number): string {
    return this.day({ months: -12 * years, days: -sinceBirthday });
  }

  /** INSERT … RETURNING id. Column names are this file's constants, values always parameters. */
  async insert(table: string, row: Row): Promise<string> {
    row = encryptRow(table, row); // the columns encrypted at rest (server/crypto)
    const cols = Object.keys(row);
    const [r] = (await this.em.query(
      `INSERT INTO ${table} (${cols.join(", ")}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(", ")}) RETURNING id`,
      cols.map((c) => row[c]),
    )) as { id: string }[];
    return r.id;
  }

  /** INSERT into a link table (no id column). */
  async link(table: string, row: Row): Promise<void> {
    const cols = Object.keys(row);
    await this.em.query(
      `INSERT INTO ${table} (${cols.join(", ")}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(", ")})`,
      cols.map((c) => row[c]),
    );
  }

  async involve(caseId: string, key: OrgKey, role: string, startedAt: Date, by: string, end?: { at: Date; reason: string; by: string }) {
    return this.insert("involvement", {
      case_id: caseId,
      organisation_id: this.org(key),
      role,
      started_at: startedAt,
      created_by: by,
      ended_at: end?.at ?? null,
      end_reason: end?.reason ?? null,
      ended_by: end?.by ?? null,
    });
  }

  async lifeDomains(caseId: string, on: string, by: string, scores: Record<LifeDomain, number | [number, string]>) {
    for (const domain of LIFE_DOMAINS) {
      const v = scores[domain];
      const [score, note] = Array.isArray(v) ? v : [v, null];
      await this.link("life_domain_score", { case_id: caseId, domain, score, assessed_on: on, note, created_at: new Date(`${on}T12:00:00`), created_by: by });
    }
  }

  async share(caseId: string, agreementId: string, keys: OrgKey[], at: Date, by: string) {
    for (const k of keys) {
      await this.link("safety_agreement_share", { agreement_id: agreementId, organisation_id: this.org(k), case_id: caseId, shared_at: at, shared_by: by });
    }
  }

  async invite(caseId: string, meetingId: string, keys: OrgKey[]) {
    for (const k of keys) await this.link("meeting_invitee", { meeting_id: meetingId, organisation_id: this.org(k), case_id: caseId });
  }
}

/** `date` plus `months` calendar months, the day clamped to the month's end (as the monitoring module schedules). */
function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split("-").map(Number);
  const last = new Date(y, m - 1 + months + 1, 0).getDate();
  return localDate(new Date(y, m - 1 + months, Math.min(d, last)));
}

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return localDate(new Date(y, m - 1, d + days));
}

function localDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Timestamps of a versioned row created at `at` by `by` and not changed since. */
function stamp(at: Date, by: string): Row {
  return { created_at: at, created_by: by, updated_at: at, updated_by: by };
}

// ---------------------------------------------------------------------------------------------
// De Boer — open case, regie, plan, safety plan, risk twice, MDOs, signals, consent, monitoring

async function seedDeBoer(s: Seeder): Promise<void> {
  const vt = s.user("a.dekker");
  const jansen = s.user("r.jansen");
  const bakker = s.user("m.bakker");
  const smit = s.user("g.smit");
  const ib = s.user("ib");
  const gp = s.user("h.devries");
  const bos = s.user("s.bos");
  const handedOver = s.at({ months: -4 }, 10);
  const handedOverOn = s.day({ months: -4 });
  const regieChange = s.at({ months: -3, days: -5 }, 9);

  const familyId = await s.insert("family", { name: "De Boer", has_children: true, ...stamp(handedOver, vt) });
  // BSNs as Veilig Thuis recorded them at handover: fictional numbers that pass the 11-proef
  // (encrypted at rest by s.insert; the privacy officer finds the parents by them)
  const member = (given: string, kind: "ADULT" | "CHILD", birth: string, school: OrgKey | null, bsn: string | null = null) =>
    s.insert("family_member", {
      family_id: familyId,
      kind,
      given_name: given,
      family_name: "de Boer",
      birth_date: birth,
      bsn,
      school_id: school && s.org(school),
      gp_id: s.org("hap"),
      ...stamp(handedOver, vt),
    });
  const peter = await member("Peter", "ADULT", s.born(41, 150), null, "100000034");
  const sandra = await member("Sandra", "ADULT", s.born(38, 40), null, "100000022");
  const daan = await member("Daan", "CHILD", s.born(9, 120), "vlinder");
  const sara = await member("Sara", "CHILD", s.born(6, 200), "vlinder");

  const caseId = await s.insert("case_file", { family_id: familyId, status: "OPEN", opened_at: handedOver, ...stamp(handedOver, vt) });

  await s.insert("handover", {
    case_id: caseId,
    from_organisation_id: s.org("vt"),
    outcome:
      "Zorgmelding van de politie na een incident van huiselijk geweld: fysiek geweld tussen ouders (duwen, slaan), beide kinderen waren thuis en hebben het gehoord. " +
      "Onderzoek Veilig Thuis afgerond. Conclusie: er is sprake van partnergeweld met de kinderen als getuige; daarmee is ook sprake van kindermishandeling. " +
      "Ouders erkennen de zorgen en willen hulp in vrijwillig kader. De onveiligheid is nog niet gestopt: spanningen rond geldzorgen na het ontslag van vader en zijn alcoholgebruik bij spanning houden aan. " +
      "Overdracht aan het Sociaal Wijkteam voor regie en passende hulp; Veilig Thuis voert na drie maanden een monitoringscontact uit.",
    help_already_involved:
      "Huisarts (kent moeder in verband met slaap- en somberheidsklachten). Basisschool De Vlinder (IB'er heeft eerder zorgen over te laat komen van Daan besproken met moeder). " +
      "JGZ (reguliere contactmomenten, laatste bij Sara). Geen jeugdhulp of schuldhulpverlening actief.",
    safety_conditions: [
      "Er is geen fysiek geweld meer tussen ouders, ook niet in het bijzijn van de kinderen.",
      "Bij oplopende spanning neemt vader een time-out buiten de woning (bij zijn broer) en drinkt hij die avond geen alcohol.",
      "Ouders accepteren hulp gericht op de-escalatie en opvoeding en werken mee met de regisseur.",
      "Daan en Sara hebben een veilige volwassene buiten het gezin (oma) die zij kunnen bellen en bij wie zij terechtkunnen.",
    ],
    written_handover_received: true,
    written_handover_received_on: handedOverOn,
    warm_handover_on: s.day({ months: -4, days: 6 }),
    closing_letter_recipients: ["CLIENT", "SCHOOL", "GP"],
    handed_over_at: handedOver,
    ...stamp(handedOver, vt),
  });

  await s.involve(caseId, "vt", "Veilig Thuis: overdracht en monitoring", handedOver, vt);
  await s.involve(caseId, "swt", "regie", handedOver, vt);
  await s.involve(caseId, "vlinder", "school", handedOver, vt);
  await s.involve(caseId, "hap", "huisarts", handedOver, vt);
  await s.involve(caseId, "jgz", "jeugdgezondheidszorg", handedOver, vt);
  await s.involve(caseId, "brug", "jeugdhulp", s.at({ months: -3, days: -20 }, 11), bakker);

  await s.insert("regie_assignment", {
    case_id: caseId,
    kind: "CASE",
    professional_id: bakker,
    organisation_id: s.org("swt"),
    reason: "Eerste casusregisseur na de warme overdracht door Veilig Thuis.",
    started_at: handedOver,
    created_by: vt,
    ended_at: regieChange,
    ended_by: bakker,
  });
  await s.insert("regie_assignment", {
    case_id: caseId,
    kind: "CASE",
    professional_id: jansen,
    organisation_id: s.org("swt"),
    reason: "Regie overgedragen bij herverdeling van de caseload; Roos Jansen is ook contactpersoon van De Vlinder.",
    started_at: regieChange,
    created_by: bakker,
  });

  // risk: structured, twice, each with a weighed conclusion
  await s.insert("risk_assessment", {
    case_id: caseId,
    instrument: "LIRIK",
    assessed_on: s.day({ months: -4, days: 3 }),
    level: "HIGH",
    conclusion:
      "Hoog risico op herhaling van partnergeweld met de kinderen als getuige. Risicofactoren: recent fysiek geweld, eerdere politiecontacten, alcoholgebruik van vader bij spanning, " +
      "financiële stress na ontslag, weinig steunend netwerk, somberheid van moeder. Beschermend: ouders erkennen de zorgen, willen hulp, goede band met oma, school is alert. " +
      "Afweging: het risico is hoog maar beïnvloedbaar in vrijwillig kader, mits er binnen twee weken een veiligheidsplan ligt en jeugdhulp start. Opnieuw taxeren na drie maanden.",
    assessor_id: smit,
    created_at: s.at({ months: -4, days: 3 }, 15),
    created_by: smit,
  });
  await s.insert("risk_assessment", {
    case_id: caseId,
    instrument: "ARIJ",
    assessed_on: s.day({ months: -1 }),
    level: "ELEVATED",
    conclusion:
      "Risico gedaald van hoog naar verhoogd. Sinds de start van de hulp geen fysiek geweld meer; wel twee verbale escalaties, waarbij de time-out-afspraak is nageleefd. " +
      "Vader drinkt minder maar nog niet structureel niet. Geldzorgen houden aan (geen schuldhulpverlening gestart). Daan laat op school wisselend zorgsignalen zien. " +
      "Afweging: de veiligheid is verbeterd maar nog niet stabiel; hulp voortzetten, schuldhulpverlening inzetten en veiligheidsafspraken aanscherpen in het MDO.",
    assessor_id: jansen,
    created_at: s.at({ months: -1 }, 14),
    created_by: jansen,
  });

  // the one plan
  const planAt = s.at({ months: -4, days: 12 }, 13);
  await s.insert("plan", {
    case_id: caseId,
    problem_analysis:
      "Ouders hebben een conflictueuze relatie waarin spanningen escaleren tot fysiek geweld, met Daan en Sara als getuige. Uitlokkende factoren zijn geldzorgen na het ontslag van vader, " +
      "zijn alcoholgebruik bij spanning en weinig steun uit het netwerk. Moeder heeft somberheids- en slaapklachten. Daan (9) komt te laat op school, is stil en kan zich slecht concentreren; " +
      "Sara (6) schrikt van harde geluiden en plast soms weer in bed. Beschermende factoren: beide ouders willen dat de kinderen veilig opgroeien, de band met oma is goed en school is betrokken.",
    help_question:
      "Hoe kunnen wij ruzies oplossen zonder dat het uit de hand loopt, zodat Daan en Sara zich thuis weer veilig voelen? En hoe krijgen we onze geldzaken weer op orde?",
    family_words:
      "Sandra: \"We willen allebei dat het rustig wordt thuis. Als Peter weer werk heeft en we minder geldzorgen hebben, gaat het beter.\" " +
      "Peter: \"Ik weet dat ik weg moet gaan als het oploopt. Dat lukt nu vaker. Ik wil niet dat de kinderen bang voor mij zijn.\"",
    children_words:
      "Daan (gesprek op school, samen met de IB'er): \"Als papa en mama ruzie maken ga ik met Sara naar boven en zet ik muziek aan. Ik wil dat het gewoon stopt.\" " +
      "Sara (gesprek thuis, met een tekening van haar huis en dat van oma): \"Bij oma is het rustig. Daar wil ik logeren als het thuis hard is.\"",
    children_heard: true,
    created_at: planAt,
    created_by: bakker,
    updated_at: s.at({ months: -1 }, 16),
    updated_by: jansen,
    version: 3,
  });

  await s.lifeDomains(caseId, s.day({ months: -4, days: 10 }), bakker, {
    FINANCES: [2, "Betalingsachterstanden huur en energie sinds ontslag vader."],
    WORK_EDUCATION: [2, "Vader werkloos; moeder werkt 16 uur. Daan komt regelmatig te laat."],
    TIME_USE: 3,
    HOUSING: 4,
    DOMESTIC_RELATIONS: [1, "Partnergeweld; kinderen getuige."],
    MENTAL_HEALTH: [2, "Moeder somber, slaapt slecht; vader snel geprikkeld."],
    PHYSICAL_HEALTH: 4,
    SUBSTANCE_USE: [2, "Vader drinkt bij spanning, vooral in het weekend."],
    BASIC_ADL: 5,
    INSTRUMENTAL_ADL: 3,
    SOCIAL_NETWORK: [2, "Alleen oma (moeders kant) en een buurman als steun."],
    SOCIAL_PARTICIPATION: 3,
    JUSTICE: [3, "Politieregistratie na het incident; geen strafzaak."],
  });
  await s.lifeDomains(caseId, s.day({ months: -1 }), jansen, {
    FINANCES: [2, "Nog geen schuldhulpverlening; aanmelding besproken."],
    WORK_EDUCATION: [3, "Vader solliciteert via het werkgeversservicepunt; Daan vaker op tijd."],
    TIME_USE: 3,
    HOUSING: 4,
    DOMESTIC_RELATIONS: [2, "Geen fysiek geweld meer; wel verbale escalaties."],
    MENTAL_HEALTH: [3, "Moeder verwezen naar POH-GGZ; slaapt beter."],
    PHYSICAL_HEALTH: 4,
    SUBSTANCE_USE: [3, "Vader drinkt minder, geen alcohol meer doordeweeks."],
    BASIC_ADL: 5,
    INSTRUMENTAL_ADL: 4,
    SOCIAL_NETWORK: [3, "Oma en buurman hebben een vaste rol in het veiligheidsplan."],
    SOCIAL_PARTICIPATION: 3,
    JUSTICE: 4,
  });

  const brugPlan = await s.insert("partial_plan", {
    case_id: caseId,
    organisation_id: s.org("brug"),
    title: "Gezinsbehandeling De Brug: de-escalatie en opvoeding",
    summary:
      "Wekelijkse gezinsbehandeling (12 weken, daarna evaluatie): ouders leren spanning herkennen en de-escaleren; psycho-educatie over de impact van huiselijk geweld op kinderen; " +
      "drie individuele gesprekken met Sara over gevoelens en veiligheid.",
    status: "ACTIVE",
    ...stamp(s.at({ months: -3, days: -18 }, 11), bos),
  });

  const goal = (row: Row) => s.insert("goal", { case_id: caseId, ...stamp(planAt, bakker), ...row });
  await goal({
    title: "Er is geen fysiek geweld meer in het gezin en ruzies escaleren niet meer waar de kinderen bij zijn",
    description: "Veiligheidsdoel uit de veiligheidsvoorwaarden van Veilig Thuis.",
    domain: "DOMESTIC_RELATIONS",
    is_safety_goal: true,
    priority: 1,
    target_measure: "Geen incidenten met fysiek geweld; elke escalatie wordt binnen 24 uur aan de regisseur gemeld en besproken.",
    due_on: s.day({ months: 2 }),
    responsible_organisation_id: s.org("swt"),
  });
  await goal({
    title: "Daan is elke schooldag op tijd op school en kan zich in de klas beter concentreren",
    domain: "WORK_EDUCATION",
    member_id: daan,
    priority: 2,
    target_measure: "Maximaal één keer te laat per maand; leerkracht ziet in het groepsplan verbetering in concentratie.",
    due_on: s.day({ months: 3 }),
    responsible_organisation_id: s.org("vlinder"),
  });
  await goal({
    title: "Sandra heeft haar somberheids- en slaapklachten onder controle",
    description: "Huisarts volgt moeder en heeft verwezen naar de POH-GGZ; zo nodig verwijzing naar de basis-GGZ.",
    domain: "MENTAL_HEALTH",
    priority: 3,
    target_measure: "Moeder slaapt minimaal vijf nachten per week door; score op de somberheidsvragenlijst daalt.",
    due_on: s.day({ months: 3 }),
    responsible_organisation_id: s.org("hap"),
  });
  await goal({
    partial_plan_id: brugPlan,
    title: "Ouders herkennen oplopende spanning bij zichzelf en elkaar en passen de afgesproken de-escalatie toe",
    domain: "DOMESTIC_RELATIONS",
    priority: 2,
    target_measure: "Ouders benoemen hun eigen signalen en laten in de behandeling zien dat zij de time-out toepassen.",
    due_on: s.day({ months: 1 }),
    responsible_organisation_id: s.org("brug"),
    ...stamp(s.at({ months: -3, days: -18 }, 11), bos),
  });
  await goal({
    partial_plan_id: brugPlan,
    title: "Sara kan benoemen wat ze voelt en weet bij wie ze terechtkan als het thuis onrustig is",
    domain: "MENTAL_HEALTH",
    member_id: sara,
    priority: 2,
    target_measure: "Sara noemt in het kindgesprek minstens twee volwassenen die ze kan bellen of naar toe kan gaan.",
    due_on: s.day({ months: 1, days: 14 }),
    responsible_organisation_id: s.org("brug"),
    ...stamp(s.at({ months: -3, days: -18 }, 11), bos),
  });

  const oma = await s.insert("network_member", {
    case_id: caseId,
    name: "Ria Hermsen",
    relation: "grootmoeder (moeder van Sandra)",
    phone: "06-20000001",
    contribution: "Vangt Daan en Sara op bij escalatie; kinderen kennen haar nummer. Haalt Sara op woensdag uit school.",
    ...stamp(planAt, bakker),
  });
  await s.insert("network_member", {
    case_id: caseId,
    name: "Henk Willems",
    relation: "buurman",
    phone: "06-20000002",
    contribution: "Aanspreekpunt voor de kinderen in de straat; belt 112 bij geluiden van geweld.",
    ...stamp(planAt, bakker),
  });

  const safetyAt = s.at({ months: -4, days: 7 }, 14);
  const safetyPlan = await s.insert("safety_plan", {
    case_id: caseId,
    signals_to_watch:
      "Vader drinkt doordeweeks; ruzies over geld; Daan komt te laat, verzuimt of is stil en schrikachtig in de klas; Sara wil niet naar huis of plast weer in bed; " +
      "moeder zegt afspraken af; letsel zonder passende verklaring.",
    whom_to_call:
      "Acuut gevaar: 112. Regisseur Roos Jansen (SWT): 06-10000001 op werkdagen. Buiten kantoortijd: Veilig Thuis 0800-2000. Opvang kinderen: oma Ria Hermsen 06-20000001.",
    made_with_client: true,
    created_at: safetyAt,
    created_by: bakker,
    updated_at: s.at({ days: -21 }, 16),
    updated_by: jansen,
    version: 2,
  });
  const agreement = (row: Row) => s.insert("safety_agreement", { case_id: caseId, safety_plan_id: safetyPlan, status: "ACTIVE", ...stamp(safetyAt, bakker), ...row });
  const timeOut = await agreement({
    priority: 1,
    what: "Bij oplopende spanning gaat Peter direct de deur uit naar zijn broer en meldt dat dezelfde dag aan de regisseur; er is geen alcohol in huis.",
    criterion: "Geen fysiek geweld; iedere time-out is binnen 24 uur gemeld; bij huisbezoek is geen alcohol aanwezig.",
    responsible_kind: "CLIENT",
    responsible_description: "Peter en Sandra de Boer",
    due_on: s.day({ months: 2 }),
    report_to_organisation_id: s.org("swt"),
    version: 2,
    updated_at: s.at({ days: -21 }, 16),
    updated_by: jansen,
  });
  const omaAgreement = await agreement({
    priority: 2,
    what: "Bij escalatie haalt oma Ria Daan en Sara op en vangt hen op tot de regisseur contact heeft gehad met ouders.",
    criterion: "Oma is telefonisch bereikbaar; beide kinderen kunnen haar nummer opzeggen (gecontroleerd in het kindgesprek).",
    responsible_kind: "NETWORK_MEMBER",
    responsible_network_member_id: oma,
    report_to_organisation_id: s.org("swt"),
  });
  const schoolAgreement = await agreement({
    priority: 3,
    what: "De IB'er van De Vlinder heeft wekelijks een kort gesprek met Daan en meldt zorgsignalen (te laat, verzuim, letsel, angst) dezelfde dag aan de regisseur.",
    criterion: "Wekelijks contactmoment vastgelegd in het leerlingdossier; signalen binnen één schooldag gemeld.",
    responsible_kind: "ORGANISATION",
    responsible_organisation_id: s.org("vlinder"),
    due_on: s.day({ months: 3 }),
    report_to_organisation_id: s.org("swt"),
  });
  const brugAgreement = await agreement({
    priority: 4,
    what: "De Brug biedt wekelijks gezinsbehandeling gericht op de-escalatie en neemt bij signalen van onveiligheid dezelfde dag contact op met de regisseur.",
    criterion: "Minimaal drie van de vier afspraken per maand gaan door; verslag na elke vier sessies aan de regisseur.",
    responsible_kind: "ORGANISATION",
    responsible_organisation_id: s.org("brug"),
    due_on: s.day({ months: 1 }),
    report_to_organisation_id: s.org("swt"),
    ...stamp(s.at({ months: -3, days: -18 }, 11), bakker),
  });
  const gpAgreement = await agreement({
    priority: 5,
    what: "De huisarts ziet Sandra elke twee weken en bespreekt letsel of andere signalen van onveiligheid volgens de meldcode met de regisseur en zo nodig Veilig Thuis.",
    criterion: "Consult elke twee weken gepland; signalen binnen één werkdag gedeeld met de regisseur.",
    responsible_kind: "ORGANISATION",
    responsible_organisation_id: s.org("hap"),
    report_to_organisation_id: s.org("swt"),
  });
  // Shared where the organisation has a part in it; the parents' own time-out and De Brug's
  // treatment stay unknown to the school (need to know).
  await s.share(caseId, timeOut, ["hap", "jgz"], safetyAt, bakker);
  await s.share(caseId, omaAgreement, ["vlinder", "jgz"], safetyAt, bakker);
  await s.share(caseId, schoolAgreement, ["vlinder", "jgz"], safetyAt, bakker);
  await s.share(caseId, brugAgreement, ["brug", "jgz"], s.at({ months: -3, days: -18 }, 11), bakker);
  await s.share(caseId, gpAgreement, ["hap"], safetyAt, bakker);

  // consent (given by both parents, for the household)
  const consentOn = s.day({ months: -4, days: 6 });
  await s.insert("consent", {
    case_id: caseId,
    organisation_id: s.org("vlinder"),
    categories: ["plan", "meetingMinutes", "safety"],
    purpose: "Afstemming van de begeleiding van Daan en Sara op school met het gezinsplan en de veiligheidsafspraken.",
    subject_member_id: null,
    given_by_member_ids: [peter, sandra],
    consent_rule: "ADULT",
    given_on: consentOn,
    valid_until: s.day({ months: 8 }),
    created_at: s.at({ months: -4, days: 6 }, 15),
    created_by: bakker,
  });
  await s.insert("consent", {
    case_id: caseId,
    organisation_id: s.org("hap"),
    categories: ["plan", "risk", "lifeDomains", "meetingMinutes"],
    purpose: "De huisarts kan gezondheidsklachten van ouders plaatsen in het licht van de veiligheid en het gezinsplan.",
    subject_member_id: null,
    given_by_member_ids: [peter, sandra],
    consent_rule: "ADULT",
    given_on: consentOn,
    created_at: s.at({ months: -4, days: 6 }, 15),
    created_by: bakker,
  });

  // MDO held three weeks ago, next one in two weeks
  const invitees: OrgKey[] = ["swt", "vlinder", "hap", "jgz", "brug"];
  const heldAt = s.at({ days: -21 }, 14);
  const held = await s.insert("meeting", {
    case_id: caseId,
    kind: "MDO",
    scheduled_at: heldAt,
    location: "Wijkcentrum De Ster, Waalbeek-Noord",
    agenda: "1. Veiligheid sinds de start (ARIJ-uitkomst)\n2. Signaal van school over Daan\n3. Voortgang gezinsbehandeling De Brug\n4. Geldzorgen en werk\n5. Veiligheidsafspraken bijstellen",
    status: "HELD",
    minutes:
      "Aanwezig: Roos Jansen (SWT, regisseur), Ilse Brouwer (IB De Vlinder), Hanna de Vries (huisarts), Lotte van Dijk (JGZ), Sanne Bos (De Brug), Peter en Sandra de Boer. Oma Ria Hermsen was verhinderd.\n" +
      "1. De regisseur licht de ARIJ toe: het risico is gedaald naar verhoogd. Geen fysiek geweld meer; twee verbale escalaties waarbij vader de time-out nam.\n" +
      "2. School meldt dat Daan in één week drie keer te laat kwam en stil was; ouders herkennen dat dit samenviel met een ruzie over geld.\n" +
      "3. De Brug: ouders komen trouw; zij herkennen hun eigen signalen steeds beter. Sara heeft twee kindgesprekken gehad.\n" +
      "4. Geldzorgen blijven de belangrijkste bron van spanning; ouders willen hulp bij schulden.\n" +
      "5. Afspraak 1 (time-out) wordt aangescherpt, zie besluiten. Overige afspraken blijven staan.",
    family_invited: true,
    network_invited: true,
    held_at: heldAt,
    ...stamp(s.at({ days: -42 }, 10), jansen),
    updated_at: s.at({ days: -21 }, 16),
    version: 2,
  });
  await s.invite(caseId, held, invitees);
  await s.link("meeting_decision", {
    meeting_id: held,
    case_id: caseId,
    text: "De time-out-afspraak wordt aangescherpt: vader gaat bij oplopende spanning direct naar zijn broer, meldt dit dezelfde dag aan de regisseur, en er is geen alcohol in huis.",
    created_at: s.at({ days: -21 }, 16),
    created_by: jansen,
  });
  await s.link("meeting_decision", {
    meeting_id: held,
    case_id: caseId,
    text: "De regisseur meldt het gezin binnen twee weken aan bij schuldhulpverlening; ouders leveren de overzichten van hun betalingsachterstanden aan.",
    created_at: s.at({ days: -21 }, 16),
    created_by: jansen,
  });
  await s.link("meeting_changed_agreement", { meeting_id: held, agreement_id: timeOut, case_id: caseId, changed_at: s.at({ days: -21 }, 16) });

  const planned = await s.insert("meeting", {
    case_id: caseId,
    kind: "MDO",
    scheduled_at: s.at({ days: 14 }, 14),
    location: "Wijkcentrum De Ster, Waalbeek-Noord",
    agenda: "1. Veiligheid sinds het vorige MDO\n2. Aanmelding schuldhulpverlening\n3. Evaluatie gezinsbehandeling De Brug (12 weken)\n4. Signaal van de huisarts",
    status: "PLANNED",
    family_invited: true,
    network_invited: true,
    ...stamp(s.at({ days: -21 }, 16), jansen),
  });
  await s.invite(caseId, planned, invitees);

  // signals: one acknowledged, one waiting for the regisseur
  await s.insert("signal", {
    case_id: caseId,
    reporting_organisation_id: s.org("vlinder"),
    reported_by: ib,
    member_id: daan,
    observed_on: s.day({ days: -30 }),
    urgency: "NORMAL",
    description: "Daan kwam deze week drie keer te laat en was erg stil in de klas. Hij vertelde de leerkracht dat het thuis 'weer onrustig' was. Geen letsel gezien.",
    acknowledged_at: s.at({ days: -29 }, 9),
    acknowledged_by: jansen,
    acknowledgement_note: "Besproken met ouders en met De Brug; geagendeerd voor het MDO.",
    created_at: s.at({ days: -30 }, 15),
  });
  await s.insert("signal", {
    case_id: caseId,
    reporting_organisation_id: s.org("hap"),
    reported_by: gp,
    member_id: sandra,
    observed_on: s.day({ days: -2 }),
    urgency: "HIGH",
    description: "Sandra was op het spreekuur met toegenomen slaapproblemen. Zij vertelde dat Peter na een afwijzing op een sollicitatie weer meer drinkt. Geen letsel gezien; zij voelt zich thuis nu veilig.",
    created_at: s.at({ days: -2 }, 11),
  });

  await s.insert("key_decision", {
    case_id: caseId,
    decision:
      "De hulp blijft in vrijwillig kader; geen nieuwe melding bij Veilig Thuis. Bij een nieuw incident met fysiek geweld overlegt de regisseur dezelfde dag met Veilig Thuis over opschaling.",
    decided_on: s.day({ months: -1, days: 2 }),
    decided_by: jansen,
    consulted: "Gert Smit (gedragswetenschapper SWT); Sanne Bos (De Brug); Anouk Dekker (Veilig Thuis).",
    behavioural_scientist_id: smit,
    information_basis:
      "ARIJ-risicotaxatie (verhoogd risico), LIRIK bij de start (hoog), overdracht en veiligheidsvoorwaarden van Veilig Thuis, voortgangsverslag De Brug, signaal van De Vlinder, gesprekken met ouders en kinderen.",
    created_at: s.at({ months: -1, days: 2 }, 12),
    created_by: jansen,
  });

  // Veilig Thuis monitoring: done on time, safety not yet restored, next check in two months
  const nextCheck = s.day({ months: 2 });
  const firstDue = addMonths(handedOverOn, VT_MONITORING_MONTHS);
  await s.insert("monitoring_contact", {
    case_id: caseId,
    due_on: firstDue,
    contacted_on: addDays(firstDue, 2),
    safety_restored: false,
    outcome:
      "Telefonisch contact met moeder en met de regisseur. Geen fysiek geweld meer, wel nog verbale escalaties en aanhoudende geldzorgen. Hulp loopt (De Brug, huisarts). " +
      "Veiligheid nog niet duurzaam hersteld: Veilig Thuis monitort opnieuw over twee maanden.",
    next_check_on: nextCheck,
    contacted_by: vt,
    ...stamp(handedOver, vt),
    updated_at: s.at({ months: -1, days: 2 }, 11),
    version: 2,
  });
  await s.insert("monitoring_contact", {
    case_id: caseId,
    due_on: nextCheck,
    ...stamp(s.at({ months: -1, days: 2 }, 11), vt),
  });
}

// ---------------------------------------------------------------------------------------------
// Yilmaz — just handed over: written handover in, warm handover still to do, no regisseur yet

async function seedYilmaz(s: Seeder): Promise<void> {
  const vt = s.user("a.dekker");
  const handedOver = s.at({ days: -3 }, 11);

  const familyId = await s.insert("family", { name: "Yilmaz", has_children: true, ...stamp(handedOver, vt) });
  await s.insert("family_member", {
    family_id: familyId,
    kind: "ADULT",
    given_name: "Ayşe",
    family_name: "Yilmaz",
    birth_date: s.born(34, 90),
    gp_id: s.org("hap"),
    ...stamp(handedOver, vt),
  });
  await s.insert("family_member", {
    family_id: familyId,
    kind: "CHILD",
    given_name: "Emre",
    family_name: "Yilmaz",
    birth_date: s.born(7, 60),
    school_id: s.org("anker"),
    gp_id: s.org("hap"),
    ...stamp(handedOver, vt),
  });

  const caseId = await s.insert("case_file", { family_id: familyId, status: "OPEN", opened_at: handedOver, ...stamp(handedOver, vt) });
  await s.insert("handover", {
    case_id: caseId,
    from_organisation_id: s.org("vt"),
    outcome:
      "Melding door Basisschool Het Anker: Emre vertelde op school dat hij thuis een klap had gekregen. Onderzoek Veilig Thuis afgerond. Moeder is sinds de scheiding alleenstaand, " +
      "overbelast en heeft geen netwerk in de buurt; zij erkent dat zij Emre bij overbelasting fysiek heeft gestraft. Geen letsel vastgesteld. Moeder staat open voor ondersteuning. " +
      "Overdracht aan het Sociaal Wijkteam voor opvoedondersteuning en het versterken van het netwerk.",
    help_already_involved: "Basisschool Het Anker (zorgcoördinator kent het gezin). Huisarts bekend met moeder. Geen hulpverlening actief.",
    safety_conditions: [
      "Moeder gebruikt geen fysiek geweld bij de opvoeding van Emre.",
      "Moeder belt bij overbelasting haar zus of het wijkteam in plaats van te straffen.",
      "Emre gaat elke dag naar school; school meldt ongeoorloofde afwezigheid dezelfde dag aan het wijkteam.",
    ],
    written_handover_received: true,
    written_handover_received_on: s.day({ days: -3 }),
    warm_handover_on: null,
    closing_letter_recipients: ["CLIENT", "SCHOOL"],
    handed_over_at: handedOver,
    ...stamp(handedOver, vt),
  });
  await s.involve(caseId, "vt", "Veilig Thuis: overdracht en monitoring", handedOver, vt);
  await s.involve(caseId, "swt", "wijkteam (regie nog toe te wijzen)", handedOver, vt);
  await s.involve(caseId, "anker", "school", handedOver, vt);

  await s.insert("monitoring_contact", { case_id: caseId, due_on: addMonths(s.day({ days: -3 }), VT_MONITORING_MONTHS), ...stamp(handedOver, vt) });
}

// ---------------------------------------------------------------------------------------------
// Verbeek — household without children, Regieteam, GGZ, shared with the GP without consent

async function seedVerbeek(s: Seeder): Promise<void> {
  const vt = s.user("a.dekker");
  const mulder = s.user("p.mulder");
  const meijer = s.user("k.meijer");
  const handedOver = s.at({ months: -6 }, 10);

  const familyId = await s.insert("family", { name: "Verbeek", has_children: false, ...stamp(handedOver, vt) });
  for (const [given, age] of [
    ["Marco", 46],
    ["Linda", 43],
  ] as const) {
    await s.insert("family_member", {
      family_id: familyId,
      kind: "ADULT",
      given_name: given,
      family_name: "Verbeek",
      birth_date: s.born(age, 100 + age),
      gp_id: s.org("hap"),
      ...stamp(handedOver, vt),
    });
  }

  const caseId = await s.insert("case_file", { family_id: familyId, status: "OPEN", opened_at: handedOver, ...stamp(handedOver, vt) });
  await s.insert("handover", {
    case_id: caseId,
    from_organisation_id: s.org("vt"),
    outcome:
      "Melding door de politie na partnergeweld (duwen, slaan) tussen Marco en Linda Verbeek; eerdere incidenten zijn bekend. Onderzoek Veilig Thuis afgerond: wederkerig partnergeweld " +
      "in combinatie met schulden, werkloosheid en psychische klachten van Marco (PTSS-klachten, impulsiviteit). Beiden willen bij elkaar blijven en accepteren hulp. " +
      "Vanwege de meervoudige problematiek overgedragen aan het Regieteam.",
    help_already_involved: "Huisarts (Linda eerder gezien met letsel; Marco met slaapproblemen). Eerder kortdurend schuldhulpverlening, voortijdig gestopt.",
    safety_conditions: [
      "Er is geen fysiek geweld; bij escalatie verlaat één van beiden de woning.",
      "Marco start binnen vier weken met behandeling bij GGZ Oever.",
      "Linda heeft een veilig adres (vriendin) en weet wanneer zij 112 belt.",
    ],
    written_handover_received: true,
    written_handover_received_on: s.day({ months: -6 }),
    warm_handover_on: s.day({ months: -6, days: 4 }),
    closing_letter_recipients: ["CLIENT", "ORGANISATIONS", "GP"],
    handed_over_at: handedOver,
    ...stamp(handedOver, vt),
  });
  await s.involve(caseId, "vt", "Veilig Thuis: overdracht en monitoring", handedOver, vt);
  await s.involve(caseId, "regieteam", "regie", handedOver, vt);
  await s.involve(caseId, "ggz", "ggz-behandeling", s.at({ months: -5, days: -10 }, 10), mulder);
  await s.involve(caseId, "hap", "huisarts", handedOver, vt);
  await s.insert("regie_assignment", {
    case_id: caseId,
    kind: "CASE",
    professional_id: mulder,
    organisation_id: s.org("regieteam"),
    reason: "Meervoudige problematiek: casusregie door het Regieteam.",
    started_at: handedOver,
    created_by: vt,
  });

  const riskOn = s.day({ months: -6, days: 8 });
  await s.insert("risk_assessment", {
    case_id: caseId,
    instrument: "OTHER",
    instrument_other: "B-SAFER (partnergeweld)",
    assessed_on: riskOn,
    level: "ELEVATED",
    conclusion:
      "Verhoogd risico op herhaling van partnergeweld. Risicofactoren: eerdere incidenten, schulden, werkloosheid, impulsiviteit en PTSS-klachten van Marco, geen behandeling. " +
      "Beschermend: beiden erkennen het geweld en willen hulp; Linda heeft een veilig adres. Afweging: risico beheersbaar mits de GGZ-behandeling start, het veiligheidsplan wordt nageleefd " +
      "en de huisarts signalen kan plaatsen.",
    assessor_id: mulder,
    created_at: s.at({ months: -6, days: 8 }, 15),
    created_by: mulder,
  });

  const planAt = s.at({ months: -5, days: -20 }, 13);
  await s.insert("plan", {
    case_id: caseId,
    problem_analysis:
      "Spanningen tussen Marco en Linda lopen op rond geldzorgen en Marco's psychische klachten; ruzies escaleren over en weer tot duwen en slaan. Er is weinig structuur in de dag sinds Marco zijn baan verloor. " +
      "Het netwerk is klein; Linda's vriendin is de belangrijkste steun.",
    help_question: "Wij willen zonder geweld met elkaar omgaan en weer grip krijgen op onze schulden.",
    family_words: "Linda: \"Ik wil niet weg, ik wil dat het ophoudt.\" Marco: \"Ik schrik van mezelf als ik zo kwaad word. Ik wil er hulp voor.\"",
    children_heard: false,
    ...stamp(planAt, mulder),
  });
  await s.lifeDomains(caseId, s.day({ months: -5, days: -20 }), mulder, {
    FINANCES: [1, "Schulden bij meerdere schuldeisers; beslaglegging dreigt."],
    WORK_EDUCATION: [2, "Marco werkloos; Linda werkt parttime."],
    TIME_USE: 2,
    HOUSING: 3,
    DOMESTIC_RELATIONS: [1, "Wederkerig partnergeweld."],
    MENTAL_HEALTH: [2, "PTSS-klachten en impulsiviteit Marco."],
    PHYSICAL_HEALTH: 4,
    SUBSTANCE_USE: 4,
    BASIC_ADL: 5,
    INSTRUMENTAL_ADL: 3,
    SOCIAL_NETWORK: 2,
    SOCIAL_PARTICIPATION: 2,
    JUSTICE: [3, "Politieregistraties huiselijk geweld."],
  });
  const ggzPlan = await s.insert("partial_plan", {
    case_id: caseId,
    organisation_id: s.org("ggz"),
    title: "GGZ Oever: traumabehandeling en agressieregulatie (Marco)",
    summary: "EMDR voor PTSS-klachten en een groepstraining agressieregulatie; wekelijks, evaluatie na 16 weken.",
    status: "ACTIVE",
    ...stamp(s.at({ months: -5, days: -10 }, 10), meijer),
  });
  const goal = (row: Row) => s.insert("goal", { case_id: caseId, ...stamp(planAt, mulder), ...row });
  await goal({
    title: "Er is geen fysiek geweld meer tussen Marco en Linda",
    domain: "DOMESTIC_RELATIONS",
    is_safety_goal: true,
    priority: 1,
    target_measure: "Geen incidenten; escalaties worden in het wekelijkse contact met de regisseur besproken.",
    due_on: s.day({ months: 1 }),
    responsible_organisation_id: s.org("regieteam"),
  });
  await goal({
    partial_plan_id: ggzPlan,
    title: "Marco herkent zijn spanningssignalen en gebruikt zijn signaleringsplan",
    domain: "MENTAL_HEALTH",
    priority: 2,
    target_measure: "Signaleringsplan opgesteld en door Marco en Linda ondertekend; toepassing besproken in de behandeling.",
    due_on: s.day({ months: 1 }),
    responsible_organisation_id: s.org("ggz"),
    ...stamp(s.at({ months: -5, days: -10 }, 10), meijer),
  });
  await goal({
    title: "Het huishouden heeft een stabiele schuldregeling",
    domain: "FINANCES",
    priority: 3,
    target_measure: "Aanmelding schuldhulpverlening afgerond en een budgetbeheer actief.",
    due_on: s.day({ months: 3 }),
    responsible_organisation_id: s.org("regieteam"),
  });

  const safetyAt = s.at({ months: -6, days: 9 }, 11);
  const safetyPlan = await s.insert("safety_plan", {
    case_id: caseId,
    signals_to_watch: "Marco slaapt slecht of sluit zich af; brieven van deurwaarders; ruzies over geld; Linda zegt afspraken af of heeft letsel.",
    whom_to_call: "Acuut gevaar: 112. Regisseur Petra Mulder (Regieteam): 06-10000005. Buiten kantoortijd: Veilig Thuis 0800-2000. Veilig adres Linda: via de regisseur bekend.",
    made_with_client: true,
    ...stamp(safetyAt, mulder),
  });
  const agreement = (row: Row) => s.insert("safety_agreement", { case_id: caseId, safety_plan_id: safetyPlan, status: "ACTIVE", ...stamp(safetyAt, mulder), ...row });
  const timeOut = await agreement({
    priority: 1,
    what: "Bij oplopende spanning verlaat Marco de woning voor minimaal een uur en gaat wandelen of naar zijn zus.",
    criterion: "Geen fysiek geweld; elke time-out wordt in het wekelijkse contact met de regisseur besproken.",
    responsible_kind: "CLIENT",
    responsible_description: "Marco Verbeek",
    report_to_organisation_id: s.org("regieteam"),
  });
  const ggzAgreement = await agreement({
    priority: 2,
    what: "GGZ Oever meldt gemiste behandelafspraken en signalen van toenemende agressie dezelfde dag aan de regisseur.",
    criterion: "Opkomst minimaal 90%; melding binnen één werkdag.",
    responsible_kind: "ORGANISATION",
    responsible_organisation_id: s.org("ggz"),
    report_to_organisation_id: s.org("regieteam"),
  });
  const gpAgreement = await agreement({
    priority: 3,
    what: "De huisarts let bij consulten van Linda op letsel en signalen van onveiligheid en bespreekt die volgens de meldcode met de regisseur.",
    criterion: "Signalen binnen één werkdag gedeeld met de regisseur.",
    responsible_kind: "ORGANISATION",
    responsible_organisation_id: s.org("hap"),
    report_to_organisation_id: s.org("regieteam"),
  });
  await s.share(caseId, timeOut, ["ggz", "hap"], safetyAt, mulder);
  await s.share(caseId, ggzAgreement, ["ggz"], safetyAt, mulder);
  await s.share(caseId, gpAgreement, ["hap"], safetyAt, mulder);

  await s.insert("sharing_decision", {
    case_id: caseId,
    organisation_id: s.org("hap"),
    categories: ["risk", "safety"],
    legal_basis: "Meldcode huiselijk geweld en kindermishandeling / art. 5.2.6 Wmo 2015",
    weighing:
      "Linda en Marco hebben geen toestemming gegeven om de risicotaxatie en de veiligheidsafspraken met de huisarts te delen: Linda is bang dat Marco boos wordt als de huisarts ervan weet. " +
      "De huisarts ziet Linda regelmatig, heeft haar eerder met letsel gezien en is daarmee een belangrijk signaalpunt. Het risico op herhaling van partnergeweld is verhoogd (B-SAFER). " +
      "Zonder kennis van het risico en de afspraken kan de huisarts nieuwe signalen niet plaatsen. Proportionaliteit: alleen het risiconiveau met conclusie en de veiligheidsafspraken worden gedeeld, " +
      "niet het plan of de leefgebieden. Subsidiariteit: toestemming is gevraagd en geweigerd; een minder ingrijpende weg om het gevaar af te wenden is er niet. " +
      "Het belang van het voorkomen van ernstig letsel weegt zwaarder dan het bezwaar van cliënten. Cliënten zijn geïnformeerd over wat er gedeeld wordt en waarom. " +
      "Overlegd met Veilig Thuis (A. Dekker) en vastgelegd als kernbeslissing.",
    decided_by: mulder,
    decided_on: s.day({ months: -6, days: 9 }),
    created_at: s.at({ months: -6, days: 9 }, 15),
    created_by: mulder,
  });
  await s.insert("key_decision", {
    case_id: caseId,
    decision: "Risicotaxatie en veiligheidsafspraken worden zonder toestemming gedeeld met de huisarts.",
    decided_on: s.day({ months: -6, days: 9 }),
    decided_by: mulder,
    consulted: "Anouk Dekker (Veilig Thuis); collegiale consultatie binnen het Regieteam.",
    information_basis: "Overdracht Veilig Thuis, B-SAFER-risicotaxatie, gesprekken met Linda en Marco, eerdere letselsignalen bij de huisarts.",
    created_at: s.at({ months: -6, days: 9 }, 15),
    created_by: mulder,
  });

  await s.insert("monitoring_contact", {
    case_id: caseId,
    due_on: addMonths(s.day({ months: -6 }), VT_MONITORING_MONTHS),
    contacted_on: addDays(addMonths(s.day({ months: -6 }), VT_MONITORING_MONTHS), 1),
    safety_restored: true,
    outcome: "Gesprek met Linda en met de regisseur: geen fysiek geweld sinds de overdracht; Marco is in behandeling bij GGZ Oever. Veiligheid hersteld; monitoring afgesloten.",
    contacted_by: vt,
    ...stamp(handedOver, vt),
    updated_at: s.at({ months: -3, days: 1 }, 11),
    version: 2,
  });
}

// ---------------------------------------------------------------------------------------------
// Hendriks — closed after an evaluation that compares the risk at the start with the risk now

async function seedHendriks(s: Seeder): Promise<void> {
  const vt = s.user("a.dekker");
  const bakker = s.user("m.bakker");
  const smit = s.user("g.smit");
  const bos = s.user("s.bos");
  const handedOver = s.at({ months: -13 }, 10);
  const closedAt = s.at({ days: -20 }, 16);

  const familyId = await s.insert("family", { name: "Hendriks", has_children: true, ...stamp(handedOver, vt) });
  await s.insert("family_member", {
    family_id: familyId,
    kind: "ADULT",
    given_name: "Monique",
    family_name: "Hendriks",
    birth_date: s.born(39, 30),
    gp_id: s.org("hap"),
    ...stamp(handedOver, vt),
  });
  await s.insert("family_member", {
    family_id: familyId,
    kind: "CHILD",
    given_name: "Lars",
    family_name: "Hendriks",
    birth_date: s.born(10, 250),
    school_id: s.org("anker"),
    gp_id: s.org("hap"),
    ...stamp(handedOver, vt),
  });

  const caseId = await s.insert("case_file", {
    family_id: familyId,
    status: "CLOSED",
    opened_at: handedOver,
    closed_at: closedAt,
    close_reason: "GOALS_MET",
    close_note: "Doelen behaald; risico gedaald van hoog naar laag. Afgesloten na evaluatie met moeder, Lars en de betrokken organisaties.",
    ...stamp(handedOver, vt),
    updated_at: closedAt,
    updated_by: bakker,
    version: 2,
  });
  await s.insert("handover", {
    case_id: caseId,
    from_organisation_id: s.org("vt"),
    outcome:
      "Melding door de politie: Monique Hendriks is door haar toenmalige partner mishandeld; Lars was getuige. De ex-partner heeft een contactverbod en woont niet meer in huis. " +
      "Onderzoek Veilig Thuis afgerond: moeder is beschermend maar uitgeput; Lars heeft angst- en slaapklachten. Overdracht aan het Sociaal Wijkteam.",
    help_already_involved: "Basisschool Het Anker (extra begeleiding Lars). Huisarts bekend met moeder.",
    safety_conditions: [
      "Er is geen contact tussen de ex-partner en moeder of Lars zolang het contactverbod geldt.",
      "Moeder belt 112 als de ex-partner zich bij de woning of de school meldt.",
      "Lars krijgt hulp bij het verwerken van wat hij heeft meegemaakt.",
    ],
    written_handover_received: true,
    written_handover_received_on: s.day({ months: -13 }),
    warm_handover_on: s.day({ months: -13, days: 5 }),
    closing_letter_recipients: ["CLIENT", "ORGANISATIONS", "SCHOOL", "GP"],
    handed_over_at: handedOver,
    ...stamp(handedOver, vt),
  });
  await s.involve(caseId, "vt", "Veilig Thuis: overdracht en monitoring", handedOver, vt);
  await s.involve(caseId, "swt", "regie", handedOver, vt);
  await s.involve(caseId, "anker", "school", handedOver, vt);
  await s.involve(caseId, "brug", "jeugdhulp", s.at({ months: -12, days: -20 }, 10), bakker, {
    at: s.at({ days: -22 }, 12),
    reason: "Traumabehandeling Lars afgerond en geëvalueerd met het gezin.",
    by: bakker,
  });
  await s.insert("regie_assignment", {
    case_id: caseId,
    kind: "CASE",
    professional_id: bakker,
    organisation_id: s.org("swt"),
    reason: "Casusregie na de overdracht door Veilig Thuis.",
    started_at: handedOver,
    created_by: vt,
    ended_at: closedAt,
    ended_by: bakker,
  });

  const riskAtStart = await s.insert("risk_assessment", {
    case_id: caseId,
    instrument: "LIRIK",
    assessed_on: s.day({ months: -12, days: -25 }),
    level: "HIGH",
    conclusion:
      "Hoog risico: ernstig fysiek geweld door de ex-partner in het recente verleden, dreigementen na het vertrek, Lars getuige. Beschermend: contactverbod, moeder is beschermend en zoekt hulp. " +
      "Afweging: de veiligheid hangt af van naleving van het contactverbod en snelle reactie van school en politie; traumabehandeling voor Lars is nodig.",
    assessor_id: smit,
    created_at: s.at({ months: -12, days: -25 }, 15),
    created_by: smit,
  });
  const riskNow = await s.insert("risk_assessment", {
    case_id: caseId,
    instrument: "LIRIK",
    assessed_on: s.day({ months: -1 }),
    level: "LOW",
    conclusion:
      "Laag risico: al meer dan negen maanden geen contact met of dreiging van de ex-partner; Lars heeft de traumabehandeling afgerond en slaapt goed. Moeder heeft een steunend netwerk opgebouwd. " +
      "Afweging: geen hulp vanuit het wijkteam meer nodig; school en huisarts blijven alert.",
    assessor_id: bakker,
    created_at: s.at({ months: -1 }, 15),
    created_by: bakker,
  });

  const planAt = s.at({ months: -12, days: -20 }, 13);
  await s.insert("plan", {
    case_id: caseId,
    problem_analysis: "Na het geweld door de ex-partner zijn moeder en Lars angstig en uitgeput. Lars slaapt slecht en is op school snel afgeleid. Moeder heeft weinig netwerk.",
    help_question: "Wij willen ons weer veilig voelen in ons eigen huis.",
    family_words: "Monique: \"Ik wil dat Lars weer gewoon kind kan zijn.\"",
    children_words: "Lars: \"Ik wil dat hij nooit meer komt. En ik wil weer bij voetbal.\"",
    children_heard: true,
    ...stamp(planAt, bakker),
  });
  const brugPlan = await s.insert("partial_plan", {
    case_id: caseId,
    organisation_id: s.org("brug"),
    title: "De Brug: traumabehandeling Lars",
    summary: "Traumagerichte behandeling (12 sessies) met ouderbegeleiding voor moeder.",
    status: "COMPLETED",
    ...stamp(s.at({ months: -12, days: -20 }, 10), bos),
    updated_at: s.at({ months: -2 }, 12),
  });
  const goal = (row: Row) => s.insert("goal", { case_id: caseId, ...stamp(planAt, bakker), ...row });
  const goalResults: [string, string][] = [];
  goalResults.push([
    await goal({
      title: "Moeder en Lars zijn veilig: er is geen contact met de ex-partner",
      domain: "DOMESTIC_RELATIONS",
      is_safety_goal: true,
      priority: 1,
      target_measure: "Geen overtredingen van het contactverbod; moeder weet wanneer zij 112 belt.",
      responsible_organisation_id: s.org("swt"),
      status: "ACHIEVED",
    }),
    "ACHIEVED",
  ]);
  goalResults.push([
    await goal({
      partial_plan_id: brugPlan,
      title: "Lars heeft minder angst- en slaapklachten",
      domain: "MENTAL_HEALTH",
      priority: 2,
      target_measure: "Lars slaapt vijf nachten per week door; angstscore na behandeling in het normale gebied.",
      responsible_organisation_id: s.org("brug"),
      status: "ACHIEVED",
      ...stamp(s.at({ months: -12, days: -20 }, 10), bos),
    }),
    "ACHIEVED",
  ]);
  goalResults.push([
    await goal({
      title: "Moeder heeft een netwerk waar zij op kan terugvallen",
      domain: "SOCIAL_NETWORK",
      priority: 3,
      target_measure: "Minstens twee mensen die moeder kan bellen bij zorgen of spanning.",
      responsible_organisation_id: s.org("swt"),
      status: "PARTIALLY_ACHIEVED",
    }),
    "PARTIALLY_ACHIEVED",
  ]);

  const safetyAt = s.at({ months: -13, days: 6 }, 11);
  const safetyPlan = await s.insert("safety_plan", {
    case_id: caseId,
    signals_to_watch: "De ex-partner wordt gezien bij de woning of de school; Lars is angstig of wil niet naar huis.",
    whom_to_call: "Acuut gevaar: 112. Regisseur Mehmet Bakker (SWT): 06-10000002. Buiten kantoortijd: Veilig Thuis 0800-2000.",
    made_with_client: true,
    ...stamp(safetyAt, bakker),
  });
  const schoolAgreement = await s.insert("safety_agreement", {
    case_id: caseId,
    safety_plan_id: safetyPlan,
    priority: 1,
    what: "Het Anker geeft Lars alleen mee aan moeder of oma en belt 112 en de regisseur als de ex-partner zich bij school meldt.",
    criterion: "Ophaallijst bij de leerkracht; geen incidenten bij school.",
    responsible_kind: "ORGANISATION",
    responsible_organisation_id: s.org("anker"),
    report_to_organisation_id: s.org("swt"),
    status: "MET",
    ...stamp(safetyAt, bakker),
  });
  await s.insert("safety_agreement", {
    case_id: caseId,
    safety_plan_id: safetyPlan,
    priority: 2,
    what: "Moeder belt 112 zodra de ex-partner bij de woning komt en meldt elk contactverzoek aan de regisseur.",
    criterion: "Elk contactverzoek binnen een dag gemeld.",
    responsible_kind: "CLIENT",
    responsible_description: "Monique Hendriks",
    report_to_organisation_id: s.org("swt"),
    status: "MET",
    ...stamp(safetyAt, bakker),
  });
  await s.share(caseId, schoolAgreement, ["anker"], safetyAt, bakker);

  const firstDue = addMonths(s.day({ months: -13 }), VT_MONITORING_MONTHS);
  const secondDue = addMonths(firstDue, 3);
  await s.insert("monitoring_contact", {
    case_id: caseId,
    due_on: firstDue,
    contacted_on: firstDue,
    safety_restored: false,
    outcome: "Contactverbod wordt nageleefd, maar Lars heeft nog veel angstklachten en de behandeling is net gestart. Opnieuw contact over drie maanden.",
    next_check_on: secondDue,
    contacted_by: vt,
    ...stamp(handedOver, vt),
    version: 2,
  });
  await s.insert("monitoring_contact", {
    case_id: caseId,
    due_on: secondDue,
    contacted_on: addDays(secondDue, 3),
    safety_restored: true,
    outcome: "Geen contact of dreiging van de ex-partner; Lars slaapt beter. Veiligheid hersteld; monitoring afgesloten.",
    contacted_by: vt,
    ...stamp(new Date(`${firstDue}T12:00:00`), vt),
    version: 2,
  });

  const evaluationId = await s.insert("evaluation", {
    case_id: caseId,
    evaluated_on: s.day({ days: -24 }),
    with_family: true,
    participant_organisation_ids: [s.org("swt"), s.org("anker"), s.org("brug"), s.org("vt")],
    goals_summary:
      "Het veiligheidsdoel en de traumabehandeling van Lars zijn behaald; het netwerk van moeder is gegroeid (buurvrouw en een collega) maar nog klein. " +
      "Risico bij de start hoog (LIRIK), nu laag (LIRIK): de onveiligheid is gestopt en duurzaam.",
    risk_at_start_id: riskAtStart,
    risk_now_id: riskNow,
    client_experience:
      "Monique: \"Ik voel me weer baas in mijn eigen huis. Het hielp dat school, het wijkteam en De Brug dezelfde afspraken kenden; ik hoefde mijn verhaal niet steeds opnieuw te doen.\" " +
      "Lars: \"Thuis is het nu gewoon rustig. Ik zit weer op voetbal.\"",
    outcome: "CLOSE",
    created_at: s.at({ days: -24 }, 15),
    created_by: bakker,
  });
  for (const [goalId, result] of goalResults) {
    await s.link("evaluation_goal", { evaluation_id: evaluationId, goal_id: goalId, case_id: caseId, result });
  }
}
