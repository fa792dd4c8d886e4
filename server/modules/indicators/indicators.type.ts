import { Float, ID, Int, ObjectType } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { CField } from "../../access/field.js";
import { stringEnum } from "../../common/enums.js";
import { LocalDate } from "../../common/scalars.js";
import { INDICATOR_CODES, INDICATOR_STATUSES, WORKLIST_KINDS, type IndicatorCode, type IndicatorStatus, type WorklistKind } from "./definitions.js";

const I = CATEGORIES.INDICATORS;

export const IndicatorCodeEnum = stringEnum(INDICATOR_CODES, "IndicatorCode", "The twelve indicators of the inspection framework (Toezicht Sociaal Domein, DOMAIN.md §5), in order 1–12");
export const IndicatorStatusEnum = stringEnum(INDICATOR_STATUSES, "IndicatorStatus", "Voldaan, niet voldaan, niet van toepassing");
export const WorklistKindEnum = stringEnum(WORKLIST_KINDS, "WorklistKind", "What a worklist item asks for; MISSING: a condition to fulfil without a date");

@ObjectType({ description: "Onderbouwing: the record an indicator's outcome rests on (type and id of the record, its date)" })
export class IndicatorEvidence {
  @CField(I, () => String, { description: "GraphQL type of the record, e.g. RiskAssessment, SafetyPlan, Handover" }) recordType!: string;
  @CField(I, () => ID) recordId!: string;
  @CField(I, () => LocalDate, { nullable: true }) date!: string | null;
  @CField(I, () => String, { nullable: true, description: "Generated note (never client data), e.g. 'niveau HIGH'" }) note!: string | null;
}

@ObjectType({ description: "Werkvoorraad-item: something to do in a case, by a date (or now, when undated)" })
export class WorklistItem {
  @CField(I, () => WorklistKindEnum) kind!: WorklistKind;
  @CField(I, () => IndicatorCodeEnum) indicator!: IndicatorCode;
  @CField(I, () => LocalDate, { nullable: true }) dueOn!: string | null;
  @CField(I, () => Boolean, { description: "Past its date" }) overdue!: boolean;
  @CField(I, () => Boolean, { description: "Due within the warning window (INDICATOR_WARNING_DAYS) or overdue" }) dueSoon!: boolean;
  @CField(I, () => String, { description: "Dutch, e.g. 'VT-monitoring over 7 dagen (8-12-2026)'" }) text!: string;
}

@ObjectType({ description: "Indicator van het toezichtkader, evaluated for one case from its records" })
export class CaseIndicator {
  @CField(I, () => Int, { description: "1–12" }) number!: number;
  @CField(I, () => IndicatorCodeEnum) code!: IndicatorCode;
  @CField(I, () => String, { description: "Thema of the framework" }) theme!: string;
  @CField(I, () => String) title!: string;
  @CField(I, () => IndicatorStatusEnum) status!: IndicatorStatus;
  @CField(I, () => LocalDate, { description: "The date the case was judged on: today, or its closing date" }) evaluatedOn!: string;
  @CField(I, () => [IndicatorEvidence]) evidence!: IndicatorEvidence[];
  @CField(I, () => [String], { description: "What is missing (Dutch), e.g. 'veiligheidsplan niet gezien door Basisschool Het Anker'" }) missing!: string[];
  @CField(I, () => [WorklistItem], { description: "What is due for this indicator, soonest first" }) due!: WorklistItem[];
}

@ObjectType({ description: "Werkvoorraad: one of the regisseur's cases with what needs doing, soonest first" })
export class WorklistEntry {
  @CField(I, () => ID) caseId!: string;
  @CField(I, () => LocalDate, { nullable: true, description: "The earliest date among the items" }) firstDueOn!: string | null;
  @CField(I, () => Int) overdueCount!: number;
  @CField(I, () => Int, { description: "Indicators not met" }) notMetCount!: number;
  @CField(I, () => [WorklistItem]) items!: WorklistItem[];
  // case: indicators.resolver.ts
}

@ObjectType({ description: "A worklist item that became due (the subject of a WORKLIST_DUE change)" })
export class WorklistNotice {
  @CField(I, () => ID) id!: string;
  @CField(I, () => ID) caseId!: string;
  @CField(I, () => WorklistKindEnum) kind!: WorklistKind;
  @CField(I, () => IndicatorCodeEnum) indicator!: IndicatorCode;
  @CField(I, () => LocalDate) dueOn!: string;
  @CField(I, () => String) text!: string;
  @CField(I, () => Date) createdAt!: Date;
}

// ---------------------------------------------------------------------------------------------
// Organisation figures (MANAGER)

@ObjectType({ description: "A case behind an organisation figure" })
export class IndicatorCaseRef {
  @CField(I, () => ID) caseId!: string;
  @CField(I, () => IndicatorStatusEnum) status!: IndicatorStatus;
  @CField(I, () => [String], { description: "What is missing (Dutch)" }) missing!: string[];
  // case: indicators.resolver.ts
}

