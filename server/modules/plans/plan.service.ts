import type { EntityManager, EntityTarget, ObjectLiteral } from "typeorm";
import { CATEGORIES } from "../../access/categories.js";
import { assertCanWrite } from "../../access/policy.js";
import { requireVisibleCase } from "../../access/rows.js";
import { BadInputError, NotFoundError, staleVersion } from "../../common/errors.js";
import type { Ctx } from "../../context.js";
import { assertOpen } from "../cases/case.service.js";
import { today } from "../consent/dates.js";
import { FamilyEntity } from "../families/family.entity.js";
import { GoalEntity, LifeDomainScoreEntity, NetworkMemberEntity, PartialPlanEntity, PlanEntity } from "./plan.entity.js";
import type {
  AddGoalInput,
  AddNetworkMemberInput,
  AddPartialPlanInput,
  CreatePlanInput,
  RecordLifeDomainScoresInput,
  UpdateGoalInput,
  UpdateNetworkMemberInput,
  UpdatePartialPlanInput,
  UpdatePlanInput,
} from "./plan.input.js";
import { UUID, involvedOrganisations, orgSet } from "../../common/ids.js";

const lowerOrNull = (id: string | null | undefined) => (id ? id.toLowerCase() : null);

/** An item by id, or NOT_FOUND on `id` (malformed ids included). */
async function loadItem<E extends ObjectLiteral>(ctx: Ctx, entity: EntityTarget<E>, what: string, id: string): Promise<E> {
  const item = UUID.test(id) ? await ctx.ds.getRepository(entity).findOneBy({ id: id.toLowerCase() } as never) : null;
  if (!item) throw new NotFoundError(what, "id");
  return item;
}

/** Fields that may be omitted but not cleared. */
function refuseNulls<T extends object>(input: T, fields: (keyof T & string)[]): void {
  for (const f of fields) if (input[f] === null) throw new BadInputError(f, "must not be null");
}

/** Goals, partial plans and the network belong to the plan: it must exist first. */
async function requirePlan(em: EntityManager, caseId: string): Promise<PlanEntity> {
  const plan = await em.getRepository(PlanEntity).findOneBy({ caseId });
  if (!plan) throw new BadInputError("caseId", "the case has no plan: create the plan first");
  return plan;
}

// ---------------------------------------------------------------------------------------------
// Plan

/** The children's part of the plan: words only when heard, and only for a household with children. */
async function assertChildrenPart(ctx: Ctx, familyId: string, state: { childrenHeard: boolean; childrenWords: string | null }): Promise<void> {
  if (state.childrenWords && !state.childrenHeard) throw new BadInputError("childrenHeard", "must be true when the children's own words are recorded");
  if (state.childrenHeard) {
    const family = await ctx.ds.getRepository(FamilyEntity).findOneBy({ id: familyId });
    if (!family?.hasChildren) throw new BadInputError("childrenHeard", "the household has no children");
  }
}

/** Het integrale plan: creates the case's one plan (REGISSEUR); a second is a CONFLICT (uq_plan_case). */
export async function createPlan(ctx: Ctx, input: CreatePlanInput): Promise<PlanEntity> {
  const c = await requireVisibleCase(ctx, input.caseId);
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.PLAN);
  const childrenHeard = input.childrenHeard ?? false;
  await assertChildrenPart(ctx, c.familyId, { childrenHeard, childrenWords: input.childrenWords ?? null });
  return ctx.tx(async (tx) => {
    const repo = tx.em.getRepository(PlanEntity);
    const who = tx.viewer.professionalId;
    const saved = await repo.save(
      repo.create({
        caseId: c.id,
        problemAnalysis: input.problemAnalysis ?? null,
        helpQuestion: input.helpQuestion ?? null,
        familyWords: input.familyWords ?? null,
        childrenWords: input.childrenWords ?? null,
        childrenHeard,
        createdBy: who,
        updatedBy: who,
      }),
    );
    tx.emit({ kind: "PLAN_CREATED", entity: "Plan", entityId: saved.id, caseId: c.id, organisationIds: orgSet(...(await involvedOrganisations(tx.em, c.id))) });
    return repo.findOneByOrFail({ id: saved.id });
  });
}

