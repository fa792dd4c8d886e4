import { LocalDateResolver } from "graphql-scalars";

/**
 * `LocalDate`: a calendar date, "YYYY-MM-DD" (birth dates, due dates). Validated by the scalar:
 * a malformed date is a BAD_USER_INPUT / GRAPHQL_VALIDATION_FAILED before any resolver runs.
 * Moments in time use type-graphql's `DateTimeISO` (`() => Date`).
 */
export const LocalDate = LocalDateResolver;
