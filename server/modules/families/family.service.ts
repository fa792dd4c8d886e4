import { In, type EntityManager } from "typeorm";
import { CATEGORIES } from "../../access/categories.js";
import { assertCanWrite } from "../../access/policy.js";
import { requireVisibleCase } from "../../access/rows.js";
import { BadInputError, NotFoundError, staleVersion } from "../../common/errors.js";
import { inCase, type InCase } from "../../common/source.js";
import type { Ctx } from "../../context.js";
import type { Tx } from "../../db/tx.js";
import { assertOpen } from "../cases/case.service.js";
import { today } from "../consent/dates.js";
import { OrganisationEntity } from "../directory/directory.entity.js";
import { FamilyEntity, FamilyMemberEntity, type MemberKind } from "./family.entity.js";
import type { AddFamilyMemberInput, UpdateFamilyMemberInput } from "./family.input.js";
import { UUID } from "../../common/ids.js";
import { bsnHash } from "../../crypto/field-crypto.js";
import { decideRead } from "../../access/decide.js";
import type { CaseEntity } from "../cases/case.entity.js";
import { isValidBsn } from "./family.input.js";

const lower = <T extends string | null | undefined>(id: T): T => (id ? (id.toLowerCase() as T) : id);

/** The organisations among `ids` (absent ones are simply missing), in one statement. */
export async function loadOrganisations(em: EntityManager, ids: (string | null | undefined)[]): Promise<Map<string, OrganisationEntity>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id && UUID.test(id)).map((id) => id.toLowerCase()))];
  if (wanted.length === 0) return new Map();
  const rows = await em.getRepository(OrganisationEntity).findBy({ id: In(wanted) });
  return new Map(rows.map((o) => [o.id, o]));
}

export interface MemberFacts {
  kind: MemberKind;
  birthDate?: string | null;
  schoolId?: string | null;
  gpId?: string | null;
}

/**
 * A member's own rules: a child has a birth date, no birth date in the future, the school is an
 * organisation of kind SCHOOL (and only children have one here), the GP one of kind GP.
 * `at` is the member's path in the input ("member", "family.members.1", or "" at top level).
 */
export function checkMember(m: MemberFacts, at: string, orgs: Map<string, OrganisationEntity>): void {
  const field = (name: string) => (at ? `${at}.${name}` : name);
  if (m.kind === "CHILD" && !m.birthDate) throw new BadInputError(field("birthDate"), "is required for a child");
  if (m.birthDate && m.birthDate > today()) throw new BadInputError(field("birthDate"), "must not be in the future");
  if (m.schoolId) {
    if (orgs.get(m.schoolId.toLowerCase())?.kind !== "SCHOOL") throw new BadInputError(field("schoolId"), "must be an organisation of kind SCHOOL");
    if (m.kind !== "CHILD") throw new BadInputError(field("schoolId"), "only a child has a school here");
  }
  if (m.gpId && orgs.get(m.gpId.toLowerCase())?.kind !== "GP") throw new BadInputError(field("gpId"), "must be an organisation of kind GP");
}

/** Inserts one member of `familyId` (its references already checked), recording who wrote it. */
export function insertMember(
  tx: Tx,
  familyId: string,
  m: MemberFacts & { givenName: string; familyName: string; bsn?: string | null },
): Promise<FamilyMemberEntity> {
  const repo = tx.em.getRepository(FamilyMemberEntity);
  return repo.save(
    repo.create({
      familyId,
      kind: m.kind,
      givenName: m.givenName,
      familyName: m.familyName,
      birthDate: m.birthDate ?? null,
      bsn: m.bsn ?? null,
      bsnHash: m.bsn ? bsnHash(m.bsn) : null,
      schoolId: lower(m.schoolId) ?? null,
      gpId: lower(m.gpId) ?? null,
      createdBy: tx.viewer.professionalId,
      updatedBy: tx.viewer.professionalId,
    }),
  );
}

/** The school and GP a member change concerns (they see or stop seeing the member). */
const concerned = (...ids: (string | null | undefined)[]) => [...new Set(ids.filter((id): id is string => !!id))];

/**
 * Adds a member to the household of a case (REGISSEUR; no BSN — only Veilig Thuis records it at
 * handover). A first child makes the household one with children.
 */
