import type { ApolloServerPlugin } from "@apollo/server";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { DataSource } from "typeorm";
import type { Ctx } from "../context.js";
import type { Dispatcher } from "../realtime/dispatcher.js";

/**
 * Prometheus metrics at GET /metrics. Labels are operation names and result codes only — never
 * ids or personal data.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "ketenhub_graphql_requests_total",
    help: "GraphQL operations over HTTP by operation and outcome",
    labelNames: ["operation", "outcome"],
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: "ketenhub_graphql_duration_seconds",
    help: "GraphQL operation latency over HTTP",
    labelNames: ["operation"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly liveDelivery = new Histogram({
    name: "ketenhub_live_delivery_seconds",
    help: "From this instance handing a live event out to its payload going to a subscriber's socket: re-authorisation, decision, payload and access log",
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private bus: { reconnects?: number } | undefined;
  readonly busConnections = (() => {
    const m = this;
    return new Gauge({
      name: "ketenhub_bus_connections_total",
      help: "Times the bus listener (re)connected; growth means reconnects",
      registers: [this.registry],
      collect() {
        this.set(m.bus?.reconnects ?? 0);
      },
    });
  })();

  attachBus(bus: { reconnects?: number }): void {
    this.bus = bus;
  }

  constructor(ds: DataSource, dispatcher: Dispatcher) {
    collectDefaultMetrics({ register: this.registry, prefix: "ketenhub_" });
    new Gauge({
      name: "ketenhub_subscriptions_active",
      help: "Open subscriptions on this instance",
      registers: [this.registry],
      collect() {
        this.set(dispatcher.subscriptions);
      },
    });
    new Gauge({
      name: "ketenhub_feed_lag_events",
      help: "Committed change events this instance has not dispatched yet",
      registers: [this.registry],
      async collect() {
        const [r] = (await ds.query("SELECT last_id FROM feed_head WHERE id = 1")) as { last_id: string }[];
        this.set(Math.max(0, Number(r.last_id) - dispatcher.dispatchedUpTo));
      },
    });
    const pool = () => (ds.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
    new Gauge({
      name: "ketenhub_db_pool_connections",
      help: "Database pool connections by state",
      labelNames: ["state"],
      registers: [this.registry],
      collect() {
        const p = pool();
        if (!p) return;
        this.set({ state: "total" }, p.totalCount);
        this.set({ state: "idle" }, p.idleCount);
        this.set({ state: "waiting" }, p.waitingCount);
      },
    });
  }

  plugin(): ApolloServerPlugin<Ctx> {
    const m = this;
    return {
      async requestDidStart() {
        const end = m.latency.startTimer();
        let operation = "unknown";
        return {
          async didResolveOperation({ operationName, operation: op }) {
            operation = `${op?.operation ?? "query"} ${operationName ?? "anonymous"}`.slice(0, 80);
          },
          async willSendResponse({ response }) {
            const body = response.body.kind === "single" ? response.body.singleResult : undefined;
            const code = body?.errors?.[0]?.extensions?.code;
            m.requests.inc({ operation, outcome: typeof code === "string" ? code : "OK" });
            end({ operation });
          },
        };
      },
    };
  }
}