/** Changes the plan (REGISSEUR). Versioned. */
export async function updatePlan(ctx: Ctx, input: UpdatePlanInput): Promise<PlanEntity> {
  const item = await loadItem(ctx, PlanEntity, "Plan", input.id);
  const c = await requireVisibleCase(ctx, item.caseId, "id", "Plan");
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.PLAN);
  refuseNulls(input, ["childrenHeard"]);
  if (item.version !== input.version) throw staleVersion("Plan");
  const patch: Partial<PlanEntity> = {};
  for (const f of ["problemAnalysis", "helpQuestion", "familyWords", "childrenWords"] as const) if (input[f] !== undefined) patch[f] = input[f];
  if (input.childrenHeard != null) patch.childrenHeard = input.childrenHeard;
  await assertChildrenPart(ctx, c.familyId, {
    childrenHeard: patch.childrenHeard ?? item.childrenHeard,
    childrenWords: patch.childrenWords !== undefined ? patch.childrenWords : item.childrenWords,
  });
  return ctx.tx(async (tx) => {
    const updated = await tx.updateVersioned(PlanEntity, "Plan", item.id, input.version, patch);
    tx.emit({ kind: "PLAN_UPDATED", entity: "Plan", entityId: item.id, caseId: item.caseId, organisationIds: orgSet(...(await involvedOrganisations(tx.em, item.caseId))) });
    return updated;
  });
}

// ---------------------------------------------------------------------------------------------
// Life-domain scores

/**
 * Records an assessment of life domains (REGISSEUR): one row per domain, all or nothing, each
 * domain at most once per call. Assessments are kept over time; a reassessment adds rows.
 */
export async function recordLifeDomainScores(ctx: Ctx, input: RecordLifeDomainScoresInput): Promise<LifeDomainScoreEntity[]> {
  const c = await requireVisibleCase(ctx, input.caseId);
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.LIFE_DOMAINS);
  if (input.assessedOn > today()) throw new BadInputError("assessedOn", "must not be in the future");
  const seen = new Set<string>();
  for (const [i, s] of input.scores.entries()) {
    if (seen.has(s.domain)) throw new BadInputError(`scores.${i}.domain`, "this domain is already scored in this assessment");
    seen.add(s.domain);
  }
  return ctx.tx(async (tx) => {
    const repo = tx.em.getRepository(LifeDomainScoreEntity);
    const who = tx.viewer.professionalId;
    const result = await repo.insert(
      input.scores.map((s) => ({ caseId: c.id, domain: s.domain, score: s.score, note: s.note ?? null, assessedOn: input.assessedOn, createdBy: who })),
    );
    const ids = result.identifiers.map((r) => r.id as string);
    // one event per score, so each reaches exactly those who may read that domain
    for (const id of ids) tx.emit({ kind: "LIFE_DOMAINS_SCORED", entity: "LifeDomainScore", entityId: id, caseId: c.id, organisationIds: [] });
    const rows = await repo.createQueryBuilder("s").where("s.id IN (:...ids)", { ids }).getMany();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id)!);
  });
}

/** All scores of a case over time (by assessment date, then the matrix's domain order), or the latest per domain. */
export function selectScores(all: LifeDomainScoreEntity[], latestOnly: boolean, domainOrder: readonly string[]): LifeDomainScoreEntity[] {
  const rank = (s: LifeDomainScoreEntity) => domainOrder.indexOf(s.domain);
  if (!latestOnly) return [...all].sort((a, b) => a.assessedOn.localeCompare(b.assessedOn) || rank(a) - rank(b));
  // `all` is ordered by (assessedOn, createdAt): the last one seen per domain is the latest
  const latest = new Map<string, LifeDomainScoreEntity>();
  for (const s of all) latest.set(s.domain, s);
  return [...latest.values()].sort((a, b) => rank(a) - rank(b));
}

