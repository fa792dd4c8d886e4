import { createCase, orgId, ORGS, type FixtureCase, type OrgKey } from "./fixtures.js";
import { USERS, type TestHub } from "./hub.js";

export const dayFromNow = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * A fresh case (regie r.jansen; the school De Vlinder, the GP and JGZ involved by default) with
 * a safety plan and one agreement shared with `shareWith` (default De Vlinder), made through
 * the API as the regisseur.
 */
export async function caseWithSharedAgreement(
  t: TestHub,
  opts: { involve?: OrgKey[]; shareWith?: OrgKey[]; what?: string; name?: string } = {},
): Promise<FixtureCase & { safetyPlanId: string; agreementId: string; agreementVersion: number; familyName: string }> {
  const name = opts.name ?? `Partnergezin-${Math.random().toString(36).slice(2, 8)}`;
  const fx = await createCase({ involve: opts.involve ?? ["vlinder", "hap", "jgz"], regisseur: USERS.jansen, name });
  const p = await t.ok<{ createSafetyPlan: { id: string } }>(
    USERS.jansen,
    `mutation($input: CreateSafetyPlanInput!) { createSafetyPlan(input: $input) { id } }`,
    { input: { caseId: fx.caseId, madeWithClient: true, whomToCall: "Regisseur Roos Jansen 06-10000001" } },
  );
  const share = await Promise.all((opts.shareWith ?? ["vlinder"]).map((k) => orgId(ORGS[k])));
  const a = await t.ok<{ addSafetyAgreement: { id: string; version: number } }>(
    USERS.jansen,
    `mutation($input: AddSafetyAgreementInput!) { addSafetyAgreement(input: $input) { id version } }`,
    {
      input: {
        caseId: fx.caseId,
        priority: 1,
        what: opts.what ?? "Kinderen worden elke ochtend door oma naar school gebracht",
        criterion: "Aanwezigheid op school elke dag voor 8.30",
        responsibleKind: "CLIENT",
        responsibleDescription: "moeder",
        dueOn: dayFromNow(30),
        shareWithOrganisationIds: share,
      },
    },
  );
  return { ...fx, familyName: name, safetyPlanId: p.createSafetyPlan.id, agreementId: a.addSafetyAgreement.id, agreementVersion: a.addSafetyAgreement.version };
}

export async function updateAgreementWhat(t: TestHub, id: string, version: number, what: string): Promise<number> {
  const r = await t.ok<{ updateSafetyAgreement: { version: number } }>(
    USERS.jansen,
    `mutation($input: UpdateSafetyAgreementInput!) { updateSafetyAgreement(input: $input) { version } }`,
    { input: { id, version, what } },
  );
  return r.updateSafetyAgreement.version;
}

/** Does the hub's emitted schema have this field/type yet (APIs merged from other branches)? */
export async function schemaHas(marker: RegExp): Promise<boolean> {
  const { readFile } = await import("node:fs/promises");
  return marker.test(await readFile("schema/schema.graphql", "utf8"));
}
