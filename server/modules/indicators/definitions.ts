/**
 * The twelve indicators of the inspection framework (Toezicht Sociaal Domein, "Het lokale
 * netwerk na Veilig Thuis", Bijlage 1 of the Nijmegen report; DOMAIN.md §5), with the themes
 * they are reported under and the hub's operationalisation of each decision rule.
 */
export const INDICATOR_CODES = [
  "HANDOVER",
  "SIGHT_ON_SAFETY",
  "SAFETY_PLAN",
  "SAFETY_GOALS_AND_REGIE",
  "FITTING_HELP",
  "ONE_PLAN",
  "INFORMATION_SHARING",
  "SIGNALS_AND_ADJUSTMENT",
  "CASE_EVALUATION",
  "RISK_COMPARED",
  "ORGANISATION_RESULTS",
  "NETWORK_EVALUATION",
] as const;
export type IndicatorCode = (typeof INDICATOR_CODES)[number];

export const INDICATOR_STATUSES = ["MET", "NOT_MET", "NOT_APPLICABLE"] as const;
export type IndicatorStatus = (typeof INDICATOR_STATUSES)[number];

export interface IndicatorDefinition {
  number: number;
  code: IndicatorCode;
  /** Thema of the framework (Dutch) */
  theme: string;
  /** Short Dutch title */
  title: string;
  /** The framework's indicator text (Dutch) */
  indicator: string;
  /** How the hub decides it from the records (Dutch) */
  rule: string;
}

const T1 = "Maatregelen voor herstel directe veiligheid";
const T2 = "Passende hulp voor herstel van veiligheid op langere termijn";
const T3 = "Evaluatie van werkzame elementen";

