import { Arg, Ctx as GqlCtx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { Cat } from "../../access/field.js";
import { LocalDate } from "../../common/scalars.js";
import type { Ctx } from "../../context.js";
import type { CaseEntity } from "../cases/case.entity.js";
import { Case } from "../cases/case.type.js";
import { caseIndicators, myWorklist, networkIndicators, organisationIndicators } from "./indicators.service.js";
import { CaseIndicator, IndicatorCaseRef, NetworkIndicators, OrganisationIndicators, WorklistEntry } from "./indicators.type.js";
import { networkCsv, networkHtml } from "./report.js";

const PERIOD = "Period start (default: the first of the month 11 months before `to`)";

@Resolver(() => Case)
export class CaseIndicatorsResolver {
  @FieldResolver(() => [CaseIndicator], {
    nullable: true,
    description: "De twaalf indicatoren van het toezichtkader for this case, today (or on its closing date): met, not met or not applicable, with evidence and what is missing",
  })
  @Cat("Case", CATEGORIES.INDICATORS)
  indicators(@Root() c: CaseEntity, @GqlCtx() ctx: Ctx) {
    return caseIndicators(ctx, c.id);
  }
}

@Resolver(() => WorklistEntry)
export class WorklistResolver {
  @Query(() => [WorklistEntry], {
    description: "Werkvoorraad: the open cases the viewer holds regie in, ordered by what needs doing soonest (overdue first). Live: WORKLIST_DUE changes on myChanges when an item becomes due",
  })
  @Cat("Query", CATEGORIES.INDICATORS)
  myWorklist(@GqlCtx() ctx: Ctx) {
    return myWorklist(ctx);
  }

  @FieldResolver(() => Case, { nullable: true })
  @Cat("WorklistEntry", CATEGORIES.CASE)
  async case(@Root() e: WorklistEntry, @GqlCtx() ctx: Ctx) {
    return (await ctx.access.load(e.caseId))?.entity ?? null;
  }
}

@Resolver(() => IndicatorCaseRef)
export class IndicatorCaseRefResolver {
  @FieldResolver(() => Case, { nullable: true, description: "The case (null when the viewer can no longer see it)" })
  @Cat("IndicatorCaseRef", CATEGORIES.CASE)
  async case(@Root() r: IndicatorCaseRef, @GqlCtx() ctx: Ctx) {
    return (await ctx.access.load(r.caseId))?.entity ?? null;
  }
}

@Resolver(() => OrganisationIndicators)
export class OrganisationIndicatorsResolver {
  @Query(() => OrganisationIndicators, {
    description: "Indicatoren van de eigen organisatie (MANAGER): per indicator the share of the cases it was involved in that meet it, per month, and the cases behind each figure",
  })
  @Cat("Query", CATEGORIES.INDICATORS)
  organisationIndicators(
    @Arg("from", () => LocalDate, { nullable: true, description: PERIOD }) from: string | undefined,
    @Arg("to", () => LocalDate, { nullable: true, description: "Period end (default today)" }) to: string | undefined,
    @GqlCtx() ctx: Ctx,
  ) {
    return organisationIndicators(ctx, from, to);
  }
}

@Resolver(() => NetworkIndicators)
export class NetworkIndicatorsResolver {
  @Query(() => NetworkIndicators, {
    description: "Indicatoren van het hele netwerk (AUDITOR, MANAGER), anonymised: counts only; figures over fewer than minimumCellSize cases are null and suppressed",
  })
  @Cat("Query", CATEGORIES.INDICATORS)
  networkIndicators(
    @Arg("from", () => LocalDate, { nullable: true, description: PERIOD }) from: string | undefined,
    @Arg("to", () => LocalDate, { nullable: true, description: "Period end (default today)" }) to: string | undefined,
    @GqlCtx() ctx: Ctx,
  ) {
    return networkIndicators(ctx, from, to);
  }

  @FieldResolver(() => String, { description: "The report as CSV (also GET /reports/network.csv)" })
  @Cat("NetworkIndicators", CATEGORIES.INDICATORS)
  csv(@Root() n: NetworkIndicators) {
    return networkCsv(n);
  }

  @FieldResolver(() => String, { description: "The report as a printable HTML page, laid out like the inspection's (also GET /reports/network.html)" })
  @Cat("NetworkIndicators", CATEGORIES.INDICATORS)
  html(@Root() n: NetworkIndicators) {
    return networkHtml(n);
  }
}
