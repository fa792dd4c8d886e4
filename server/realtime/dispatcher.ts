import type { DataSource } from "typeorm";
import type { Logger } from "../common/logger.js";
import type { AppDeps } from "../context.js";
import { toRecord, type ChangeRecord } from "./feed.js";
import type { ChangeInput } from "./outbox.js";
import { EventShare } from "./live-groups.js";

/** A subscription's inbox of raw events (not yet authorised for its viewer). */
export class Inbox implements AsyncIterable<ChangeRecord> {
  private readonly buffer: ChangeRecord[] = [];
  private wake: (() => void) | undefined;
  private closed = false;
  /** Set when the inbox overflowed: the subscription must catch up from the feed. */
  overflowed = false;

  constructor(
    private readonly limit: number,
    private readonly onClose: (i: Inbox) => void,
    /** The subscriber's organisation: events of cases it cannot see are not even queued. */
    readonly organisationId?: string,
  ) {}

  push(e: ChangeRecord): void {
    if (this.closed) return;
    if (this.buffer.length >= this.limit) {
      // A slow consumer never blocks the instance: it drops its buffer and re-reads the outbox.
      this.overflowed = true;
      this.buffer.length = 0;
    } else {
      this.buffer.push(e);
    }
    this.wake?.();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(this);
    this.wake?.();
  }

  /** Takes everything buffered, waiting until there is something (or the inbox closes). */
  async take(): Promise<ChangeRecord[] | undefined> {
    while (this.buffer.length === 0 && !this.overflowed && !this.closed) {
      await new Promise<void>((r) => (this.wake = r));
      this.wake = undefined;
    }
    if (this.closed) return undefined;
    return this.buffer.splice(0);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ChangeRecord> {
    for (;;) {
      const batch = await this.take();
      if (!batch) return;
      yield* batch;
    }
  }
}

/**
 * One per instance: reads each new outbox event once (woken by the bus, and every
 * `pollMs` as a safety net for lost notifications) and hands it to every open inbox in id order.
 * Authorisation happens per subscription, per event (realtime/stream.ts); subscriptions of
 * one organisation, role and document share it (live-groups.ts).
 */
export class Dispatcher {
  private readonly inboxes = new Set<Inbox>();
  /** the same inboxes by subscriber organisation (an event wakes only its audience's), and those without one */
  private readonly byOrganisation = new Map<string, Set<Inbox>>();
  private readonly anyOrganisation = new Set<Inbox>();
  private readonly shares = new WeakMap<ChangeRecord, EventShare>();
  /** when each live event was handed out (performance.now()), for the delivery-latency metric */
  private readonly handed = new WeakMap<ChangeRecord, number>();
  private lastId = 0;
  private running: Promise<void> | undefined;
  /** a wake arrived while draining: true (read again), a feed id (read again unless read this far), or false */
  private again: boolean | number = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly ds: DataSource,
    private readonly log: Logger,
    private readonly pollMs = 1000,
  ) {}