// ---------------------------------------------------------------------------------------------
// Partial plans

/**
 * Deelplan of an organisation actively involved in the case, linked to the plan. REGISSEUR, or a
 * PROFESSIONAL for its own organisation. One per organisation (uq_partial_plan_org → CONFLICT).
 */
export async function addPartialPlan(ctx: Ctx, input: AddPartialPlanInput): Promise<PartialPlanEntity> {
  const c = await requireVisibleCase(ctx, input.caseId);
  assertOpen(c);
  const organisationId = input.organisationId.toLowerCase();
  assertCanWrite(ctx, CATEGORIES.PLAN, { ownerOrganisationId: organisationId });
  return ctx.tx(async (tx) => {
    await requirePlan(tx.em, c.id);
    if (!(await involvedOrganisations(tx.em, c.id)).includes(organisationId)) {
      throw new BadInputError("organisationId", "must be an organisation actively involved in the case");
    }
    const repo = tx.em.getRepository(PartialPlanEntity);
    const who = tx.viewer.professionalId;
    const saved = await repo.save(
      repo.create({ caseId: c.id, organisationId, title: input.title, summary: input.summary ?? null, status: input.status ?? "ACTIVE", createdBy: who, updatedBy: who }),
    );
    tx.emit({ kind: "PARTIAL_PLAN_ADDED", entity: "PartialPlan", entityId: saved.id, caseId: c.id, organisationIds: [organisationId] });
    return repo.findOneByOrFail({ id: saved.id });
  });
}

/** Changes a partial plan: REGISSEUR, or a PROFESSIONAL of its organisation. Versioned. */
export async function updatePartialPlan(ctx: Ctx, input: UpdatePartialPlanInput): Promise<PartialPlanEntity> {
  const item = await loadItem(ctx, PartialPlanEntity, "PartialPlan", input.id);
  const c = await requireVisibleCase(ctx, item.caseId, "id", "PartialPlan");
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.PLAN, { ownerOrganisationId: item.organisationId });
  refuseNulls(input, ["title", "status"]);
  if (item.version !== input.version) throw staleVersion("PartialPlan");
  const patch: Partial<PartialPlanEntity> = {};
  if (input.title != null) patch.title = input.title;
  if (input.summary !== undefined) patch.summary = input.summary;
  if (input.status != null) patch.status = input.status;
  return ctx.tx(async (tx) => {
    const updated = await tx.updateVersioned(PartialPlanEntity, "PartialPlan", item.id, input.version, patch);
    tx.emit({ kind: "PARTIAL_PLAN_UPDATED", entity: "PartialPlan", entityId: item.id, caseId: item.caseId, organisationIds: [item.organisationId] });
    return updated;
  });
}

// ---------------------------------------------------------------------------------------------
// Goals

/** A partial plan of this case, or BAD_USER_INPUT on partialPlanId. */
async function partialPlanOfCase(ctx: Ctx, caseId: string, id: string): Promise<PartialPlanEntity> {
  const pp = await ctx.ds.getRepository(PartialPlanEntity).findOneBy({ id: id.toLowerCase(), caseId });
  if (!pp) throw new BadInputError("partialPlanId", "is not a partial plan of this case");
  return pp;
}

async function assertMemberOfFamily(em: EntityManager, familyId: string, memberId: string): Promise<void> {
  const rows = (await em.query("SELECT 1 FROM family_member WHERE id = $1 AND family_id = $2", [memberId, familyId])) as unknown[];
  if (rows.length === 0) throw new BadInputError("memberId", "is not a member of this case's family");
}

function assertDueOn(dueOn: string | null | undefined): void {
  if (dueOn && dueOn < today()) throw new BadInputError("dueOn", "must not be in the past");
}

/**
 * Adds a goal to the plan. REGISSEUR; a PROFESSIONAL only to its own organisation's partial plan,
 * with its own organisation responsible.
 * References must be of this case: the member of its family, the partial plan, and a responsible
 * organisation actively involved (default: the partial plan's organisation).
 */
