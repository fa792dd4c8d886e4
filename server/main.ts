import "reflect-metadata";
import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./common/logger.js";
import { startHub } from "./app.js";

/** Process entry: config → hub; SIGTERM/SIGINT drain and stop cleanly. */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  const hub = await startHub(config, log);
  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, "shutting down");
    // A drain that hangs (a stuck client, an unreachable database) must not keep the process.
    setTimeout(() => {
      log.error("shutdown did not finish in time");
      process.exit(1);
    }, 30_000).unref();
    hub.stop().then(
      () => {
        log.flush();
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err: String(err) }, "shutdown failed");
        log.flush();
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((err: unknown) => {
  console.error("ketenhub failed to start:", err instanceof Error ? err.message : err);
  if (err instanceof Error && err.cause) console.error("  cause:", err.cause instanceof Error ? err.cause.message : err.cause);
  process.exit(1);
});
