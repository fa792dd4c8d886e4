import { GraphQLScalarType } from "graphql";
import { LocalDateResolver } from "graphql-scalars";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `LocalDate`: a calendar date, "YYYY-MM-DD" (birth dates, due dates). Validated by the scalar:
 * a malformed date is a BAD_USER_INPUT / GRAPHQL_VALIDATION_FAILED before any resolver runs.
 * Moments in time use type-graphql's `DateTimeISO` (`() => Date`).
 * Output: a string already in the "YYYY-MM-DD" shape (a PostgreSQL `date`, valid by
 * construction) is sent as it is; anything else goes through graphql-scalars' full check. Its
 * per-value date validation was a visible share of a page's CPU (hundreds of due dates).
 */
export const LocalDate = new GraphQLScalarType({
  ...LocalDateResolver.toConfig(),
  serialize: (value: unknown) => (typeof value === "string" && ISO_DATE.test(value) ? value : LocalDateResolver.serialize(value)),
});