export async function addGoal(ctx: Ctx, input: AddGoalInput): Promise<GoalEntity> {
  const c = await requireVisibleCase(ctx, input.caseId);
  assertOpen(c);
  const pp = input.partialPlanId ? await partialPlanOfCase(ctx, c.id, input.partialPlanId) : null;
  assertCanWrite(ctx, CATEGORIES.PLAN, { ownerOrganisationId: pp?.organisationId ?? null });
  const responsible = lowerOrNull(input.responsibleOrganisationId) ?? pp?.organisationId ?? null;
  // a care provider does not hand responsibility to another organisation (the regisseur does)
  assertCanWrite(ctx, CATEGORIES.PLAN, { ownerOrganisationId: responsible });
  assertDueOn(input.dueOn);
  const memberId = lowerOrNull(input.memberId);
  return ctx.tx(async (tx) => {
    await requirePlan(tx.em, c.id);
    if (responsible && !(await involvedOrganisations(tx.em, c.id)).includes(responsible)) {
      throw new BadInputError("responsibleOrganisationId", "must be an organisation actively involved in the case");
    }
    if (memberId) await assertMemberOfFamily(tx.em, c.familyId, memberId);
    const repo = tx.em.getRepository(GoalEntity);
    const who = tx.viewer.professionalId;
    const saved = await repo.save(
      repo.create({
        caseId: c.id,
        partialPlanId: pp?.id ?? null,
        title: input.title,
        description: input.description ?? null,
        domain: input.domain ?? null,
        memberId,
        isSafetyGoal: input.isSafetyGoal ?? false,
        priority: input.priority ?? 3,
        targetMeasure: input.targetMeasure ?? null,
        dueOn: input.dueOn ?? null,
        responsibleOrganisationId: responsible,
        status: input.status ?? "OPEN",
        createdBy: who,
        updatedBy: who,
      }),
    );
    tx.emit({ kind: "GOAL_ADDED", entity: "Goal", entityId: saved.id, caseId: c.id, organisationIds: orgSet(responsible, pp?.organisationId) });
    return repo.findOneByOrFail({ id: saved.id });
  });
}

/**
 * Changes a goal. Versioned. REGISSEUR; a PROFESSIONAL only while the goal is in its own
 * organisation's partial plan, before and after the change, and may make only its own
 * organisation responsible. Changed references are checked as
 * in addGoal (unchanged ones are kept even if, say, the organisation is no longer involved).
 */
