import { GraphQLError } from "graphql";

/**
 * The domain's error lane: each maps to a stable `extensions.code` (DOMAIN.md §8).
 * Messages name the offending field and the rule, never the rejected value (it may be personal data).
 * Anything else thrown is unexpected and gets masked at the boundary (see http.ts formatError).
 */
export type ErrorCode = "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_USER_INPUT" | "CONFLICT" | "RATE_LIMITED";

export class DomainError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = "Authentication required") {
    super("UNAUTHENTICATED", message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = "Not allowed", extra: Record<string, unknown> = {}) {
    super("FORBIDDEN", message, extra);
  }
}

export class NotFoundError extends DomainError {
  /** `what` is a type name such as "Case"; the id is echoed because the caller sent it. */
  constructor(what: string, field?: string) {
    super("NOT_FOUND", `${what} not found`, field ? { field } : {});
  }
}

export class BadInputError extends DomainError {
  constructor(field: string, message: string) {
    super("BAD_USER_INPUT", `${field}: ${message}`, { field });
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super("CONFLICT", message, extra);
  }
}

export const staleVersion = (what: string) =>
  new ConflictError(`${what} was changed by someone else; reload and try again`, { field: "version" });
