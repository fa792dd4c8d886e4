import type { DataSource } from "typeorm";
import type { Logger } from "../common/logger.js";
import { toRecord, type ChangeRecord } from "./feed.js";

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
 * Authorisation happens per subscription, per event (realtime/subscribe.ts).
 */
export class Dispatcher {
  private readonly inboxes = new Set<Inbox>();
  private lastId = 0;
  private running: Promise<void> | undefined;
  private again = false;
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

  open(limit = 10_000): Inbox {
    const inbox = new Inbox(limit, (i) => this.inboxes.delete(i));
    this.inboxes.add(inbox);
    return inbox;
  }

  /** Something was committed (or may have been): read what is new. Coalesces concurrent wakes. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) => this.log.warn({ err: (err as Error).message }, "feed read failed; will retry"))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const rows = (await this.ds.query("SELECT * FROM change_event WHERE id > $1 ORDER BY id LIMIT 500", [this.lastId])) as Parameters<typeof toRecord>[0][];
      if (rows.length === 0) return;
      for (const row of rows) {
        const e = toRecord(row);
        this.lastId = e.id;
        for (const i of this.inboxes) i.push(e);
      }
      if (rows.length < 500) return;
    }
  }
}
