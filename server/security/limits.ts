import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import { GraphQLError, NoSchemaIntrospectionCustomRule, specifiedRules, type ParseOptions, type ValidationContext, type ValidationRule } from "graphql";

/**
 * Request-shape limits, the same on HTTP and WebSocket (graphql-armor's rules; graphql-js's own
 * token limit). Generous for every operation the partner clients need (a full case at depth is
 * about 8 levels and cost ~2,000); error messages do not reveal the limits.
 */
export const LIMITS = {
  depth: 12,
  aliases: 15,
  directives: 10,
  cost: 15_000,
  tokens: 3_000,
  subscriptionsPerSocket: 20,
} as const;

export const parseOptions: ParseOptions = { maxTokens: LIMITS.tokens };

// Report a rejection as an ordinary validation error (GRAPHQL_VALIDATION_FAILED) instead of
// armor's default of throwing, which GraphQL servers turn into an internal error.
const hidden = {
  exposeLimits: false,
  propagateOnRejection: false,
  onReject: [
    (ctx: ValidationContext | null, err: GraphQLError): void => {
      ctx?.reportError(new GraphQLError(err.message.replace(/^Syntax Error: /, "")));
    },
  ],
};

export function limitRules(): ValidationRule[] {
  return [
    maxDepthRule({ n: LIMITS.depth, flattenFragments: true, ...hidden, errorMessage: "Query is too deep" }) as unknown as ValidationRule,
    maxAliasesRule({ n: LIMITS.aliases, ...hidden, errorMessage: "Too many aliases" }) as unknown as ValidationRule,
    maxDirectivesRule({ n: LIMITS.directives, ...hidden, errorMessage: "Too many directives" }) as unknown as ValidationRule,
    costLimitRule({ maxCost: LIMITS.cost, flattenFragments: true, ...hidden, errorMessage: "Query is too expensive" }) as unknown as ValidationRule,
  ];
}

/** All validation rules for the WebSocket path (Apollo adds specifiedRules itself on HTTP). */
export function allRules(production: boolean): ValidationRule[] {
  return [...specifiedRules, ...limitRules(), ...(production ? [NoSchemaIntrospectionCustomRule] : [])];
}
