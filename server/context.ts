import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import type { Viewer } from "./auth/viewer.js";
import type { Config } from "./config.js";
import { Loaders } from "./common/loaders.js";
import { AccessScope } from "./access/scope.js";
import { inTransaction, updateVersionedAlone, type AfterCommit, type Tx } from "./db/tx.js";
import { DEFAULT_PURPOSE, type AccessAction, type LogContext } from "./audit/access-log.js";

/** Process-wide dependencies, created once in app.ts. */
export interface AppDeps {
  config: Config;
  ds: DataSource;
  /** Called with the committed change events of each transaction (realtime bus). */
  afterCommit: AfterCommit;
  /** Per-user and per-organisation operation limits. */
  rateLimiter?: import("./security/rate-limit.js").RateLimiter;
  metrics?: import("./ops/metrics.js").Metrics;
  /** Live delivery: set once realtime has started. */
  dispatcher?: import("./realtime/dispatcher.js").Dispatcher;
  /** OpenTelemetry traces (only with OTEL_EXPORTER_OTLP_ENDPOINT). */
  tracing?: import("./ops/tracing.js").Tracing;
  /** Set when shutdown begins: /readyz answers 503 so load balancers stop sending traffic. */
  draining?: boolean;
}

/**
 * Per request (HTTP) or per subscription (WebSocket): who is calling, its loaders and its
 * transaction entry point. Resolvers get nothing else.
 */
export class Ctx {
  // Created on first use: an idle subscription (thousands per instance) holds neither.
  private _loaders: Loaders | undefined;
  private _access: AccessScope | undefined;
  private _requestId: string | undefined;

  /**
   * The correlation id (logs, access log, traces): the client's X-Request-Id, or generated on
   * first use (an idle subscription never needs one) as one flat string — randomUUID's own
   * result is a rope of some 18 concatenations (~0.6 KiB) that would stay so for the
   * subscription's lifetime.
   */
  get requestId(): string {
    return (this._requestId ??= Buffer.from(randomUUID(), "latin1").toString("latin1"));
  }

  get loaders(): Loaders {
    return (this._loaders ??= new Loaders(this.deps.ds));
  }

  /** The viewer's access in this request: visible cases, decisions, and what was read/written. */
  get access(): AccessScope {
    return (this._access ??= new AccessScope(this.deps.ds, this.viewer, this.shared ? null : undefined));
  }

  /**
   * WebSocket only: the subscription's document, operation name and variables. Subscribers with
   * the same key, organisation and role share one resolution of each live event (realtime/live-groups.ts).
   */
  liveKey?: string;
  /** Set by the change stream just before it yields an event whose payload its group resolves. */
  liveGroup?: import("./realtime/live-groups.js").LiveGroup;
  /** When the dispatcher handed out the live event being delivered (for ketenhub_live_delivery_seconds). */
  liveHandedAt?: number;
  /** This context resolves payloads for a group of subscribers: no person-level access facts. */
  readonly shared: boolean;

  /** Why the viewer accesses the data (logged): sent by the client, or the role's default. */
  readonly purpose: string;
  /** The GraphQL operation, for the access log (set once the operation is resolved). */
  operation = "unknown";
  /**
   * WebSocket only: ends the viewer's connection (close code 4401) when re-authorisation finds
   * the token expired or the user gone or deactivated — the same answer as at connection_init.
   */
  endSession?: (reason: string) => void;
  /** How this request's reads are logged: READ, or EXPORT for a FHIR export. */
  auditAction: AccessAction = "READ";

  constructor(
    readonly deps: AppDeps,
    public viewer: Viewer,
    opts: { requestId?: string; purpose?: string; shared?: boolean } = {},
  ) {
    this._requestId = opts.requestId;
    this.shared = opts.shared ?? false;
    // control characters become spaces: the purpose goes into the access log as text (a NUL
    // there would fail the log write, and with it every read it logs)
    // eslint-disable-next-line no-control-regex
    this.purpose = opts.purpose?.replace(/[\u0000-\u001f\u007f]/g, " ").trim().slice(0, 500) || DEFAULT_PURPOSE[viewer.role];
  }

  /**
   * A subscription re-authorises every event: fresh viewer (role, active), fresh access facts
   * (involvement, consent) and fresh loaders, so nothing decided for an earlier event leaks
   * into the next. Returns the reads of the previous event (for the access log).
   */
  renew(viewer: Viewer): void {
    this.viewer = viewer;
    this._loaders = undefined;
    this._access = undefined;
  }

  /**
   * A versioned update that needs nothing else in its transaction (see updateVersionedAlone):
   * one statement with its change event and the access log of the write. The write must change
   * no access fact of its case (the access facts loaded in this request are kept).
   */
  async updateAlone<E extends object, X>(u: Parameters<typeof updateVersionedAlone<E, X>>[2]): Promise<{ row: E; extra: X }> {
    try {
      return await updateVersionedAlone<E, X>(
        this.deps.ds,
        this.viewer,
        u,
        [{ log: this.logContext, action: "WRITE", uses: [...this.access.writes.values()] }],
        this.deps.afterCommit,
      );
    } finally {
      this.access.writes.clear();
    }
  }

  get logContext(): LogContext {
    return { viewer: this.viewer, operation: this.operation, purpose: this.purpose, requestId: this.requestId };
  }

  get ds(): DataSource {
    return this.deps.ds;
  }

  /**
   * Runs a write in one transaction with its change events and its access-log entries;
   * publishes the events after commit.
   */
  async tx<T>(
    work: (tx: Tx) => Promise<T>,
    /** accessUnchanged: the write changes no access fact of its case (involvement, regie, consent, shares…): keep them loaded */
    opts: { accessUnchanged?: boolean } = {},
  ): Promise<T> {
    try {
      return await inTransaction(this.deps.ds, this.viewer, work, this.deps.afterCommit, () => [
        { log: this.logContext, action: "WRITE", uses: [...this.access.writes.values()] },
      ]);
    } finally {
      // Writes are logged with their transaction or not at all; what is read afterwards reflects them.
      this.access.writes.clear();
      if (!opts.accessUnchanged) this.access.clear();
    }
  }
}