export const INDICATORS: readonly IndicatorDefinition[] = [
  {
    number: 1,
    code: "HANDOVER",
    theme: T1,
    title: "Overdracht vanuit Veilig Thuis",
    indicator: "Bij de overdracht wordt de benodigde informatie overgedragen vanuit Veilig Thuis naar de professional.",
    rule: "Schriftelijke overdracht ontvangen, met overzicht van de betrokken hulpverlening en de veiligheidsvoorwaarden (het veiligheidsplan van Veilig Thuis).",
  },
  {
    number: 2,
    code: "SIGHT_ON_SAFETY",
    theme: T1,
    title: "Zicht op veiligheid",
    indicator: "Er wordt zicht gehouden op herstel van veiligheid door de professional.",
    rule: "Recente risicotaxatie met afgewogen conclusie; bij hoog of acuut risico daarna een MDO of kernbeslissing; VT-monitoring op tijd.",
  },
  {
    number: 3,
    code: "SAFETY_PLAN",
    theme: T1,
    title: "Veiligheidsplan",
    indicator: "Er is een veiligheidsplan opgesteld, samen met de cliënt en de professionals, en bekend bij alle betrokken partijen.",
    rule: "Veiligheidsplan samen met de cliënt gemaakt, met afspraken (wie, aan wie rapporteren), gedeeld met (en gezien door) elke betrokken organisatie.",
  },
  {
    number: 4,
    code: "SAFETY_GOALS_AND_REGIE",
    theme: T1,
    title: "Veiligheidsdoelen en regie",
    indicator: "De doelen in het veiligheidsplan zijn geprioriteerd en concreet; het is duidelijk wie regie voert.",
    rule: "Veiligheidsafspraken met onderscheidende prioriteit en een termijn; één actieve casusregisseur.",
  },
  {
    number: 5,
    code: "FITTING_HELP",
    theme: T2,
    title: "Passende hulp",
    indicator: "De leefgebieden en de zelfredzaamheid zijn in kaart; de hulpvraag is met het gezin (en de kinderen) geformuleerd.",
    rule: "Financiën, huisvesting, geestelijke gezondheid, dagelijks leven, sociaal netwerk (en bij kinderen: huiselijke relaties) gescoord; hulpvraag en eigen woorden van gezin en kinderen vastgelegd.",
  },
  {
    number: 6,
    code: "ONE_PLAN",
    theme: T2,
    title: "1 Gezin, 1 Plan, 1 Regisseur",
    indicator: "Eén plan met gedeelde probleemanalyse en één regisseur; deelplannen afgestemd; het sociale netwerk in kaart en ingezet.",
    rule: "Plan met probleemanalyse, casusregisseur, elk actief deelplan aan doelen gekoppeld, netwerkleden vastgelegd en ingezet.",
  },
  {
    number: 7,
    code: "INFORMATION_SHARING",
    theme: T2,
    title: "Informatie delen",
    indicator: "Informatie wordt gedeeld met toestemming, of de afweging om zonder toestemming te delen is inzichtelijk.",
    rule: "Voor elke betrokken ketenpartner een geldige toestemming of een vastgelegd besluit tot delen zonder toestemming.",
  },
  {
    number: 8,
    code: "SIGNALS_AND_ADJUSTMENT",
    theme: T2,
    title: "Signaleren en bijsturen",
    indicator: "De professional signaleert gedurende het hele proces of aanpassing van de hulp nodig is.",
    rule: "Signalen van partners op tijd bevestigd; regelmatig een MDO gehouden.",
  },
  {
    number: 9,
    code: "CASE_EVALUATION",
    theme: T3,
    title: "Evaluatie op casusniveau",
    indicator: "Er wordt op casusniveau systematisch geëvalueerd, met het gezin en de betrokken instanties, met de ervaring van de cliënt.",
    rule: "Evaluatie op tijd, met het gezin, met andere organisaties, en de ervaring van de cliënt vastgelegd.",
  },
  {
    number: 10,
    code: "RISK_COMPARED",
    theme: T3,
    title: "Risico bij start en nu vergeleken",
    indicator: "Bij de evaluatie is vastgesteld of de veiligheidsrisico's zijn verminderd: start en huidige situatie vergeleken.",
    rule: "De evaluatie verwijst naar de risicotaxatie bij de start en een latere risicotaxatie.",
  },
  {
    number: 11,
    code: "ORGANISATION_RESULTS",
    theme: T3,
    title: "Resultaten per organisatie",
    indicator: "De instelling brengt de resultaten en knelpunten van de eigen hulp in beeld.",
    rule: "In de evaluatie is het resultaat van elk doel uit de deelplannen van de betrokken organisaties vastgelegd.",
  },
  {
    number: 12,
    code: "NETWORK_EVALUATION",
    theme: T3,
    title: "Gezamenlijke evaluatie door het netwerk",
    indicator: "Het lokale netwerk evalueert gezamenlijk de resultaten en de samenhang van de hulp.",
    rule: "Alle betrokken organisaties namen deel aan de evaluatie van de casus.",
  },
];

export const INDICATOR_BY_CODE = new Map(INDICATORS.map((d) => [d.code, d]));

/** Dutch names of the life domains (zelfredzaamheidsmatrix), for "what is missing" texts. */
export const LIFE_DOMAIN_NL: Record<string, string> = {
  FINANCES: "Financiën",
  WORK_EDUCATION: "Werk & opleiding",
  TIME_USE: "Tijdsbesteding",
  HOUSING: "Huisvesting",
  DOMESTIC_RELATIONS: "Huiselijke relaties",
  MENTAL_HEALTH: "Geestelijke gezondheid",
  PHYSICAL_HEALTH: "Lichamelijke gezondheid",
  SUBSTANCE_USE: "Middelengebruik",
  BASIC_ADL: "Basale ADL",
  INSTRUMENTAL_ADL: "Instrumentele ADL",
  SOCIAL_NETWORK: "Sociaal netwerk",
  SOCIAL_PARTICIPATION: "Maatschappelijke participatie",
  JUSTICE: "Justitie",
};

/** Worklist items: what the regisseur (or Veilig Thuis) has to do by a date. */
export const WORKLIST_KINDS = [
  "RISK_ASSESSMENT",
  "SAFETY_PLAN",
  "MONITORING",
  "SIGNAL",
  "MEETING",
  "EVALUATION",
  "AGREEMENT",
  "CONSENT",
  "MISSING",
] as const;
export type WorklistKind = (typeof WORKLIST_KINDS)[number];