export async function updateGoal(ctx: Ctx, input: UpdateGoalInput): Promise<GoalEntity> {
  const item = await loadItem(ctx, GoalEntity, "Goal", input.id);
  const c = await requireVisibleCase(ctx, item.caseId, "id", "Goal");
  assertOpen(c);
  const before = item.partialPlanId ? await ctx.ds.getRepository(PartialPlanEntity).findOneBy({ id: item.partialPlanId }) : null;
  assertCanWrite(ctx, CATEGORIES.PLAN, { ownerOrganisationId: before?.organisationId ?? null });
  const movesTo = input.partialPlanId !== undefined && lowerOrNull(input.partialPlanId) !== item.partialPlanId;
  const after = movesTo ? (input.partialPlanId ? await partialPlanOfCase(ctx, c.id, input.partialPlanId) : null) : before;
  if (movesTo) assertCanWrite(ctx, CATEGORIES.PLAN, { ownerOrganisationId: after?.organisationId ?? null });
  const responsible = input.responsibleOrganisationId !== undefined ? lowerOrNull(input.responsibleOrganisationId) : item.responsibleOrganisationId;
  // a care provider does not hand responsibility to another organisation (the regisseur does)
  if (responsible !== item.responsibleOrganisationId) assertCanWrite(ctx, CATEGORIES.PLAN, { ownerOrganisationId: responsible });
  refuseNulls(input, ["title", "isSafetyGoal", "priority", "status"]);
  if (item.version !== input.version) throw staleVersion("Goal");
  if (input.dueOn !== item.dueOn) assertDueOn(input.dueOn);

  const patch: Partial<GoalEntity> = {};
  if (input.title != null) patch.title = input.title;
  if (input.isSafetyGoal != null) patch.isSafetyGoal = input.isSafetyGoal;
  if (input.priority != null) patch.priority = input.priority;
  if (input.status != null) patch.status = input.status;
  for (const f of ["description", "domain", "targetMeasure", "dueOn"] as const) if (input[f] !== undefined) (patch as Record<string, unknown>)[f] = input[f];
  if (movesTo) patch.partialPlanId = after?.id ?? null;
  const memberId = input.memberId !== undefined ? lowerOrNull(input.memberId) : item.memberId;
  if (memberId !== item.memberId) patch.memberId = memberId;
  if (responsible !== item.responsibleOrganisationId) patch.responsibleOrganisationId = responsible;

  return ctx.tx(async (tx) => {
    if (patch.responsibleOrganisationId && !(await involvedOrganisations(tx.em, item.caseId)).includes(patch.responsibleOrganisationId)) {
      throw new BadInputError("responsibleOrganisationId", "must be an organisation actively involved in the case");
    }
    if (patch.memberId) await assertMemberOfFamily(tx.em, c.familyId, patch.memberId);
    const updated = await tx.updateVersioned(GoalEntity, "Goal", item.id, input.version, patch);
    tx.emit({
      kind: "GOAL_UPDATED",
      entity: "Goal",
      entityId: item.id,
      caseId: item.caseId,
      organisationIds: orgSet(item.responsibleOrganisationId, updated.responsibleOrganisationId, before?.organisationId, after?.organisationId),
    });
    return updated;
  });
}

// ---------------------------------------------------------------------------------------------
// Social network

/** Eigen kracht: adds someone from the family's social network to the plan (REGISSEUR). */
export async function addNetworkMember(ctx: Ctx, input: AddNetworkMemberInput): Promise<NetworkMemberEntity> {
  const c = await requireVisibleCase(ctx, input.caseId);
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.PLAN);
  return ctx.tx(async (tx) => {
    await requirePlan(tx.em, c.id);
    const repo = tx.em.getRepository(NetworkMemberEntity);
    const who = tx.viewer.professionalId;
    const saved = await repo.save(
      repo.create({
        caseId: c.id,
        name: input.name,
        relation: input.relation,
        phone: input.phone ?? null,
        contribution: input.contribution ?? null,
        createdBy: who,
        updatedBy: who,
      }),
    );
    tx.emit({ kind: "NETWORK_MEMBER_ADDED", entity: "NetworkMember", entityId: saved.id, caseId: c.id, organisationIds: [] });
    return repo.findOneByOrFail({ id: saved.id });
  });
}

/** Changes a network member (REGISSEUR). Versioned. */
export async function updateNetworkMember(ctx: Ctx, input: UpdateNetworkMemberInput): Promise<NetworkMemberEntity> {
  const item = await loadItem(ctx, NetworkMemberEntity, "NetworkMember", input.id);
  const c = await requireVisibleCase(ctx, item.caseId, "id", "NetworkMember");
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.PLAN);
  refuseNulls(input, ["name", "relation"]);
  if (item.version !== input.version) throw staleVersion("NetworkMember");
  const patch: Partial<NetworkMemberEntity> = {};
  if (input.name != null) patch.name = input.name;
  if (input.relation != null) patch.relation = input.relation;
  if (input.phone !== undefined) patch.phone = input.phone;
  if (input.contribution !== undefined) patch.contribution = input.contribution;
  return ctx.tx(async (tx) => {
    const updated = await tx.updateVersioned(NetworkMemberEntity, "NetworkMember", item.id, input.version, patch);
    tx.emit({ kind: "NETWORK_MEMBER_UPDATED", entity: "NetworkMember", entityId: item.id, caseId: item.caseId, organisationIds: [] });
    return updated;
  });
}
