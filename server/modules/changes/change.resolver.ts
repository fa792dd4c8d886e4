import { Arg, Args, ArgsType, Ctx as GqlCtx, Field, FieldResolver, ID, Int, Query, Resolver, Root, Subscription } from "type-graphql";
import { Max, Min } from "class-validator";
import { CATEGORIES } from "../../access/categories.js";
import { Cat } from "../../access/field.js";
import { requireVisibleCase } from "../../access/rows.js";
import type { Connection } from "../../common/connection.js";
import type { Ctx } from "../../context.js";
import { isVisibleChange, loadSubject, readFeed, type ChangeRecord } from "../../realtime/feed.js";
import { changeStream, parseCursor } from "../../realtime/stream.js";
import { ProfessionalEntity } from "../directory/directory.entity.js";
import { Professional } from "../directory/directory.type.js";
import { Case } from "../cases/case.type.js";
import { Change, ChangeConnection, ChangeSubject } from "./change.type.js";


@ArgsType()
class ChangesArgs {
  @Field(() => String, { nullable: true, description: "Last change id seen; omit to start at the beginning" })
  after?: string;

  @Field(() => Int, { nullable: true, description: "Page size, 1–500 (default 100)" })
  @Min(1)
  @Max(500)
  first?: number;
}

const SIGNAL_KINDS = new Set(["SIGNAL_RAISED"]);

@Resolver(() => Change)
export class ChangeResolver {
  @Query(() => ChangeConnection, {
    description:
      "The viewer's change feed for clients that poll: changes after `after`, oldest first, only those the viewer may see now. Resume with pageInfo.endCursor (it also advances past changes the viewer may not see).",
  })
  @Cat("Query", CATEGORIES.CASE)
  async changes(@Args(() => ChangesArgs) args: ChangesArgs, @GqlCtx() ctx: Ctx): Promise<Connection<ChangeRecord>> {
    let cursor = parseCursor(args.after) ?? 0;
    const first = args.first ?? 100;
    const edges: { cursor: string; node: ChangeRecord }[] = [];
    let more = true;
    while (edges.length < first && more) {
      const page = await readFeed(ctx.ds, ctx.viewer, cursor, 500);
      more = page.length === 500;
      for (const e of page) {
        if (edges.length === first) {
          more = true;
          break;
        }
        cursor = e.id;
        if (await isVisibleChange(ctx, e)) edges.push({ cursor: String(e.id), node: e });
      }
    }
    return { edges, pageInfo: { hasNextPage: more, endCursor: String(cursor) } };
  }

  @Subscription(() => Change, {
    description:
      "Every change the viewer may see, live. With `after` (a change id), first replays what was missed, then continues live — no gap, no duplicate. Each event is re-authorised: withdrawn consent or ended involvement stops delivery at once.",
    subscribe: ({ args, context }) => changeStream(context as Ctx, { after: args.after as string | undefined }),
  })
  @Cat("Subscription", CATEGORIES.CASE)
  myChanges(@Root() change: ChangeRecord, @Arg("after", () => String, { nullable: true }) _after?: string): ChangeRecord {
    return change;
  }

  @Subscription(() => Change, {
    description: "Changes of one case the viewer may see (NOT_FOUND when the case is not visible)",
    subscribe: async function* ({ args, context }) {
      await requireVisibleCase(context as Ctx, args.caseId as string);
      yield* changeStream(context as Ctx, { after: args.after as string | undefined, caseId: args.caseId as string });
    },
  })
  @Cat("Subscription", CATEGORIES.CASE)
  caseChanged(
    @Root() change: ChangeRecord,
    @Arg("caseId", () => ID) _caseId: string,
    @Arg("after", () => String, { nullable: true }) _after?: string,
  ): ChangeRecord {
    return change;
  }

  @Subscription(() => Change, {
    description: "New signals from partners in the viewer's cases (for regisseurs)",
    subscribe: ({ args, context }) => changeStream(context as Ctx, { after: args.after as string | undefined, kinds: SIGNAL_KINDS }),
  })
  @Cat("Subscription", CATEGORIES.SIGNALS)
  signalRaised(@Root() change: ChangeRecord, @Arg("after", () => String, { nullable: true }) _after?: string): ChangeRecord {
    return change;
  }

  @FieldResolver(() => ChangeSubject, { nullable: true, description: "The changed record as the viewer may see it now (null when it no longer exists)" })
  @Cat("Change", CATEGORIES.CASE)
  subject(@Root() change: ChangeRecord, @GqlCtx() ctx: Ctx) {
    return loadSubject(ctx, change);
  }

  @FieldResolver(() => Case, { nullable: true })
  @Cat("Change", CATEGORIES.CASE)
  async case(@Root() change: ChangeRecord, @GqlCtx() ctx: Ctx) {
    return (await ctx.access.load(change.caseId))?.entity ?? null;
  }

  @FieldResolver(() => Professional, { nullable: true, description: "Who made the change" })
  @Cat("Change", CATEGORIES.DIRECTORY)
  actor(@Root() change: ChangeRecord, @GqlCtx() ctx: Ctx) {
    return change.actorId ? ctx.loaders.byId(ProfessionalEntity).load(change.actorId) : null;
  }
}
