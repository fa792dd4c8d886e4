import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { validateOrReject, type ValidatorOptions } from "class-validator";
import { ArgumentValidationError, buildSchema, type NonEmptyArray } from "type-graphql";
import { enforceAccess } from "./access/enforce.js";
import { callFieldResolversDirectly } from "./common/direct-resolvers.js";
import { shareEmptyArguments } from "./common/no-args.js";
import { CaseResolver, InvolvementResolver } from "./modules/cases/case.resolver.js";
import { MeResolver, ProfessionalResolver } from "./modules/directory/directory.resolver.js";
import { FamilyMemberResolver, FamilyResolver } from "./modules/families/family.resolver.js";
import { resolvers as access } from "./modules/access/index.js";
import { resolvers as changes } from "./modules/changes/index.js";
import { resolvers as handover } from "./modules/handover/index.js";
import { resolvers as regie } from "./modules/regie/index.js";
import { resolvers as plans } from "./modules/plans/index.js";
import { resolvers as safety } from "./modules/safety/index.js";
import { resolvers as risk } from "./modules/risk/index.js";
import { resolvers as meetings } from "./modules/meetings/index.js";
import { resolvers as signals } from "./modules/signals/index.js";
import { resolvers as consent } from "./modules/consent/index.js";
import { resolvers as decisions } from "./modules/decisions/index.js";
import { resolvers as monitoring } from "./modules/monitoring/index.js";
import { resolvers as evaluation } from "./modules/evaluation/index.js";
import { resolvers as privacy } from "./modules/privacy/index.js";
import { resolvers as indicators } from "./modules/indicators/index.js";

/** Every resolver class, listed explicitly. */
export const resolvers: NonEmptyArray<Function> = [
  MeResolver,
  ProfessionalResolver,
  CaseResolver,
  InvolvementResolver,
  FamilyResolver,
  FamilyMemberResolver,
  ...access,
  ...changes,
  ...handover,
  ...regie,
  ...plans,
  ...safety,
  ...risk,
  ...meetings,
  ...signals,
  ...consent,
  ...decisions,
  ...monitoring,
  ...evaluation,
  ...privacy,
  ...indicators,
];

const VALIDATOR_OPTIONS: ValidatorOptions = { forbidUnknownValues: false, skipMissingProperties: true };

/**
 * type-graphql's own argument validation with class-validator statically imported: its default
 * path runs `await import("class-validator")` on every validated argument, a module-loader round
 * trip per request (measured as a visible share of a read's CPU). Same rules: objects (and the
 * objects of a list) are validated, missing properties skipped, errors as ArgumentValidationError.
 */
async function validateArgs(value: unknown): Promise<void> {
  if (value === null || typeof value !== "object") return;
  try {
    if (Array.isArray(value)) await Promise.all(value.filter((v) => v !== null && typeof v === "object").map((v: object) => validateOrReject(v, VALIDATOR_OPTIONS)));
    else await validateOrReject(value, VALIDATOR_OPTIONS);
  } catch (err) {
    throw new ArgumentValidationError(err as never);
  }
}

/** The executable schema, with the access policy wrapped around every field (access/enforce.ts). */
export async function createSchema(): Promise<GraphQLSchema> {
  shareEmptyArguments();
  return enforceAccess(callFieldResolversDirectly(await buildSchema({
    resolvers,
    // class-validator on every input and args type; errors are reshaped in http.ts (no values echoed)
    validate: { forbidUnknownValues: false },
    validateFn: validateArgs,
    emitSchemaFile: false,
    // Subscriptions use their own `subscribe` (realtime/stream.ts, fed by the durable outbox);
    // type-graphql requires a PubSub anyway, and this one must never be used.
    pubSub: {
      publish: () => {
        throw new Error("in-memory PubSub is not used: changes go through the outbox");
      },
      subscribe: () => {
        throw new Error("in-memory PubSub is not used: changes go through the outbox");
      },
    },
  })));
}
