import { randomUUID } from "node:crypto";
import type { GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { ArgumentValidationError } from "type-graphql";
import type { ValidationError } from "class-validator";
import type { Logger } from "./logger.js";
import { DomainError } from "./errors.js";
import { FieldCryptoError } from "../crypto/field-crypto.js";

/** Codes produced by GraphQL itself or Apollo for a bad request: safe to pass on. */
const CLIENT_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
]);

/** Removes echoed input values from GraphQL's own coercion messages (they may be personal data). */
function withoutValues(message: string): string {
  return message
    // no field suggestions: they map the schema for someone probing it
    .replace(/ Did you mean .*\?$/s, "")
    // nor the size limits
    .replace(/(Document|Source) contains more (?:than|that) \d+ [\w-]+(?: [\w-]+)*\. Parsing aborted\./, "Document is too large.")
    .replace(/got invalid value .*? at "([^"]*)"; .*/s, 'has an invalid value at "$1"')
    .replace(/got invalid value .*?; .*/s, "has an invalid value")
    .replace(/found .*?;/s, "found an invalid value;");
}

/**
 * The offending field of a variable-coercion error (e.g. an unknown enum value), named like
 * validation errors name it: `at "input.scores[0].domain"` → "scores.0.domain" (the path inside
 * the variable). Undefined when GraphQL names no path below the variable.
 */
function coercionField(message: string): string | undefined {
  const path = /^Variable "\$[^"]+" got invalid value .*? at "([^"]+)"/s.exec(message)?.[1];
  const parts = path?.replace(/\[(\d+)\]/g, ".$1").split(".").slice(1);
  return parts?.length ? parts.join(".") : undefined;
}

/** PostgreSQL / socket codes meaning "the database is not reachable right now" (not a bug). */
const UNAVAILABLE_CODES = new Set(["57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006", "53300", "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT"]);
const UNAVAILABLE_MESSAGE = /Connection terminated|connection timeout|terminating connection|Client has encountered a connection error|Connection refused|the database system is (starting up|shutting down)/i;
/** TypeORM's errors when a transaction's connection was lost under it (it releases the runner). */
const UNAVAILABLE_NAMES = new Set(["QueryRunnerAlreadyReleasedError", "QueryRunnerProviderAlreadyReleasedError", "ConnectionIsNotSetError"]);

/**
 * True when `err` (or what it wraps: TypeORM's driverError, Apollo's originalError, a cause)
 * says the database connection failed: the request can simply be retried.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== "object" || depth > 5) return false;
  const e = err as { name?: unknown; code?: unknown; message?: unknown; driverError?: unknown; originalError?: unknown; cause?: unknown };
  if (typeof e.name === "string" && UNAVAILABLE_NAMES.has(e.name)) return true;
  if (typeof e.code === "string" && UNAVAILABLE_CODES.has(e.code)) return true;
  if (typeof e.message === "string" && UNAVAILABLE_MESSAGE.test(e.message)) return true;
  return [e.driverError, e.originalError, e.cause].some((x) => x !== err && isDatabaseUnavailable(x, depth + 1));
}

function flattenValidation(errors: ValidationError[], prefix = ""): { field: string; messages: string[] }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flattenValidation(e.children ?? [], field)];
  });
}

/**
 * The boundary of the two error lanes (DESIGN.md practice 8): domain errors keep their stable
 * code; validation errors are reshaped to field + rule; everything else is masked as
 * INTERNAL_SERVER_ERROR with a correlation id that is also in the log.
 */
export function createFormatError(log: Logger, exposeStack: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
    if (original instanceof ArgumentValidationError) {
      const fields = flattenValidation(original.extensions.validationErrors as ValidationError[]);
      return {
        ...base,
        message: `Invalid input: ${fields.map((f) => `${f.field}: ${f.messages.join(", ")}`).join("; ")}`,
        extensions: { code: "BAD_USER_INPUT", field: fields[0]?.field, fields },
      };
    }
    if (original instanceof DomainError) {
      const { http: _http, ...extensions } = original.extensions;
      return { ...base, extensions };
    }
    if (original instanceof FieldCryptoError) {
      // A stored value cannot be decrypted: its key is not in the ring (KEY_UNAVAILABLE) or it
      // was tampered with (DECRYPTION_FAILED). An operator's problem: code, key id and
      // correlation id in the log; the client gets the stable code, never a value.
      const correlationId = randomUUID();
      log.error({ correlationId, code: original.code, keyId: original.keyId, path: formatted.path }, "stored value cannot be decrypted");
      return { ...base, message: "Stored data cannot be decrypted", extensions: { code: original.code, correlationId } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === "string" && CLIENT_CODES.has(code)) {
      const field = coercionField(formatted.message);
      return { ...base, message: withoutValues(formatted.message), extensions: field ? { code, field } : { code } };
    }
    const correlationId = randomUUID();
    if (isDatabaseUnavailable(original) || isDatabaseUnavailable(error)) {
      // An outage, not a bug: one line without a stack, and a code clients can retry on.
      log.warn({ correlationId, code: "SERVICE_UNAVAILABLE", path: formatted.path }, "database unavailable");
      return { ...base, message: "The database is unavailable; try again shortly", extensions: { code: "SERVICE_UNAVAILABLE", correlationId } };
    }
    const err = original instanceof Error ? original : new Error(String(original));
    // Quoted fragments are dropped: database messages quote the offending values.
    const scrub = (t?: string) => t?.replace(/"[^"\n]*"/g, '"…"');
    log.error({ correlationId, err: { name: err.name, message: scrub(err.message), stack: scrub(err.stack) }, path: formatted.path }, "unexpected error");
    return {
      ...base,
      message: "Internal server error",
      extensions: { code: "INTERNAL_SERVER_ERROR", correlationId, ...(exposeStack ? { stacktrace: err.stack?.split("\n") } : {}) },
    };
  };
}
