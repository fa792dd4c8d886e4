import type { ApolloServerPlugin } from "@apollo/server";
import { SpanKind, SpanStatusCode, type Tracer } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { Ctx } from "../context.js";

/**
 * OpenTelemetry traces, only when an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT,
 * OTLP over HTTP, spans sent to `<endpoint>/v1/traces`). Without it nothing is loaded into the
 * request path: no plugin, no provider, zero overhead.
 *
 * One span per GraphQL operation over HTTP: `<type> <name>` with the operation's type and name,
 * the correlation id (the same as in the logs and the access log) and the error codes; over
 * WebSocket one span per subscription start (`subscribe <name>`, with the codes of a refusal)
 * and one per delivered event (`subscription <name>`: from the event's hand-over to the socket
 * until it is logged and sent). Never variables, documents, results, case ids or anything about
 * the viewer: spans leave the hub.
 */
export class Tracing {
  private readonly provider: BasicTracerProvider;
  private readonly tracer: Tracer;

  constructor(endpoint: string, serviceName: string) {
    const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, "")}/v1/traces` });
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ "service.name": serviceName }),
      spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })],
    });
    this.tracer = this.provider.getTracer("ketenhub");
  }

  plugin(): ApolloServerPlugin<Ctx> {
    const tracer = this.tracer;
    return {
      async requestDidStart({ contextValue }) {
        const span = tracer.startSpan("graphql", {
          kind: SpanKind.SERVER,
          attributes: { "ketenhub.correlation_id": contextValue.requestId },
        });
        return {
          async didResolveOperation({ operation, operationName }) {
            const type = operation?.operation ?? "unknown";
            const name = operationName ?? "anonymous";
            span.updateName(`${type} ${name}`);
            span.setAttributes({ "graphql.operation.type": type, "graphql.operation.name": name });
          },
          async willSendResponse({ response }) {
            const errors = response.body.kind === "single" ? response.body.singleResult.errors : undefined;
            if (errors?.length) {
              const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? "UNKNOWN")))];
              span.setAttribute("graphql.error.codes", codes);
              span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(",") });
            }
            span.end();
          },
        };
      },
    };
  }

  /**
   * A finished span of the WebSocket path: `name` ("subscribe X" or "subscription X"), from
   * `startedAt` (ms since the epoch) to now, with the correlation id and any error codes.
   */
  record(name: string, operationName: string, correlationId: string, startedAt: number, errorCodes: string[] = [], attributes: Record<string, string | number | boolean> = {}): void {
    const span = this.tracer.startSpan(name, {
      kind: SpanKind.SERVER,
      startTime: startedAt,
      attributes: { "graphql.operation.type": "subscription", "graphql.operation.name": operationName, "ketenhub.correlation_id": correlationId, ...attributes },
    });
    if (errorCodes.length) {
      const codes = [...new Set(errorCodes)];
      span.setAttribute("graphql.error.codes", codes);
      span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(",") });
    }
    span.end();
  }

  forceFlush(): Promise<void> {
    return this.provider.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.provider.shutdown();
  }
}

export function createTracing(config: { OTEL_EXPORTER_OTLP_ENDPOINT?: string; OTEL_SERVICE_NAME: string }): Tracing | undefined {
  return config.OTEL_EXPORTER_OTLP_ENDPOINT ? new Tracing(config.OTEL_EXPORTER_OTLP_ENDPOINT, config.OTEL_SERVICE_NAME) : undefined;
}
