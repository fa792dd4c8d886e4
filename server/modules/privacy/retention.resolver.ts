import { Arg, Ctx as GqlCtx, ID, Int, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { CField, Cat } from "../../access/field.js";
import { BadInputError } from "../../common/errors.js";
import type { Ctx } from "../../context.js";
import { retentionRuns, runRetention, type RetentionResult } from "./retention.js";


@ObjectType({ description: "What one retention run did (or, in a dry run, would do) for one data category: counts only" })
export class RetentionLine {
  @CField(CATEGORIES.RETENTION, () => String, { description: "Data category, or accessLog" }) category!: string;
  @CField(CATEGORIES.RETENTION, () => Int, { description: "Term in years (after the case closed; for the access log, after the entry)" }) termYears!: number;
  @CField(CATEGORIES.RETENTION, () => Date, { description: "Everything closed (or logged) before this moment was due" }) cutoff!: Date;
  @CField(CATEGORIES.RETENTION, () => Int, { description: "Closed cases whose term had passed" }) cases!: number;
  @CField(CATEGORIES.RETENTION, () => Int, { description: "Records erased (or cleared); in a dry run, that would be" }) rowsErased!: number;
}

@ObjectType({ description: "Bewaartermijnen: one run of the retention job" })
export class RetentionRun {
  @CField(CATEGORIES.RETENTION, () => ID) runId!: string;
  @CField(CATEGORIES.RETENTION, () => Date) startedAt!: Date;
  @CField(CATEGORIES.RETENTION, () => String, { description: "SCHEDULE, MANUAL or CLI" }) trigger!: string;
  @CField(CATEGORIES.RETENTION, () => Boolean) dryRun!: boolean;
  @CField(CATEGORIES.RETENTION, () => Boolean, { description: "Another instance was running retention at the same moment: nothing was done" }) skipped!: boolean;
  @CField(CATEGORIES.RETENTION, () => [RetentionLine]) lines!: RetentionLine[];
}

@Resolver()
export class RetentionResolver {
  @Mutation(() => RetentionRun, {
    description:
      "Privacy officer: run retention now — erase what has outlived its legal term (20 years after the case closed by default; the access log after RETENTION_ACCESS_LOG_YEARS). With dryRun: count only.",
  })
  @Cat("Mutation", CATEGORIES.RETENTION)
  runRetention(@Arg("dryRun", () => Boolean) dryRun: boolean, @GqlCtx() ctx: Ctx): Promise<RetentionResult> {
    return runRetention(ctx.ds, ctx.deps.config, { dryRun, trigger: "MANUAL" });
  }

  @Query(() => [RetentionRun], { description: "Privacy officer: past retention runs, newest first (what the inspector asks to see)" })
  @Cat("Query", CATEGORIES.RETENTION)
  retentionRuns(@Arg("first", () => Int, { nullable: true }) first: number | undefined, @GqlCtx() ctx: Ctx): Promise<RetentionResult[]> {
    const n = first ?? 20;
    if (n < 1 || n > 200) throw new BadInputError("first", "must be between 1 and 200");
    return retentionRuns(ctx.ds, n);
  }
}
