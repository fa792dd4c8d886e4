import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { createClient } from "redis";
import type { Viewer } from "../auth/viewer.js";
import { DomainError } from "../common/errors.js";

export class RateLimitedError extends DomainError {
  constructor(retryAfterMs: number) {
    super("RATE_LIMITED", "Too many requests; slow down", { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) });
  }
}

export interface RateLimiter {
  /** Counts one operation for the viewer and its organisation; throws RATE_LIMITED when over. */
  consume(viewer: Viewer): Promise<void>;
  close(): Promise<void>;
}

/**
 * Per user and per organisation, per minute (points), shared by all instances through Redis
 * when REDIS_URL is set, else per instance in memory. The message does not reveal the limits.
 */
export async function createRateLimiter(opts: { perUser: number; perOrganisation: number; redisUrl?: string }): Promise<RateLimiter> {
  let user: RateLimiterAbstract;
  let org: RateLimiterAbstract;
  let close = async () => undefined as void;
  if (opts.redisUrl) {
    const client = createClient({ url: opts.redisUrl });
    client.on("error", () => undefined);
    await client.connect();
    user = new RateLimiterRedis({ storeClient: client, useRedisPackage: true, keyPrefix: "khrl:user", points: opts.perUser, duration: 60 });
    org = new RateLimiterRedis({ storeClient: client, useRedisPackage: true, keyPrefix: "khrl:org", points: opts.perOrganisation, duration: 60 });
    close = async () => void (await client.quit().catch(() => undefined));
  } else {
    user = new RateLimiterMemory({ points: opts.perUser, duration: 60 });
    org = new RateLimiterMemory({ points: opts.perOrganisation, duration: 60 });
  }
  return {
    async consume(viewer) {
      try {
        await Promise.all([user.consume(viewer.professionalId), org.consume(viewer.organisationId)]);
      } catch (res) {
        if (res instanceof RateLimiterRes) throw new RateLimitedError(res.msBeforeNext);
        throw res; // the store failed: fail closed
      }
    },
    close,
  };
}
