import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, USERS, type TestHub } from "./support/hub.js";
import { orgId, ORGS, professionalId } from "./support/fixtures.js";
import { collect, sleep, wsClient } from "./support/ws.js";

/**
 * Issue 2, "done when": a family's case walked through handover → regie → plan → safety plan →
 * MDO → signal → evaluation → close with GraphQL requests alone, each step as the role that
 * does it in real life, with the school watching live. One test, in order: every step depends
 * on the one before (the other test files cover each step's rules and failures).
 */
let t: TestHub;
let org: Record<"swt" | "vlinder" | "hap" | "jgz" | "brug", string>;
const iso = (d: Date) => d.toISOString().slice(0, 10);
const today = iso(new Date());
const inWeeks = (w: number) => new Date(Date.now() + w * 7 * 86_400_000);

beforeAll(async () => {
  t = await startTestHub();
  org = { swt: await orgId(ORGS.swt), vlinder: await orgId(ORGS.vlinder), hap: await orgId(ORGS.hap), jgz: await orgId(ORGS.jgz), brug: await orgId(ORGS.brug) };
});
afterAll(() => t?.stop());

const m = (email: string, field: string, type: string, select: string, input: Record<string, unknown>) =>
  t.ok(email, `mutation($input: ${type}!) { ${field}(input: $input) { ${select} } }`, { input }).then((d) => d[field]);

