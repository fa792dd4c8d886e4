import pg from "pg";
import { createClient } from "redis";
import type { Logger } from "../common/logger.js";

/**
 * Wakes every instance after a commit. Carries only the newest feed id, never data: each
 * instance reads the outbox itself. PostgreSQL LISTEN/NOTIFY by default (nothing extra to run).
 * NOTIFY can be lost across a reconnect: on reconnect the listener wakes the dispatcher, which
 * catches up from the outbox (and the dispatcher also polls periodically).
 */
export interface Bus {
  publish(lastId: number): void;
  close(): Promise<void>;
  /** (re)connections of the listening side so far */
  readonly reconnects: number;
  /**
   * PostgreSQL bus only: the channel a write may NOTIFY itself, in its own statement
   * (`SELECT pg_notify(channel, busMessage(lastId, source))`), instead of a publish after commit.
   */
  readonly notifyChannel?: string;
}

const CHANNEL = "ketenhub_feed";

/**
 * A bus message: the newest feed id, and after a "/" the instance that committed it
 * (`<id>/<source>`; a bare id from elsewhere, e.g. an older instance, is read the same). An
 * instance ignores its own messages: it hands its own commits to its dispatcher in-process
 * (app.ts afterCommit), so its own notification would only cost a read of the outbox.
 */
export function busMessage(lastId: number | string, source: string): string {
  return `${lastId}/${source}`;
}

/** What the dispatcher is woken with for a message: undefined when it is this instance's own. */
function onMessage(payload: string | undefined, source: string, onWake: (upTo?: number) => void): void {
  const [id, from] = (payload ?? "").split("/");
  if (from === source) return;
  const n = Number(id);
  onWake(id && Number.isSafeInteger(n) && n > 0 ? n : undefined);
}

export async function createPostgresBus(url: string, source: string, onWake: (upTo?: number) => void, log: Logger): Promise<Bus> {
  const publisher = new pg.Pool({ connectionString: url, max: 2, application_name: "ketenhub-bus" });
  publisher.on("error", () => undefined);
  let listener: pg.Client | undefined;
  let closed = false;
  let reconnects = 0;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, application_name: "ketenhub-listen" });
    c.on("notification", (msg) => onMessage(msg.payload, source, onWake));
    c.on("error", (err) => {
      log.warn({ err: err.message }, "bus connection lost; reconnecting");
      c.end().catch(() => undefined);
      if (!closed) setTimeout(() => void reconnect(), 200).unref();
    });
    await c.connect();
    await c.query(`LISTEN ${CHANNEL}`);
    listener = c;
    reconnects++;
    onWake(); // catch up on anything missed while disconnected
  };
  const reconnect = async () => {
    try {
      await connect();
    } catch {
      if (!closed) setTimeout(() => void reconnect(), 1000).unref();
    }
  };
  await connect();

  return {
    notifyChannel: CHANNEL,
    publish(lastId: number) {
      publisher.query("SELECT pg_notify($1, $2)", [CHANNEL, busMessage(lastId, source)]).catch((err: Error) => {
        // the periodic poll still delivers; this only costs latency
        log.warn({ err: err.message }, "bus publish failed");
      });
    },
    async close() {
      closed = true;
      await listener?.end().catch(() => undefined);
      await publisher.end().catch(() => undefined);
    },
    get reconnects() {
      return reconnects;
    },
  };
}

/**
 * Redis pub/sub (REDIS_URL), for deployments with many instances: the same ids-only message.
 * A lost subscriber connection is detected by the client, which reconnects; on every (re)connect
 * the dispatcher catches up from the outbox, so nothing is skipped silently.
 */
export async function createRedisBus(url: string, source: string, onWake: (upTo?: number) => void, log: Logger): Promise<Bus> {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  let reconnects = 0;
  for (const c of [pub, sub]) c.on("error", (err: Error) => log.warn({ err: err.message }, "redis bus error"));
  sub.on("ready", () => {
    reconnects++;
    onWake();
  });
  await pub.connect();
  await sub.connect();
  await sub.subscribe(CHANNEL, (message) => onMessage(message, source, onWake));
  return {
    publish(lastId: number) {
      pub.publish(CHANNEL, busMessage(lastId, source)).catch((err: Error) => log.warn({ err: err.message }, "bus publish failed"));
    },
    async close() {
      await sub.quit().catch(() => undefined);
      await pub.quit().catch(() => undefined);
    },
    get reconnects() {
      return reconnects;
    },
  };
}
