import { Arg, Ctx as GqlCtx, ID, Query, Resolver } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { Cat } from "../../access/field.js";
import type { Ctx } from "../../context.js";
import { privacyOverview, subjectAccessExport } from "./privacy.service.js";
import { PrivacyOverview, SubjectAccessExport } from "./privacy.type.js";

@Resolver()
export class PrivacyResolver {
  @Query(() => PrivacyOverview, {
    description:
      "Privacy officer: who saw this person's file — which organisations and roles read or changed which categories, when and why (also printable: GET /privacy/overview/{memberId}.html). The lookup is itself logged.",
  })
  @Cat("Query", CATEGORIES.ACCESS_LOG)
  privacyOverview(@Arg("memberId", () => ID) memberId: string, @GqlCtx() ctx: Ctx) {
    return privacyOverview(ctx, memberId);
  }

  @Query(() => SubjectAccessExport, {
    description: "Privacy officer: everything the hub holds about this person, machine-readable (also GET /privacy/export/{memberId}.json). Logged as EXPORT.",
  })
  @Cat("Query", CATEGORIES.ACCESS_LOG)
  async subjectAccessExport(@Arg("memberId", () => ID) memberId: string, @GqlCtx() ctx: Ctx): Promise<SubjectAccessExport> {
    // plain JSON (dates as ISO strings), exactly what GET /privacy/export/{memberId}.json returns
    const document = JSON.parse(JSON.stringify(await subjectAccessExport(ctx, memberId))) as Record<string, unknown>;
    return { memberId, format: document.format as string, document };
  }
}
