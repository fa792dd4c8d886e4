import { CATEGORIES } from "../../access/categories.js";
import { assertCanWrite } from "../../access/policy.js";
import { requireVisibleCase } from "../../access/rows.js";
import { BadInputError, ConflictError, NotFoundError } from "../../common/errors.js";
import type { Ctx } from "../../context.js";
import type { Tx } from "../../db/tx.js";
import { assertOpen } from "../cases/case.service.js";
import { FamilyMemberEntity } from "../families/family.entity.js";
import { ConsentEntity, SharingDecisionEntity, type ConsentRule } from "./consent.entity.js";
import type { RecordConsentInput, RecordSharingDecisionInput, WithdrawConsentInput, WithdrawSharingDecisionInput } from "./consent.input.js";
import { ageOn, today } from "./dates.js";
import { UUID } from "../../common/ids.js";


type Member = Pick<FamilyMemberEntity, "id" | "kind" | "birthDate">;

/** Adult on `on`: 18 or older by birth date; without a birth date, by the member's kind. */
function isAdult(m: Member, on: string): boolean {
  return m.birthDate ? ageOn(m.birthDate, on) >= 18 : m.kind === "ADULT";
}

/**
 * The rule for minors (WGBO / Jeugdwet): under 12 the parents or guardians consent; from 12 to 15
 * the parents AND the child; from 16 the young person alone. Adults and the whole household: ADULT.
 * Decided by the subject's age on the day the consent was given.
 */
export function consentRuleFor(subject: Member | null, givenOn: string): ConsentRule {
  if (!subject || isAdult(subject, givenOn) || !subject.birthDate) return "ADULT";
  const age = ageOn(subject.birthDate, givenOn);
  if (age < 12) return "PARENTS";
  if (age < 16) return "PARENTS_AND_CHILD";
  return "YOUNG_PERSON";
}

/** Why these givers cannot give consent under `rule`, or null when they can. */
export function giversProblem(rule: ConsentRule, subject: Member | null, givers: Member[], givenOn: string): string | null {
  const adult = (m: Member) => isAdult(m, givenOn);
  const isSubject = (m: Member) => m.id === subject?.id;
  switch (rule) {
    case "ADULT":
      return givers.every(adult) ? null : "consent for an adult or for the whole household can only be given by adults";
    case "PARENTS":
      return givers.every(adult) ? null : "consent for a child under 12 is given by the parents or guardians, not by the child or other minors";
    case "PARENTS_AND_CHILD":
      if (!givers.some(isSubject) || !givers.some(adult)) return "consent for a child of 12 to 15 needs both the child and a parent or guardian";
      return givers.every((m) => isSubject(m) || adult(m)) ? null : "only the child and adults can give consent for a child of 12 to 15";
    case "YOUNG_PERSON":
      if (!givers.some(isSubject)) return "consent for a young person of 16 or 17 is given by the young person";
      return givers.every((m) => isSubject(m) || adult(m)) ? null : "only the young person and adults can give consent for a young person of 16 or 17";
  }
}

/** The organisation must be actively involved in the case (consent is given to a party in it). */
async function assertInvolved(tx: Tx, caseId: string, organisationId: string): Promise<void> {
  const rows = (await tx.em.query(
    "SELECT 1 FROM involvement WHERE case_id = $1 AND organisation_id = $2 AND ended_at IS NULL",
    [caseId, organisationId],
  )) as unknown[];
  if (rows.length === 0) throw new BadInputError("organisationId", "the organisation is not involved in this case");
}

function assertDates(on: string, onField: string, validUntil: string | null | undefined): void {
  if (on > today()) throw new BadInputError(onField, "must not be in the future");
  if (validUntil != null && validUntil <= on) throw new BadInputError("validUntil", `must be after ${onField}`);
}

/** Records a consent; the rule for minors is derived from the subject's age and enforced on the givers. */
export async function recordConsent(ctx: Ctx, input: RecordConsentInput): Promise<ConsentEntity> {
  const c = await requireVisibleCase(ctx, input.caseId);
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.CONSENT);
  assertDates(input.givenOn, "givenOn", input.validUntil);
  return ctx.tx(async (tx) => {
    await assertInvolved(tx, c.id, input.organisationId);
    const members = await tx.em.getRepository(FamilyMemberEntity).findBy({ familyId: c.familyId });
    const byId = new Map(members.map((m) => [m.id, m]));
    let subject: FamilyMemberEntity | null = null;
    if (input.subjectMemberId) {
      subject = byId.get(input.subjectMemberId.toLowerCase()) ?? null;
      if (!subject) throw new BadInputError("subjectMemberId", "is not a member of this case's family");
    }
    const giverIds = [...new Set(input.givenByMemberIds.map((id) => id.toLowerCase()))];
    const givers = giverIds.map((id) => byId.get(id));
    if (givers.some((m) => !m)) throw new BadInputError("givenByMemberIds", "every giver must be a member of this case's family");
    const rule = consentRuleFor(subject, input.givenOn);
    const problem = giversProblem(rule, subject, givers as FamilyMemberEntity[], input.givenOn);
    if (problem) throw new BadInputError("givenByMemberIds", problem);

    const saved = await tx.em.getRepository(ConsentEntity).save(
      tx.em.getRepository(ConsentEntity).create({
        caseId: c.id,
        organisationId: input.organisationId.toLowerCase(),
        categories: [...input.categories],
        purpose: input.purpose,
        subjectMemberId: subject?.id ?? null,
        givenByMemberIds: giverIds,
        consentRule: rule,
        givenOn: input.givenOn,
        validUntil: input.validUntil ?? null,
        createdBy: tx.viewer.professionalId,
      }),
    );
    tx.emit({ kind: "CONSENT_GIVEN", entity: "Consent", entityId: saved.id, caseId: c.id, organisationIds: [saved.organisationId] });
    return tx.em.getRepository(ConsentEntity).findOneByOrFail({ id: saved.id });
  });
}

