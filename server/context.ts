import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import type { Viewer } from "./auth/viewer.js";
import type { Config } from "./config.js";
import { Loaders } from "./common/loaders.js";
import { inTransaction, type AfterCommit, type Tx } from "./db/tx.js";

/** Process-wide dependencies, created once in app.ts. */
export interface AppDeps {
  config: Config;
  ds: DataSource;
  /** Called with the committed change events of each transaction (realtime bus). */
  afterCommit: AfterCommit;
}

/**
 * Per request (HTTP) or per subscription (WebSocket): who is calling, its loaders and its
 * transaction entry point. Resolvers get nothing else.
 */
export class Ctx {
  readonly loaders: Loaders;
  readonly requestId: string;

  constructor(
    readonly deps: AppDeps,
    readonly viewer: Viewer,
    requestId?: string,
  ) {
    this.loaders = new Loaders(deps.ds);
    this.requestId = requestId ?? randomUUID();
  }

  get ds(): DataSource {
    return this.deps.ds;
  }

  /** Runs a write in one transaction, writes its change events, publishes them after commit. */
  tx<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return inTransaction(this.deps.ds, this.viewer, work, this.deps.afterCommit);
  }
}