  async start(): Promise<void> {
    const [r] = (await this.ds.query("SELECT last_id FROM feed_head WHERE id = 1")) as { last_id: string }[];
    this.lastId = Number(r.last_id);
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const i of [...this.inboxes]) i.close();
  }

  /** The last feed id this instance has handed to its subscriptions. */
  get dispatchedUpTo(): number {
    return this.lastId;
  }

  get subscriptions(): number {
    return this.inboxes.size;
  }

  open(limit = 10_000, organisationId?: string): Inbox {
    const inbox = new Inbox(limit, (i) => this.remove(i), organisationId);
    this.inboxes.add(inbox);
    if (organisationId === undefined) this.anyOrganisation.add(inbox);
    else {
      let set = this.byOrganisation.get(organisationId);
      if (!set) this.byOrganisation.set(organisationId, (set = new Set()));
      set.add(inbox);
    }
    return inbox;
  }

  private remove(inbox: Inbox): void {
    this.inboxes.delete(inbox);
    if (inbox.organisationId === undefined) this.anyOrganisation.delete(inbox);
    else {
      const set = this.byOrganisation.get(inbox.organisationId);
      set?.delete(inbox);
      if (set?.size === 0) this.byOrganisation.delete(inbox.organisationId);
    }
  }

  /** When this dispatcher handed the live event out (performance.now()); undefined for a replayed one. */
  handedAt(e: ChangeRecord): number | undefined {
    return this.handed.get(e);
  }

  /**
   * What the recipients of a live event (as handed out by this dispatcher) share: one
   * re-authorisation statement, and one decision and payload per group (realtime/live-groups.ts).
   * Created on first use; dropped with the event.
   */
  share(e: ChangeRecord, deps: AppDeps): EventShare {
    let s = this.shares.get(e);
    if (!s) this.shares.set(e, (s = new EventShare(deps, e)));
    return s;
  }

  /**
   * This instance committed `changes`. A single event that carries what the outbox read would
   * give (`stored`, from a single-statement write) and directly follows the last one handed out
   * is handed out at once, without reading it back — one round trip less between commit and
   * delivery. Anything else (a gap: another instance's events in between; a read under way;
   * several events) wakes the read, which hands out everything in feed order.
   */
  committed(changes: ChangeInput[]): void {
    const only = changes.length === 1 ? changes[0] : undefined;
    if (only?.stored && only.id === this.lastId + 1 && !this.running && !this.stopped) {
      this.handOut(only.stored.record, only.stored.audience);
      return;
    }
    this.wake(changes.at(-1)?.id);
  }

  /**
   * Something was committed (or may have been): read what is new. `upTo`, when known, is the
   * newest feed id committed: a wake for what this dispatcher has already read (its own write's
   * NOTIFY arriving after the in-process wake) costs no statement. Coalesces concurrent wakes.
   */
  wake(upTo?: number): void {
    if (this.stopped) return;
    if (upTo !== undefined && upTo <= this.lastId) return;
    if (this.running) {
      // read again after the running drain, unless it turns out to have read this far already
      if (upTo === undefined || this.again === true) this.again = true;
      else this.again = Math.max(this.again === false ? 0 : this.again, upTo);
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) => this.log.warn({ err: (err as Error).message }, "feed read failed; will retry"))
      .finally(() => {
        this.running = undefined;
        const again = this.again;
        this.again = false;
        if (again === true) this.wake();
        else if (again !== false) this.wake(again);
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      // With each event, the organisations that can see its case now (actively involved, or
      // Veilig Thuis that handed it over): a subscriber of any other organisation would only
      // re-authorise and drop it, so it is not woken at all. Each subscription still decides
      // per event (stream.ts); this is a coarse pre-filter in the same statement.
      const rows = (await this.ds.query(
        `SELECT e.*,
                CASE WHEN e.case_id IS NULL THEN NULL ELSE
                  ARRAY(SELECT i.organisation_id FROM involvement i WHERE i.case_id = e.case_id AND i.ended_at IS NULL
                        UNION SELECT h.from_organisation_id FROM handover h WHERE h.case_id = e.case_id) END AS audience
           FROM change_event e WHERE e.id > $1 ORDER BY e.id LIMIT 500`,
        [this.lastId],
      )) as (Parameters<typeof toRecord>[0] & { audience: string[] | null })[];
      if (rows.length === 0) return;
      for (const row of rows) this.handOut(toRecord(row), row.audience);
      if (rows.length < 500) return;
    }
  }

  /** The next event in feed order, to its audience's inboxes (null: every inbox). */
  private handOut(e: ChangeRecord, audience: string[] | null): void {
    this.lastId = e.id;
    this.handed.set(e, performance.now());
    if (!audience) {
      for (const i of this.inboxes) i.push(e);
      return;
    }
    // only the audience's subscriptions (an index, not a scan of every open subscription)
    for (const org of new Set(audience)) for (const i of this.byOrganisation.get(org) ?? []) i.push(e);
    for (const i of this.anyOrganisation) i.push(e);
  }
}