/** Records a decision to share without consent; the viewer is the one who decided. */
export async function recordSharingDecision(ctx: Ctx, input: RecordSharingDecisionInput): Promise<SharingDecisionEntity> {
  const c = await requireVisibleCase(ctx, input.caseId);
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.CONSENT);
  assertDates(input.decidedOn, "decidedOn", input.validUntil);
  return ctx.tx(async (tx) => {
    await assertInvolved(tx, c.id, input.organisationId);
    const repo = tx.em.getRepository(SharingDecisionEntity);
    const saved = await repo.save(
      repo.create({
        caseId: c.id,
        organisationId: input.organisationId.toLowerCase(),
        categories: [...input.categories],
        legalBasis: input.legalBasis,
        weighing: input.weighing,
        decidedBy: tx.viewer.professionalId,
        decidedOn: input.decidedOn,
        validUntil: input.validUntil ?? null,
        createdBy: tx.viewer.professionalId,
      }),
    );
    tx.emit({ kind: "SHARING_DECIDED", entity: "SharingDecision", entityId: saved.id, caseId: c.id, organisationIds: [saved.organisationId] });
    return repo.findOneByOrFail({ id: saved.id });
  });
}

/**
 * Withdrawal is effective at once (withdrawn_at = now(); the access layer stops sharing in the
 * same commit). Allowed on a closed case too: a client's withdrawal does not wait for a case to
 * be open. A second withdrawal is a CONFLICT.
 */
async function withdraw<E extends ConsentEntity | SharingDecisionEntity>(
  ctx: Ctx,
  entity: new () => E,
  what: "Consent" | "SharingDecision",
  input: { id: string; reason?: string | null },
): Promise<E> {
  const item = UUID.test(input.id) ? await ctx.ds.getRepository(entity).findOneBy({ id: input.id.toLowerCase() } as never) : null;
  if (!item) throw new NotFoundError(what, "id");
  await requireVisibleCase(ctx, item.caseId, "id", what);
  assertCanWrite(ctx, CATEGORIES.CONSENT);
  return ctx.tx(async (tx) => {
    const result = await tx.em
      .createQueryBuilder()
      .update(entity)
      .set({ withdrawnAt: () => "now()", withdrawnBy: tx.viewer.professionalId, withdrawalReason: input.reason ?? null } as never)
      .where("id = :id AND withdrawn_at IS NULL", { id: item.id })
      .execute();
    if (result.affected !== 1) throw new ConflictError(`the ${what === "Consent" ? "consent" : "sharing decision"} was already withdrawn`, { field: "id" });
    tx.emit({
      kind: what === "Consent" ? "CONSENT_WITHDRAWN" : "SHARING_WITHDRAWN",
      entity: what,
      entityId: item.id,
      caseId: item.caseId,
      organisationIds: [item.organisationId],
    });
    return tx.em.getRepository(entity).findOneByOrFail({ id: item.id } as never);
  });
}

export const withdrawConsent = (ctx: Ctx, input: WithdrawConsentInput) => withdraw(ctx, ConsentEntity, "Consent", input);
export const withdrawSharingDecision = (ctx: Ctx, input: WithdrawSharingDecisionInput) =>
  withdraw(ctx, SharingDecisionEntity, "SharingDecision", input);

export interface Grant {
  organisationId: string;
  categories: string[];
  source: "CONSENT" | "SHARING_DECISION";
  id: string;
}

const ACTIVE = "withdrawn_at IS NULL AND (valid_until IS NULL OR valid_until >= current_date)";

/**
 * The active consents and sharing decisions of a case (for consent-based field access).
 * Batched per request: many cases cost one SQL statement for consents and one for decisions.
 */
export function activeGrants(ctx: Ctx, caseId: string): Promise<Grant[]> {
  return ctx.loaders
    .custom<string, Grant[]>("consent.activeGrants", async (caseIds) => {
      const ids = caseIds.map((id) => id.toLowerCase());
      type Row = { id: string; case_id: string; organisation_id: string; categories: string[] };
      const select = (table: string) =>
        ctx.ds.query(`SELECT id, case_id, organisation_id, categories FROM ${table} WHERE case_id = ANY($1::uuid[]) AND ${ACTIVE} ORDER BY created_at, id`, [
          ids,
        ]) as Promise<Row[]>;
      const [consents, decisions] = await Promise.all([select("consent"), select("sharing_decision")]);
      const byCase = new Map<string, Grant[]>(ids.map((id) => [id, []]));
      const add = (rows: Row[], source: Grant["source"]) => {
        for (const r of rows) byCase.get(r.case_id)?.push({ organisationId: r.organisation_id, categories: r.categories, source, id: r.id });
      };
      add(consents, "CONSENT");
      add(decisions, "SHARING_DECISION");
      return ids.map((id) => byCase.get(id) ?? []);
    })
    .load(caseId);
}
