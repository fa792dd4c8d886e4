import DataLoader from "dataloader";
import type { ExecutionResult } from "graphql";
import { loadViewers } from "../auth/authenticate.js";
import type { Viewer } from "../auth/viewer.js";
import { Ctx, type AppDeps } from "../context.js";
import type { CaseAccess } from "../access/case-access.js";
import { isVisibleChange, type ChangeRecord } from "./feed.js";
import { SUBJECTS } from "./subjects.js";

/**
 * What the subscribers of one group share for one live event: the access decision and the
 * payload (executed once, by realtime/ws.ts, with the reads it made: each subscriber logs them
 * under its own name).
 */
export interface LiveGroup {
  /** the group's context: a viewer without a person (see groupViewer), its own loaders and scope */
  ctx: Ctx;
  /** the event it was decided for */
  eventId: number;
  /** may this group see the event (the same decision as isVisibleChange for each member) */
  visible: boolean;
  result?: Promise<ExecutionResult>;
}

/**
 * Live events' shares and groups made in this process, and how many are still in memory (not
 * yet collected): for the test that a waiting subscription keeps none of them reachable.
 */
export const liveObjects = { made: 0, alive: 0 };
const collected = new FinalizationRegistry<void>(() => void liveObjects.alive--);
function tracked<T extends object>(o: T): T {
  liveObjects.made++;
  liveObjects.alive++;
  collected.register(o);
  return o;
}

const NO_PERSON = () => {
  throw new Error("a live payload shared by a group of subscribers cannot depend on the individual person");
};

/**
 * The viewer a group resolves under: organisation, its kind and role only. The policy decides on
 * these and on the organisation's access facts (involvement, regie, consents, sharing decisions,
 * shares, pupils); a field that reads the person (id, e-mail, name) fails the payload rather
 * than giving one member's answer to another.
 */
function groupViewer(v: Viewer): Viewer {
  const g = { role: v.role, organisationId: v.organisationId, organisationKind: v.organisationKind } as Viewer;
  for (const k of ["professionalId", "email", "name", "tokenExpiresAt"] as const) Object.defineProperty(g, k, { get: NO_PERSON, enumerable: false });
  return g;
}

/**
 * One per live event on this instance (created by the dispatcher on first use, dropped with the
 * event). Its recipients are re-authorised together:
 * - the users (still active, same organisation, role) in one statement for all of them;
 * - per group — organisation, role and the same subscription document and variables — the
 *   case's access facts and the decision once, and the payload resolved once.
 * What depends on the person stays per person: token expiry and the user's own state (each
 * member, from the shared statement); an emergency access is the person's own, so when the
 * organisation alone cannot see the case (not involved, not handing over) the group is not used
 * and each member decides for itself (realtime/stream.ts).
 */
export class EventShare {
  private readonly viewers: DataLoader<string, Viewer | undefined>;
  private readonly groups = new Map<string, Promise<LiveGroup | undefined>>();

  constructor(
    private readonly deps: AppDeps,
    readonly event: ChangeRecord,
  ) {
    tracked(this);
    this.viewers = new DataLoader(async (emails) => {
      const found = await loadViewers(deps.ds, emails);
      return emails.map((e) => found.get(e));
    });
  }

  /** The user as now stored (undefined: unknown or inactive), batched with the event's other recipients. */
  viewer(email: string): Promise<Viewer | undefined> {
    return this.viewers.load(email);
  }

  /** The member's group for this event, or undefined when the member must decide on its own. */
  group(viewer: Viewer, liveKey: string): Promise<LiveGroup | undefined> {
    const key = `${viewer.organisationId}|${viewer.role}|${viewer.organisationKind}|${liveKey}`;
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = this.decide(viewer)));
    return g;
  }

  private async decide(viewer: Viewer): Promise<LiveGroup | undefined> {
    const ctx = new Ctx(this.deps, groupViewer(viewer), { shared: true });
    // the case's access facts and the subject in one statement, into the group's loaders (for
    // the decision and the payload)
    const subject = SUBJECTS[this.event.entity];
    let found: { access: CaseAccess } | undefined;
    if (subject) {
      const r = await ctx.access.loadWithRow(this.event.caseId, subject.entity, this.event.entityId);
      if (r) ctx.loaders.primeById(subject.entity, this.event.entityId, r.row);
      found = r;
    } else found = await ctx.access.load(this.event.caseId);
    // Not visible to the organisation: only a member's own emergency access could still make it so.
    if (!found || (!found.access.involved && !found.access.handedOver)) return undefined;
    return tracked({ ctx, eventId: this.event.id, visible: await isVisibleChange(ctx, this.event) });
  }
}

/**
 * Spreads a large fan-out over turns of the event loop: at most `perTurn` sends go out in one
 * turn, the rest wait for the next (setImmediate), so timers, I/O and other events keep moving.
 * `slot()` returns undefined when the send may go now (no extra tick for small fan-outs).
 */
export class SendPacer {
  private used = 0;
  private readonly queue: (() => void)[] = [];
  private scheduled = false;

  constructor(private readonly perTurn = 256) {}

  slot(): Promise<void> | undefined {
    this.schedule();
    if (this.used < this.perTurn && this.queue.length === 0) {
      this.used++;
      return undefined;
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.turn());
  }

  private turn(): void {
    this.scheduled = false;
    this.used = 0;
    for (const resolve of this.queue.splice(0, this.perTurn)) {
      this.used++;
      resolve();
    }
    if (this.queue.length > 0 || this.used > 0) this.schedule();
  }
}
