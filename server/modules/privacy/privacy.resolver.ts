import { Arg, Ctx as GqlCtx, ID, Query, Resolver } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { Cat } from "../../access/field.js";
import type { Ctx } from "../../context.js";
import { privacyOverview, subjectAccessExport, subjectMemberId } from "./privacy.service.js";
import { PrivacyOverview, SubjectAccessExport } from "./privacy.type.js";

@Resolver()
export class PrivacyResolver {
  @Query(() => PrivacyOverview, {
    description:
      "Privacy officer: who saw this person's file — which organisations and roles read or changed which categories, when and why (also printable: GET /privacy/overview/{memberId}.html). " +
      "The person by memberId or by the BSN on their identity document (exactly one; found through the keyed hash, never echoed). The lookup is itself logged.",
  })
  @Cat("Query", CATEGORIES.ACCESS_LOG)
  async privacyOverview(
    @Arg("memberId", () => ID, { nullable: true }) memberId: string | null,
    @Arg("bsn", () => String, { nullable: true, description: "Burgerservicenummer of the person asking (9 digits, 11-proef)" }) bsn: string | null,
    @GqlCtx() ctx: Ctx,
  ) {
    return privacyOverview(ctx, await subjectMemberId(ctx.ds, { memberId, bsn }));
  }

  @Query(() => SubjectAccessExport, {
    description:
      "Privacy officer: everything the hub holds about this person, machine-readable (also GET /privacy/export/{memberId}.json). The person by memberId or by BSN, as for privacyOverview. Logged as EXPORT.",
  })
  @Cat("Query", CATEGORIES.ACCESS_LOG)
  async subjectAccessExport(
    @Arg("memberId", () => ID, { nullable: true }) memberIdArg: string | null,
    @Arg("bsn", () => String, { nullable: true, description: "Burgerservicenummer of the person asking (9 digits, 11-proef)" }) bsn: string | null,
    @GqlCtx() ctx: Ctx,
  ): Promise<SubjectAccessExport> {
    const memberId = await subjectMemberId(ctx.ds, { memberId: memberIdArg, bsn });
    // plain JSON (dates as ISO strings), exactly what GET /privacy/export/{memberId}.json returns
    const document = JSON.parse(JSON.stringify(await subjectAccessExport(ctx, memberId))) as Record<string, unknown>;
    return { memberId, format: document.format as string, document };
  }
}