@ObjectType({ description: "Counts of one indicator over a set of cases" })
export class IndicatorCount {
  @CField(I, () => Int) number!: number;
  @CField(I, () => IndicatorCodeEnum) code!: IndicatorCode;
  @CField(I, () => String) title!: string;
  @CField(I, () => Int, { description: "Cases where the indicator applies (met + not met)" }) applicable!: number;
  @CField(I, () => Int) met!: number;
  @CField(I, () => Int) notMet!: number;
  @CField(I, () => Int) notApplicable!: number;
  @CField(I, () => Float, { nullable: true, description: "met / applicable (0–1); null when nothing applies" }) share!: number | null;
}

@ObjectType({ description: "One indicator for the organisation's cases, with the cases behind the figure" })
export class OrganisationIndicatorFigure {
  // (no inheritance: field categories are registered per class)
  @CField(I, () => Int) number!: number;
  @CField(I, () => IndicatorCodeEnum) code!: IndicatorCode;
  @CField(I, () => String) title!: string;
  @CField(I, () => String) theme!: string;
  @CField(I, () => Int, { description: "Cases where the indicator applies (met + not met)" }) applicable!: number;
  @CField(I, () => Int) met!: number;
  @CField(I, () => Int) notMet!: number;
  @CField(I, () => Int) notApplicable!: number;
  @CField(I, () => Float, { nullable: true, description: "met / applicable (0–1); null when nothing applies" }) share!: number | null;
  @CField(I, () => [IndicatorCaseRef], { description: "Cases not meeting it: most missing first (pick these up first)" }) notMetCases!: IndicatorCaseRef[];
  @CField(I, () => [IndicatorCaseRef]) metCases!: IndicatorCaseRef[];
}

@ObjectType({ description: "The organisation's figures in one month (cases active in it, judged at its end)" })
export class OrganisationIndicatorMonth {
  @CField(I, () => String, { description: "YYYY-MM" }) month!: string;
  @CField(I, () => Int) cases!: number;
  @CField(I, () => [IndicatorCount]) figures!: IndicatorCount[];
}

@ObjectType({ description: "Indicatoren per organisatie: the share of its cases meeting each indicator over a period, per month, and the cases behind each figure" })
export class OrganisationIndicators {
  @CField(I, () => ID) organisationId!: string;
  @CField(I, () => String) organisationName!: string;
  @CField(I, () => LocalDate) from!: string;
  @CField(I, () => LocalDate) to!: string;
  @CField(I, () => Int, { description: "Cases the organisation was involved in during the period" }) cases!: number;
  @CField(I, () => [OrganisationIndicatorFigure]) figures!: OrganisationIndicatorFigure[];
  @CField(I, () => [OrganisationIndicatorMonth]) trend!: OrganisationIndicatorMonth[];
}

// ---------------------------------------------------------------------------------------------
// Network figures (AUDITOR): counts only — no ids, names or free text anywhere below

@ObjectType({ description: "How many cases missed an indicator for one reason (only counts of at least the minimum cell size)" })
export class NetworkReasonCount {
  @CField(I, () => String, { description: "Generic Dutch reason, e.g. 'veiligheidsplan niet gedeeld met alle betrokken organisaties'" }) reason!: string;
  @CField(I, () => Int) cases!: number;
}

@ObjectType({ description: "One indicator over the network's cases, anonymised: null and suppressed when fewer cases than the minimum cell size apply" })
export class NetworkIndicatorFigure {
  @CField(I, () => Int) number!: number;
  @CField(I, () => IndicatorCodeEnum) code!: IndicatorCode;
  @CField(I, () => String) theme!: string;
  @CField(I, () => String) title!: string;
  @CField(I, () => Boolean) suppressed!: boolean;
  @CField(I, () => Int, { nullable: true }) applicable!: number | null;
  @CField(I, () => Int, { nullable: true }) met!: number | null;
  @CField(I, () => Int, { nullable: true }) notMet!: number | null;
  @CField(I, () => Float, { nullable: true }) share!: number | null;
  @CField(I, () => [NetworkReasonCount], { description: "Wat kan beter: the most frequent reasons (empty in monthly figures)" }) reasons!: NetworkReasonCount[];
}

@ObjectType({ description: "The network's figures in one month" })
export class NetworkIndicatorMonth {
  @CField(I, () => String, { description: "YYYY-MM" }) month!: string;
  @CField(I, () => Boolean) suppressed!: boolean;
  @CField(I, () => Int, { nullable: true }) cases!: number | null;
  @CField(I, () => [NetworkIndicatorFigure]) figures!: NetworkIndicatorFigure[];
}

@ObjectType({ description: "Indicatoren van het lokale netwerk: all cases of the network over a period, anonymised (counts only, small figures suppressed)" })
export class NetworkIndicators {
  @CField(I, () => LocalDate) from!: string;
  @CField(I, () => LocalDate) to!: string;
  @CField(I, () => Int, { description: "Figures over fewer cases are suppressed" }) minimumCellSize!: number;
  @CField(I, () => Boolean) suppressed!: boolean;
  @CField(I, () => Int, { nullable: true }) cases!: number | null;
  @CField(I, () => [NetworkIndicatorFigure]) figures!: NetworkIndicatorFigure[];
  @CField(I, () => [NetworkIndicatorMonth]) trend!: NetworkIndicatorMonth[];
  // csv, html: indicators.resolver.ts
}