describe("a family's case from handover to closing, through the API alone", () => {
  it("walks handover → regie → plan → safety plan → MDO → seen → signal → evaluation → close", async () => {
    const name = `Boer-${Math.random().toString(36).slice(2, 7)}`;
    // 1. Veilig Thuis hands the case over to the social team, with the safety conditions
    const c = await m(USERS.vt, "handOverCase", "HandOverCaseInput", "id status family { members { id kind givenName } } handover { safetyConditions }", {
      family: {
        name,
        hasChildren: true,
        members: [
          { kind: "ADULT", givenName: "Sandra", familyName: name, birthDate: "1986-02-03", gpId: org.hap },
          { kind: "ADULT", givenName: "Peter", familyName: name, birthDate: "1984-07-08", gpId: org.hap },
          { kind: "CHILD", givenName: "Daan", familyName: name, birthDate: "2015-04-05", schoolId: org.vlinder, gpId: org.hap },
        ],
      },
      toOrganisationId: org.swt,
      involve: [
        { organisationId: org.vlinder, role: "school" },
        { organisationId: org.hap, role: "huisarts" },
        { organisationId: org.jgz, role: "jgz" },
        { organisationId: org.brug, role: "jeugdhulp" },
      ],
      outcome: "Huiselijk geweld tussen ouders vastgesteld; Daan was getuige.",
      helpAlreadyInvolved: "Schoolmaatschappelijk werk",
      safetyConditions: ["Geen geweld in bijzijn van Daan", "Vader volgt agressieregulatie"],
      writtenHandoverReceived: true,
      writtenHandoverReceivedOn: today,
      closingLetterRecipients: ["CLIENT", "SCHOOL", "GP"],
    });
    expect(c.status).toBe("OPEN");
    expect(c.handover.safetyConditions).toHaveLength(2);
    const caseId: string = c.id;
    const adults = c.family.members.filter((x: any) => x.kind === "ADULT").map((x: any) => x.id);
    const daan = c.family.members.find((x: any) => x.kind === "CHILD").id;

    // the school watches the case live from the start
    const client = wsClient(t.url, await t.token(USERS.vlinder));
    const live = collect(client, `subscription { myChanges { id kind entity caseId } }`);
    await sleep(300);

    // 2. the social team's regisseur takes casusregie
    const regie = await m(USERS.jansen, "assignRegie", "AssignRegieInput", "id kind professional { email }", {
      caseId,
      kind: "CASE",
      professionalId: await professionalId(USERS.jansen),
    });
    expect(regie.professional.email).toBe(USERS.jansen);

    // consent: the parents agree to share the plan and MDO minutes with the school, the plan with the GP
    for (const [o, categories] of [[org.vlinder, ["PLAN", "MEETING_MINUTES"]], [org.hap, ["PLAN"]]] as const) {
      await m(USERS.jansen, "recordConsent", "RecordConsentInput", "id", { caseId, organisationId: o, categories, purpose: "1 Gezin 1 Plan", givenByMemberIds: adults, givenOn: today });
    }

    // 3. one plan: analysis, the family's and Daan's own words, goals; De Brug adds its partial plan
    await m(USERS.jansen, "createPlan", "CreatePlanInput", "id", {
      caseId,
      problemAnalysis: "Escalerende ruzies, geldzorgen.",
      familyWords: "We willen dat het thuis rustig is.",
      childrenHeard: true,
      childrenWords: "Ik wil dat papa en mama niet meer schreeuwen.",
      helpQuestion: "Hoe houden we het thuis veilig?",
    });
    await m(USERS.jansen, "recordLifeDomainScores", "RecordLifeDomainScoresInput", "id", {
      caseId,
      assessedOn: today,
      scores: ["FINANCES", "DOMESTIC_RELATIONS", "MENTAL_HEALTH", "WORK_EDUCATION"].map((domain, i) => ({ domain, score: 1 + i })),
    });
    const partial = await m(USERS.brug, "addPartialPlan", "AddPartialPlanInput", "id", { caseId, organisationId: org.brug, title: "Gezinsbehandeling" });
    const schoolGoal = await m(USERS.jansen, "addGoal", "AddGoalInput", "id", {
      caseId,
      title: "Daan gaat elke dag naar school",
      domain: "WORK_EDUCATION",
      memberId: daan,
      targetMeasure: "Geen ongeoorloofd verzuim",
      dueOn: iso(inWeeks(12)),
    });
    await m(USERS.brug, "addGoal", "AddGoalInput", "id", {
      caseId,
      partialPlanId: partial.id,
      title: "Ouders passen de time-out toe",
      domain: "DOMESTIC_RELATIONS",
      targetMeasure: "Ouders benoemen hun signalen",
      dueOn: iso(inWeeks(12)),
    });
    await m(USERS.jansen, "addNetworkMember", "AddNetworkMemberInput", "id", { caseId, name: "Oma Els", relation: "grootmoeder", contribution: "Opvang bij escalatie" });

    // risk at the start
    const riskStart = await m(USERS.jansen, "recordRiskAssessment", "RecordRiskAssessmentInput", "id", {
      caseId,
      instrument: "LIRIK",
      assessedOn: today,
      level: "HIGH",
      conclusion: "Hoog risico op herhaling.",
    });

    // 4. the safety plan, with a prioritised agreement shared with the school and the GP
    await m(USERS.jansen, "createSafetyPlan", "CreateSafetyPlanInput", "id", { caseId, madeWithClient: true, signalsToWatch: "Verzuim, letsel", whomToCall: "Regisseur, dan VT" });
    const agreement = await m(USERS.jansen, "addSafetyAgreement", "AddSafetyAgreementInput", "id version", {
      caseId,
      priority: 1,
      what: "De IB'er spreekt Daan wekelijks en meldt zorgen dezelfde dag",
      criterion: "Wekelijks gesprek vastgelegd",
      responsibleKind: "ORGANISATION",
      responsibleOrganisationId: org.vlinder,
      reportToOrganisationId: org.swt,
      dueOn: iso(inWeeks(4)),
      shareWithOrganisationIds: [org.vlinder, org.hap],
    });

    // 5. the MDO: scheduled with the partners, held, minutes and decisions, the agreement changed in it
    const mdo = await m(USERS.jansen, "scheduleMeeting", "ScheduleMeetingInput", "id version", {
      caseId,
      scheduledAt: inWeeks(1).toISOString(),
      location: "Wijkcentrum",
      agenda: "Veiligheid en plan",
      inviteeOrganisationIds: [org.vlinder, org.hap, org.jgz, org.brug],
      familyInvited: true,
    });
    const next = await t.ok(USERS.vlinder, `query($id: ID!) { case(id: $id) { nextMeeting { id } } }`, { id: caseId });
    expect(next.case.nextMeeting.id).toBe(mdo.id);
    const changed = await m(USERS.jansen, "updateSafetyAgreement", "UpdateSafetyAgreementInput", "id version", {
      id: agreement.id,
      version: agreement.version,
      criterion: "Wekelijks gesprek vastgelegd; zorgen binnen één schooldag gemeld",
      meetingId: mdo.id,
    });
    const held = await m(USERS.jansen, "recordMeetingOutcome", "RecordMeetingOutcomeInput", "status minutes decisions { text } changedAgreements { id }", {
      id: mdo.id,
      version: mdo.version,
      minutes: "Ouders en school aanwezig. Afspraak 1 aangescherpt.",
      decisions: ["Afspraak 1 aangescherpt", "Volgend MDO over zes weken"],
      changedAgreementIds: [agreement.id],
    });
    expect(held.status).toBe("HELD");
    // the school reads the minutes (consent) and the agreement shared with it
    const school = await t.ok(USERS.vlinder, `query($id: ID!) { case(id: $id) {
      meetings { status minutes decisions { text } } safetyPlan { agreements { id version criterion } } plan { goals { id } } } }`, { id: caseId });
    expect(school.case.meetings[0]).toMatchObject({ status: "HELD", minutes: expect.stringContaining("Afspraak 1") });
    expect(school.case.safetyPlan.agreements).toEqual([{ id: agreement.id, version: changed.version, criterion: expect.stringContaining("schooldag") }]);
    expect(school.case.plan.goals.map((g: any) => g.id)).toEqual([schoolGoal.id]);

    // the school marks the changed agreement as seen; the regisseur sees who has and has not
    await m(USERS.vlinder, "markSafetyAgreementSeen", "MarkSafetyAgreementSeenInput", "id", { id: agreement.id, version: changed.version });
    const seen = await t.ok(USERS.jansen, `query($id: ID!) { case(id: $id) { safetyPlan { agreements { id seenBy { organisation { id } current } notSeenBy { id } } } } }`, { id: caseId });
    const a1 = seen.case.safetyPlan.agreements.find((a: any) => a.id === agreement.id);
    expect(a1.seenBy).toEqual([{ organisation: { id: org.vlinder }, current: true }]);
    expect(a1.notSeenBy.map((o: any) => o.id)).toEqual([org.hap]);

    // 6. a signal: the GP reports a new concern, the regisseur sees it live and acknowledges it
    const regClient = wsClient(t.url, await t.token(USERS.jansen));
    const raised = collect(regClient, `subscription { signalRaised { entityId subject { ... on Signal { urgency reportingOrganisation { id } } } } }`);
    await sleep(300);
    const signal = await m(USERS.gp, "reportSignal", "ReportSignalInput", "id", {
      caseId,
      memberId: adults[0],
      observedOn: today,
      urgency: "HIGH",
      description: "Blauwe plek op de arm bij consult",
    });
    await raised.until(1, 3000);
    expect(raised.received[0].data.signalRaised).toEqual({ entityId: signal.id, subject: { urgency: "HIGH", reportingOrganisation: { id: org.hap } } });
    raised.stop();
    await regClient.dispose();
    const ack = await m(USERS.jansen, "acknowledgeSignal", "AcknowledgeSignalInput", "acknowledgedAt acknowledgedBy { email }", { id: signal.id, note: "Besproken met moeder" });
    expect(ack.acknowledgedBy.email).toBe(USERS.jansen);

    // 7. evaluation with the family: risk at start against risk now; then the case closes
    const riskNow = await m(USERS.jansen, "recordRiskAssessment", "RecordRiskAssessmentInput", "id", {
      caseId,
      instrument: "LIRIK",
      assessedOn: today,
      level: "LOW",
      conclusion: "Veiligheid hersteld.",
    });
    const evaluation = await m(USERS.jansen, "recordEvaluation", "RecordEvaluationInput", "id outcome", {
      caseId,
      evaluatedOn: today,
      withFamily: true,
      participantOrganisationIds: [org.vlinder, org.brug],
      goalResults: [{ goalId: schoolGoal.id, result: "ACHIEVED" }],
      riskAtStartId: riskStart.id,
      riskNowId: riskNow.id,
      clientExperience: "Het is rustiger thuis.",
      outcome: "CLOSE",
    });
    expect(evaluation.outcome).toBe("CLOSE");
    const v = await t.ok(USERS.jansen, `query($id: ID!) { case(id: $id) { version } }`, { id: caseId });
    const closed = await m(USERS.jansen, "closeCase", "CloseCaseInput", "status", { caseId, version: v.case.version, reason: "GOALS_MET" });
    expect(closed.status).toBe("CLOSED");

    // the school saw the case's changes live, in feed order, and only this case's
    await sleep(500);
    const kinds = live.received.map((r) => r.data?.myChanges).filter((e: any) => e?.caseId === caseId);
    expect(kinds.map((e: any) => e.kind)).toEqual(expect.arrayContaining(["REGIE_ASSIGNED", "MEETING_SCHEDULED", "MEETING_HELD", "SAFETY_AGREEMENT_UPDATED"]));
    const ids = kinds.map((e: any) => Number(e.id));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    live.stop();
    await client.dispose();

    // the privacy officer sees the school's reads of this family in the access log
    const log = await t.ok(USERS.fg, `query($id: ID!) { accessLog(caseId: $id, first: 100) { edges { node { email action categories } } } }`, { id: caseId });
    const schoolReads = log.accessLog.edges.map((e: any) => e.node).filter((n: any) => n.email === USERS.vlinder && n.action === "READ");
    expect(schoolReads.flatMap((n: any) => n.categories)).toEqual(expect.arrayContaining(["meetingMinutes", "safety", "plan"]));
  }, 60_000);
});
