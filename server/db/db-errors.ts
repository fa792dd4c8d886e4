import { BadInputError, ConflictError, DomainError } from "../common/errors.js";

/** Human messages for the invariants PostgreSQL holds (constraint name → message). */
const CONSTRAINT_MESSAGES: Record<string, string> = {
  uq_case_one_open_per_family: "this family already has an open case",
  uq_regie_one_active: "the case already has an active regisseur of this kind (assigned concurrently); reload and try again",
  uq_plan_case: "the case already has a plan",
  uq_safety_plan_case: "the case already has a safety plan",
  uq_handover_case: "the case already has a handover",
  uq_involvement_active: "this organisation is already involved in the case",
  uq_partial_plan_org: "this organisation already has a partial plan in the case",
  uq_member_bsn: "a person with this BSN is already registered",
  uq_professional_email: "a professional with this e-mail address already exists",
  uq_organisation_name: "an organisation with this name already exists",
};

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
  column?: string;
}

/**
 * Translates a PostgreSQL error into the domain's error lane. Never echoes `detail`:
 * PostgreSQL puts the offending values there, and they may be personal data.
 * Returns undefined for errors that are not input or conflict problems (they get masked).
 */
export function translateDbError(err: unknown): DomainError | undefined {
  if (err instanceof DomainError) return err;
  const e = (err as { driverError?: PgError }).driverError ?? (err as PgError);
  switch (e?.code) {
    case "23505":
      return new ConflictError(CONSTRAINT_MESSAGES[e.constraint ?? ""] ?? "conflicts with existing data", {
        constraint: e.constraint,
      });
    case "23503": {
      const column = /Key \(([a-z_]+)\)/.exec(e.detail ?? "")?.[1] ?? "reference";
      return new BadInputError(camel(column), "refers to something that does not exist");
    }
    case "23514":
      return new BadInputError(e.constraint ?? "input", "violates a rule of the data model");
    case "23502":
      return new BadInputError(camel(e.column ?? "input"), "is required");
    case "22001":
      return new BadInputError("input", "a value is too long");
    case "22P02":
    case "22007":
    case "22008":
      return new BadInputError("input", "a value has the wrong format");
    case "40001":
    case "40P01":
      return new ConflictError("concurrent change; try again");
    default:
      return undefined;
  }
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