export async function addFamilyMember(ctx: Ctx, input: AddFamilyMemberInput): Promise<InCase<FamilyMemberEntity>> {
  const c = await requireVisibleCase(ctx, input.caseId);
  assertOpen(c);
  assertCanWrite(ctx, CATEGORIES.IDENTITY);
  const m = input.member;
  return ctx.tx(async (tx) => {
    checkMember(m, "member", await loadOrganisations(tx.em, [m.schoolId, m.gpId]));
    const saved = await insertMember(tx, c.familyId, m);
    if (m.kind === "CHILD") {
      await tx.em
        .createQueryBuilder()
        .update(FamilyEntity)
        .set({ hasChildren: true, version: () => "version + 1", updatedAt: () => "now()", updatedBy: tx.viewer.professionalId })
        .where("id = :id AND NOT has_children", { id: c.familyId })
        .execute();
    }
    tx.emit({ kind: "FAMILY_MEMBER_ADDED", entity: "FamilyMember", entityId: saved.id, caseId: c.id, organisationIds: concerned(saved.schoolId, saved.gpId) });
    return inCase(await tx.em.getRepository(FamilyMemberEntity).findOneByOrFail({ id: saved.id }), c.id);
  });
}

/**
 * Changes a member, through the family's open case the viewer can see (a member of a family
 * without one, or of a case the viewer cannot see, is NOT_FOUND). Versioned.
 */
export async function updateFamilyMember(ctx: Ctx, input: UpdateFamilyMemberInput): Promise<InCase<FamilyMemberEntity>> {
  const member = UUID.test(input.id) ? await ctx.ds.getRepository(FamilyMemberEntity).findOneBy({ id: input.id.toLowerCase() }) : null;
  if (!member) throw new NotFoundError("FamilyMember", "id");
  const open = (await ctx.ds.query("SELECT id FROM case_file WHERE family_id = $1 AND status = 'OPEN'", [member.familyId])) as { id: string }[];
  if (open.length === 0) throw new NotFoundError("FamilyMember", "id");
  const c = await requireVisibleCase(ctx, open[0].id, "id").catch((err: unknown) => {
    throw err instanceof NotFoundError ? new NotFoundError("FamilyMember", "id") : err;
  });
  assertCanWrite(ctx, CATEGORIES.IDENTITY);
  if (member.version !== input.version) throw staleVersion("FamilyMember");

  const patch: Partial<FamilyMemberEntity> = {};
  for (const name of ["givenName", "familyName"] as const) {
    if (input[name] === null) throw new BadInputError(name, "must not be empty");
    if (input[name] !== undefined) patch[name] = input[name];
  }
  if (input.birthDate !== undefined) patch.birthDate = input.birthDate;
  if (input.schoolId !== undefined) patch.schoolId = lower(input.schoolId);
  if (input.gpId !== undefined) patch.gpId = lower(input.gpId);

  return ctx.tx(async (tx) => {
    const merged = { ...member, ...patch };
    checkMember(merged, "", await loadOrganisations(tx.em, [merged.schoolId, merged.gpId]));
    const updated = await tx.updateVersioned(FamilyMemberEntity, "FamilyMember", member.id, input.version, patch);
    tx.emit({
      kind: "FAMILY_MEMBER_UPDATED",
      entity: "FamilyMember",
      entityId: member.id,
      caseId: c.id,
      organisationIds: concerned(member.schoolId, updated.schoolId, member.gpId, updated.gpId),
    });
    return inCase(updated, c.id);
  });
}

/**
 * Zoeken op BSN: the cases of the household of the person with this BSN that the viewer can see
 * and in which its role may read the BSN (the regie organisation; Veilig Thuis for the cases it
 * handed over), newest first; empty when there are none — the same answer as an unknown BSN.
 * Found through bsn_hash (the BSN itself is encrypted at rest), in one statement plus the
 * batched case access. Each hit is logged as a read of the BSN in that case. The BSN is never
 * echoed: not in errors, not in logs (request variables are never logged).
 */
export async function casesByBsn(ctx: Ctx, bsn: string): Promise<CaseEntity[]> {
  if (!isValidBsn(bsn)) throw new BadInputError("bsn", "must be a valid BSN (9 digits, 11-proef)");
  const rows = (await ctx.ds.query(
    `SELECT c.id FROM family_member m JOIN case_file c ON c.family_id = m.family_id WHERE m.bsn_hash = $1 ORDER BY c.opened_at DESC, c.id`,
    [bsnHash(bsn)],
  )) as { id: string }[];
  const found = await Promise.all(rows.map((r) => ctx.access.load(r.id)));
  const out: CaseEntity[] = [];
  for (const f of found) {
    if (!f || !decideRead(ctx.viewer, f.access, CATEGORIES.BSN).allowed) continue;
    ctx.access.recordRead(f.access, CATEGORIES.BSN);
    out.push(f.entity);
  }
  return out;
}
