/**
 * School live feed: a command-line subscriber that prints the changes the school may see as they
 * come, stores its cursor after every change, and after a restart first prints exactly what it
 * missed (the hub replays from the cursor), then continues live. A dropped connection is retried
 * by itself with exponential backoff and jitter, resuming from the cursor: no gap, no duplicate.
 *
 *   npm run example:live-feed -- [email] [cursor-file]
 *   (default ib@devlinder.example and .live-feed-<email>.cursor; TOKEN=… to use your own token)
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { print } from "graphql";
import { MyChangesDocument, type ChangeFieldsFragment, type MyChangesSubscription } from "./generated/graphql.js";
import { connect, formatDateTime, isMain, type HubClient } from "./lib/hub.js";

export interface LiveFeedOptions {
  /** Called for every (re)connection, so a development token can be re-signed when it expires. */
  client: () => Promise<HubClient>;
  cursorFile: string;
  print: (line: string) => void;
  /** Called after each change is printed and its cursor stored. */
  onChange?: (change: ChangeFieldsFragment) => void;
  onStatus?: (status: "connected" | "disconnected") => void;
  /** Backoff after a lost connection: initialMs · 2^attempt, capped at maxMs, with ±50 % jitter. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Consecutive refused authentications (4401/4403) before giving up. */
  maxAuthFailures?: number;
}

export interface LiveFeed {
  readonly cursor: string | undefined;
  /** Resolves when the feed has stopped (stop() or authentication given up). */
  done: Promise<void>;
  stop(): Promise<void>;
}

export function readCursor(file: string): string | undefined {
  try {
    const c = readFileSync(file, "utf8").trim();
    return /^\d+$/.test(c) ? c : undefined;
  } catch {
    return undefined;
  }
}

function writeCursor(file: string, cursor: string): void {
  writeFileSync(`${file}.tmp`, cursor + "\n");
  renameSync(`${file}.tmp`, file); // atomic: a crash never leaves half a cursor
}

export function describeChange(c: ChangeFieldsFragment): string {
  const by = c.actor ? ` door ${c.actor.name} (${c.actor.organisation.name})` : "";
  let what = "";
  const s = c.subject;
  if (s?.__typename === "SafetyAgreement") what = ` — afspraak "${s.what ?? "?"}" (${s.status ?? "?"}, v${s.version})`;
  else if (s?.__typename === "SafetyPlan") what = ` — veiligheidsplan v${s.version}`;
  else if (s?.__typename === "RegieAssignment") what = ` — regisseur ${s.professional.name}`;
  else if (s?.__typename === "Involvement") what = ` — ${s.organisation.name} (${s.role})`;
  return `#${c.id} ${formatDateTime(c.occurredAt)} ${c.kind} casus ${c.caseId}${by}${what}`;
}

export function startLiveFeed(opts: LiveFeedOptions): LiveFeed {
  const initial = opts.initialBackoffMs ?? 500;
  const max = opts.maxBackoffMs ?? 30_000;
  const maxAuthFailures = opts.maxAuthFailures ?? 3;
  let cursor = readCursor(opts.cursorFile);
  let stopped = false;
  let wake: (() => void) | undefined;
  let dispose: (() => Promise<void>) | undefined;

  const run = async () => {
    let attempt = 0;
    let authFailures = 0;
    if (cursor) opts.print(`hervat na #${cursor}: eerst wat gemist is, daarna live`);
    while (!stopped) {
      let closeCode = 0;
      const client = await opts.client().catch((err: Error) => {
        opts.print(`kan geen token krijgen: ${err.message}`);
        return undefined;
      });
      if (client) {
        const ws = client.ws({
          onConnected: () => {
            attempt = 0;
            authFailures = 0;
            opts.onStatus?.("connected");
          },
          onClosed: (code) => (closeCode = code),
        });
        dispose = async () => void (await ws.dispose());
        await new Promise<void>((resolve) => {
          wake = resolve;
          ws.subscribe<MyChangesSubscription>(
            { query: print(MyChangesDocument), variables: { after: cursor ?? null } },
            {
              next: (r) => {
                const c = r.data?.myChanges;
                if (!c) return void opts.print(`fout: ${(r.errors ?? []).map((e) => e.message).join("; ")}`);
                if (cursor !== undefined && BigInt(c.id) <= BigInt(cursor)) return; // already printed
                opts.print(describeChange(c));
                cursor = c.id;
                writeCursor(opts.cursorFile, cursor);
                opts.onChange?.(c);
              },
              error: (e) => {
                const code = (e as { code?: number })?.code;
                if (typeof code === "number") closeCode = code;
                resolve();
              },
              complete: () => resolve(),
            },
          );
        });
        await ws.dispose();
      }
      if (stopped) break;
      opts.onStatus?.("disconnected");
      if (closeCode === 4401 || closeCode === 4403) {
        if (++authFailures >= maxAuthFailures) {
          opts.print(`de hub weigert het token (${closeCode}); gestopt`);
          break;
        }
      }
      const delay = Math.round(Math.min(max, initial * 2 ** attempt) * (0.5 + Math.random()));
      attempt++;
      opts.print(`verbinding verbroken${closeCode ? ` (${closeCode})` : ""}; opnieuw over ${(delay / 1000).toFixed(1)} s`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, delay);
        wake = () => (clearTimeout(t), r());
      });
    }
  };
  const done = run();
  return {
    get cursor() {
      return cursor;
    },
    done,
    async stop() {
      stopped = true;
      await dispose?.();
      wake?.();
      await done;
    },
  };
}

if (isMain(import.meta.url)) {
  const email = process.argv[2] ?? "ib@devlinder.example";
  const cursorFile = process.argv[3] ?? `.live-feed-${email}.cursor`;
  const feed = startLiveFeed({
    client: () => connect(email),
    cursorFile,
    print: (l) => console.log(l),
    onStatus: (s) => console.log(s === "connected" ? "live verbonden" : "verbinding weg"),
  });
  const stop = () => void feed.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  await feed.done;
}
