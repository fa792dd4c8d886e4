import { whereCaseVisible } from "../../access/rows.js";
import { paginate, type PageArgs } from "../../common/connection.js";
import type { Ctx } from "../../context.js";
import { ConflictError } from "../../common/errors.js";
import { CaseEntity } from "./case.entity.js";

/** The viewer's cases, oldest first, as a Relay connection (one SQL statement per page). */
export function listCases(ctx: Ctx, args: PageArgs & { status?: "OPEN" | "CLOSED" }) {
  const qb = ctx.ds.getRepository(CaseEntity).createQueryBuilder("c");
  whereCaseVisible(qb, "c.id", ctx);
  if (args.status) qb.andWhere("c.status = :status", { status: args.status });
  return paginate(qb, "c", args, (c) => c);
}

/** Writes to a closed case are refused: CONFLICT (reopen by a new handover instead). */
export function assertOpen(c: CaseEntity): void {
  if (c.status !== "OPEN") throw new ConflictError("the case is closed", { field: "caseId" });
}
