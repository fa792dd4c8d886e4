import { loadViewer } from "../auth/authenticate.js";
import { BadInputError, UnauthenticatedError } from "../common/errors.js";
import type { Viewer } from "../auth/viewer.js";
import type { Ctx } from "../context.js";
import { feedHead, isVisibleChange, readFeed, type ChangeRecord } from "./feed.js";

export function parseCursor(after: string | null | undefined, field = "after"): number | undefined {
  if (after === null || after === undefined) return undefined;
  if (!/^[0-9]{1,15}$/.test(after)) throw new BadInputError(field, "is not a feed cursor (a change id)");
  return Number(after);
}

/**
 * Re-authorises the subscriber before each event: the user must still exist and be active,
 * the token unexpired; role, involvement and consents are read afresh (Ctx.renew).
 * `stored` is the user as now stored (loadViewer, or one statement for all of a live event's
 * recipients).
 */
async function reauthorise(ctx: Ctx, stored?: Promise<Viewer | undefined>): Promise<void> {
  const exp = ctx.viewer.tokenExpiresAt;
  if (exp !== undefined && exp * 1000 <= Date.now()) unauthenticated(ctx, "Token expired");
  const viewer = await (stored ?? loadViewer(ctx.ds, ctx.viewer.email));
  if (!viewer) unauthenticated(ctx, "Unknown or inactive user");
  // The dispatcher pre-filters by the organisation the subscription started with: a move to
  // another organisation ends the stream (the client reconnects and subscribes afresh).
  if (viewer.organisationId !== ctx.viewer.organisationId) unauthenticated(ctx, "Organisation changed");
  ctx.renew({ ...viewer, tokenExpiresAt: exp });
}

/** Ends the connection as connection_init would have (4401), and this stream with it. */
function unauthenticated(ctx: Ctx, reason: string): never {
  ctx.endSession?.(reason);
  throw new UnauthenticatedError(reason);
}

/**
 * May the subscriber see this live event now (re-authorised first)? A WebSocket subscription
 * (ctx.liveKey) is re-authorised with the event's other recipients and decided and resolved once
 * per group (live-groups.ts; the group is left in ctx.liveGroup for the payload), unless only the
 * person could see it.
 */
async function visibleLive(ctx: Ctx, e: ChangeRecord): Promise<boolean> {
  if (ctx.liveKey) {
    const share = ctx.deps.dispatcher!.share(e, ctx.deps);
    // the group's decision starts at once, alongside the re-authorisation; asked again with
    // the user as now stored, it is the same group unless organisation or role changed
    share.group(ctx.viewer, ctx.liveKey).catch(() => undefined);
    await reauthorise(ctx, share.viewer(ctx.viewer.email));
    const group = await share.group(ctx.viewer, ctx.liveKey);
    if (group) {
      if (group.visible) ctx.liveGroup = group;
      return group.visible;
    }
  } else await reauthorise(ctx);
  return isVisibleChange(ctx, e);
}

export interface StreamOptions {
  after?: string | null;
  caseId?: string;
  /** further narrowing, e.g. only SIGNAL_RAISED */
  kinds?: ReadonlySet<string>;
}

/**
 * The viewer's change stream: first what they missed after `after` (from the outbox), then live
 * events from this instance's dispatcher — no gap and no duplicate at the switch: the inbox is
 * opened before the replay, and everything at or below the replay's last id is skipped. Every
 * event is re-authorised and delivered only if the viewer could query its subject right now.
 * Without `after`, the stream starts at the current head (live only).
 */
export async function* changeStream(ctx: Ctx, opts: StreamOptions): AsyncGenerator<ChangeRecord> {
  const dispatcher = ctx.deps.dispatcher;
  if (!dispatcher) throw new Error("realtime is not running");
  const inbox = dispatcher.open(undefined, ctx.viewer.organisationId);
  try {
    let cursor = parseCursor(opts.after) ?? (await feedHead(ctx.ds));
    const wanted = (e: ChangeRecord) => (!opts.caseId || e.caseId === opts.caseId) && (!opts.kinds || opts.kinds.has(e.kind));

    async function* replay(): AsyncGenerator<ChangeRecord> {
      for (;;) {
        const page = await readFeed(ctx.ds, ctx.viewer, cursor, 200, opts.caseId);
        for (const e of page) {
          cursor = e.id;
          if (!wanted(e)) continue;
          await reauthorise(ctx);
          if (await isVisibleChange(ctx, e)) yield e;
        }
        if (page.length < 200) return;
      }
    }

    yield* replay();
    // The loop's variables are cleared before each wait, and the per-event work runs in its own
    // function: a suspended generator keeps every register of its frame, dead or not, so the
    // last event would otherwise stay reachable — with its EventShare: the group's context,
    // loaders and payload — for as long as the subscription waits for the next one (for a quiet
    // subscriber, indefinitely).
    let batch: ChangeRecord[] | undefined;
    let e: ChangeRecord | undefined;
    for (;;) {
      batch = e = undefined;
      batch = await inbox.take();
      if (!batch) return;
      if (inbox.overflowed) {
        inbox.overflowed = false;
        batch = undefined;
        yield* replay();
        continue;
      }
      for (let i = 0; i < batch.length; i++) {
        e = batch[i];
        if (e.id <= cursor) continue;
        cursor = e.id;
        if (!wanted(e)) continue;
        if (await visibleLive(ctx, e)) yield e;
      }
    }
  } finally {
    inbox.close();
  }
}
