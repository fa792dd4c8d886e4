import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { db } from "./support/fixtures.js";
import { USERS } from "./support/hub.js";

/**
 * The compose deployment's pieces agree with each other and with the hub (CI also validates
 * docker-compose.yml itself with `docker-compose config -q`): Keycloak's realm holds every demo
 * user, its client issues tokens with the hub's audience and e-mail claim, the issuer is the one
 * the hubs trust, and the proxy passes WebSocket upgrades to both instances.
 */
const compose = await readFile("docker-compose.yml", "utf8");
const realm = JSON.parse(await readFile("deploy/keycloak/ketenhub-realm.json", "utf8"));
const nginx = await readFile("deploy/nginx.conf", "utf8");
const env = (name: string) => [...compose.matchAll(new RegExp(`^\\s+${name}: "?([^"\\s#]+)"?`, "gm"))].map((m) => m[1]);

describe("deployment (docker-compose.yml, Keycloak realm, nginx)", () => {
  it("Keycloak's realm has every demo user of DOMAIN.md §7, and each is a professional in the seeded hub", async () => {
    const emails = realm.users.map((u: { email: string }) => u.email).sort();
    expect(emails).toEqual(Object.values(USERS).sort());
    for (const u of realm.users) {
      expect(u).toMatchObject({ username: u.email, emailVerified: true, enabled: true });
      expect(u.firstName && u.lastName, u.email).toBeTruthy(); // else Keycloak asks to complete the profile
      expect(u.credentials).toEqual([{ type: "password", value: "demo", temporary: false }]);
    }
    const known = await db().query<{ email: string }>("SELECT email FROM professional WHERE email = ANY($1)", [emails]);
    expect(known.rows.map((r) => r.email).sort()).toEqual(emails);
  });

  it("the client's tokens carry the hub's audience and e-mail claim, from the issuer the hubs trust", () => {
    const [client] = realm.clients;
    const mapper = (type: string) => client.protocolMappers.find((m: { protocolMapper: string }) => m.protocolMapper === type)?.config;
    expect(client).toMatchObject({ publicClient: true, directAccessGrantsEnabled: true });
    expect(env("OIDC_AUDIENCE")).toEqual([mapper("oidc-audience-mapper")["included.custom.audience"]]);
    expect(mapper("oidc-audience-mapper")["access.token.claim"]).toBe("true");
    expect(env("OIDC_EMAIL_CLAIM")).toEqual([mapper("oidc-usermodel-property-mapper")["claim.name"]]);
    expect(mapper("oidc-usermodel-property-mapper")["access.token.claim"]).toBe("true");
    expect(env("OIDC_ISSUER")).toEqual([`${env("KC_HOSTNAME")[0]}/realms/${realm.realm}`]);
    expect(env("OIDC_JWKS_URL")[0]).toBe(`http://keycloak:8080/realms/${realm.realm}/protocol/openid-connect/certs`);
    expect(env("NODE_ENV")).toEqual(["production"]);
  });

  it("the proxy balances over both hubs and passes WebSocket upgrades", () => {
    expect(nginx).toMatch(/server hub1:4000/);
    expect(nginx).toMatch(/server hub2:4000/);
    expect(nginx).toMatch(/proxy_http_version 1\.1;/);
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(nginx).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
    expect(compose).toMatch(/- \.\/deploy\/nginx\.conf:\/etc\/nginx\/nginx\.conf:ro/);
  });
});
