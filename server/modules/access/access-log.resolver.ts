import { Arg, Args, Ctx as GqlCtx, ID, Query, Resolver } from "type-graphql";
import { CATEGORIES } from "../../access/categories.js";
import { Cat } from "../../access/field.js";
import { PageArgs, type Connection } from "../../common/connection.js";
import { BadInputError } from "../../common/errors.js";
import type { Ctx } from "../../context.js";
import { AccessLogEntry, AccessLogEntryConnection, AccessLogVerification, toAccessLogEntry, type AccessLogRow } from "./access-log.type.js";
import { UUID } from "../../common/ids.js";



@Resolver()
export class AccessLogResolver {
  @Query(() => AccessLogEntryConnection, {
    description:
      "The access log (privacy officer only), oldest first: who read or changed a client's data, when, which categories and why. Filter by client (familyId), case, or professional.",
  })
  @Cat("Query", CATEGORIES.ACCESS_LOG)
  async accessLog(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("familyId", () => ID, { nullable: true }) familyId: string | undefined,
    @Arg("caseId", () => ID, { nullable: true }) caseId: string | undefined,
    @Arg("professionalEmail", () => String, { nullable: true }) professionalEmail: string | undefined,
    @GqlCtx() ctx: Ctx,
  ): Promise<Connection<AccessLogEntry>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace("?", `$${params.length}`));
    };
    for (const [name, v] of [["familyId", familyId], ["caseId", caseId]] as const) {
      if (v !== undefined && !UUID.test(v)) throw new BadInputError(name, "is not an id");
    }
    if (familyId) add("l.family_id = ?::uuid", familyId);
    if (caseId) add("l.case_id = ?::uuid", caseId);
    if (professionalEmail) add("l.email = ?", professionalEmail.toLowerCase());
    if (page.after) {
      const seq = Buffer.from(page.after, "base64url").toString("utf8");
      if (!/^[0-9]{1,18}$/.test(seq)) throw new BadInputError("after", "is not a cursor this API issued");
      add("l.seq > ?::bigint", seq);
    }
    const first = page.first ?? 20;
    params.push(first + 1);
    const rows = (await ctx.ds.query(
      `SELECT l.*, o.name AS organisation_name FROM access_log l JOIN organisation o ON o.id = l.organisation_id
        ${where.length ? "WHERE " + where.join(" AND ") : ""} ORDER BY l.seq LIMIT $${params.length}`,
      params,
    )) as AccessLogRow[];
    const edges = rows.slice(0, first).map((r) => ({
      cursor: Buffer.from(String(r.seq)).toString("base64url"),
      node: toAccessLogEntry(r),
    }));
    return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  @Query(() => AccessLogVerification, { description: "Recomputes the access log's hash chain (privacy officer only); reports the first broken link" })
  @Cat("Query", CATEGORIES.ACCESS_LOG)
  async verifyAccessLog(@GqlCtx() ctx: Ctx): Promise<AccessLogVerification> {
    const [r] = (await ctx.ds.query(`SELECT verify_access_log()::text AS broken, (SELECT count(*)::int FROM access_log) AS n`)) as {
      broken: string | null;
      n: number;
    }[];
    return { intact: r.broken === null, firstBrokenSeq: r.broken, entries: r.n };
  }
}
