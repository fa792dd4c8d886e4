import { Arg, Ctx as GqlCtx, ID, Query, Resolver } from "type-graphql";
import { ALL_CATEGORIES, CATEGORIES } from "../../access/categories.js";
import { decideRead, decideWrite, OPEN_CATEGORIES } from "../../access/decide.js";
import { Cat } from "../../access/field.js";
import { ruleFor, type WriteAction } from "../../access/policy.js";
import { requireVisibleCase } from "../../access/rows.js";
import type { Ctx } from "../../context.js";
import { CaseAccessReport } from "./access.type.js";

const HIDDEN = new Set<string>([CATEGORIES.ACCESS_LOG, CATEGORIES.INDICATORS, CATEGORIES.RETENTION, ...OPEN_CATEGORIES]);

@Resolver(() => CaseAccessReport)
export class AccessResolver {
  @Query(() => CaseAccessReport, {
    description: "Why may I see this? For one case: per data category, whether the viewer may read and write it, and on what basis (role, involvement, consent id, sharing decision id)",
  })
  @Cat("Query", CATEGORIES.CASE)
  async myAccess(@Arg("caseId", () => ID) caseId: string, @GqlCtx() ctx: Ctx): Promise<CaseAccessReport> {
    await requireVisibleCase(ctx, caseId);
    const access = ctx.access.currentCase!;
    const categories = ALL_CATEGORIES.filter((c) => !HIDDEN.has(c)).map((category) => {
      const d = decideRead(ctx.viewer, access, category);
      const rule = ruleFor(access.effectiveRole, category);
      const may = (action?: WriteAction) => rule.write !== "none" && decideWrite(access, category, ctx.viewer.organisationId, ctx.viewer, action);
      const writeActions = rule.actions ? rule.actions.filter((a) => may(a)) : null;
      return {
        caseId: access.caseId,
        category,
        canRead: d.allowed,
        canWrite: writeActions ? writeActions.length > 0 : may(),
        writeActions,
        readRule: rule.read.toUpperCase(),
        writeRule: rule.write.toUpperCase(),
        scope: d.allowed && d.scope && d.scope !== "all" ? d.scope : rule.scope ?? null,
        basis: d.basis.map((b) => ({ caseId: access.caseId, kind: b.kind, id: b.id ?? null })),
      };
    });
    return { caseId: access.caseId, effectiveRole: access.effectiveRole, isRegieOrganisation: access.isRegieOrganisation, categories };
  }
}
