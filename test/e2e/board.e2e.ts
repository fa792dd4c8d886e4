import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { startTestHub, USERS, type TestHub } from "../support/hub.js";
import { caseWithSharedAgreement, updateAgreementWhat } from "../support/partner-fixtures.js";

/**
 * The partner board in a real browser (Debian's chromium through playwright-core).
 * Screenshots land in test-artifacts/e2e/.
 */
const ARTIFACTS = "test-artifacts/e2e";
let t: TestHub;
let base: string;
let profile: string;
let browser: BrowserContext;

beforeAll(async () => {
  t = await startTestHub();
  base = t.url.replace(/\/graphql$/, "");
  await mkdir(ARTIFACTS, { recursive: true });
  profile = await mkdtemp(join(tmpdir(), "ketenhub-chromium-"));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1100, height: 900 },
    locale: "nl-NL",
  });
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
  if (profile) await rm(profile, { recursive: true, force: true });
});

async function signInAs(email: string): Promise<Page> {
  const page = await browser.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.goto(`${base}/partner/`);
  await page.getByLabel("Demogebruiker (alleen in ontwikkeling)").selectOption(email);
  await page.getByRole("button", { name: "Aanmelden als demogebruiker" }).click();
  await page.getByRole("status").filter({ hasText: "Live verbonden" }).waitFor();
  await page.locator("#cases[aria-busy=false]").waitFor();
  await page.screenshot({ path: `${ARTIFACTS}/0-signed-in-${email}.png`, fullPage: true });
  return page;
}

describe("partner board (browser)", () => {
  it("shows a school a change to a shared agreement live, without a reload, and recovers a lost connection", async () => {
    const fx = await caseWithSharedAgreement(t, { what: "Oma brengt de kinderen elke ochtend" });
    const page = await signInAs(USERS.vlinder);
    await page.evaluate(() => ((globalThis as unknown as { loadedOnce: number }).loadedOnce = 42));
    const agreement = page.locator(`[data-agreement-id="${fx.agreementId}"]`);
    await expect(agreement.textContent()).resolves.toContain("Oma brengt de kinderen elke ochtend");
    await page.screenshot({ path: `${ARTIFACTS}/1-board-before.png`, fullPage: true });

    // A regisseur changes the shared agreement through the API.
    let v = await updateAgreementWhat(t, fx.agreementId, fx.agreementVersion, "Opa brengt de kinderen voortaan");
    await agreement.getByText("Opa brengt de kinderen voortaan").waitFor({ timeout: 10_000 });
    await expect(agreement.getByText("Gewijzigd").count()).resolves.toBe(1);
    await page.locator("#changes li", { hasText: "Afspraak gewijzigd" }).first().waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { loadedOnce?: number }).loadedOnce)).toBe(42); // same page, no reload
    await page.screenshot({ path: `${ARTIFACTS}/2-board-after-change.png`, fullPage: true });

    // The connection drops: the page says so, reconnects by itself and catches up.
    await page.evaluate(() => (globalThis as unknown as { __partnerBoard: { live: { socket: { close(): void } } } }).__partnerBoard.live.socket.close());
    await page.getByRole("status").filter({ hasText: "Verbinding verbroken" }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}/3-board-connection-lost.png` });
    v = await updateAgreementWhat(t, fx.agreementId, v, "Tijdens de storing gewijzigd");
    await page.getByRole("status").filter({ hasText: "Live verbonden" }).waitFor({ timeout: 15_000 });
    await agreement.getByText("Tijdens de storing gewijzigd").waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => (globalThis as unknown as { loadedOnce?: number }).loadedOnce)).toBe(42);

    // Phone-sized screen.
    await page.setViewportSize({ width: 375, height: 812 });
    await page.screenshot({ path: `${ARTIFACTS}/4-board-phone.png`, fullPage: true });
    const overflow = await page.evaluate(() => {
      const g = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
      return g.document.documentElement.scrollWidth - g.innerWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });

  it("never shows a case the school is not involved in, not even when it changes live", async () => {
    const notMine = await caseWithSharedAgreement(t, { involve: ["hap", "jgz"], shareWith: ["hap"], what: "Niet voor de school" });
    const mine = await caseWithSharedAgreement(t, { what: "Wel voor de school" });
    // The hidden case exists: the GP sees it.
    const gp = await t.ok<{ case: { family: { name: string } } }>(USERS.gp, `query($id: ID!) { case(id: $id) { family { name } } }`, { id: notMine.caseId });
    expect(gp.case.family.name).toBe(notMine.familyName);

    const page = await signInAs(USERS.vlinder);
    const shown = async () => page.locator("article[data-case-id]").evaluateAll((els) => els.map((e) => e.getAttribute("data-case-id")));
    const api = await t.ok<{ cases: { edges: { node: { id: string } }[] } }>(USERS.vlinder, `{ cases(first: 100) { edges { node { id } } } }`);
    expect((await shown()).sort()).toEqual(api.cases.edges.map((e) => e.node.id).sort());
    expect(await shown()).toContain(mine.caseId);

    // A change in the other case, then one in the school's own: when the second shows, the first was processed.
    await updateAgreementWhat(t, notMine.agreementId, notMine.agreementVersion, "Niet voor de school, gewijzigd");
    await updateAgreementWhat(t, mine.agreementId, mine.agreementVersion, "Wel voor de school, gewijzigd");
    await page.getByText("Wel voor de school, gewijzigd").first().waitFor({ timeout: 10_000 });
    const text = (await page.locator("body").textContent()) ?? "";
    for (const hidden of [notMine.familyName, "Niet voor de school", "Yilmaz", "Verbeek", "Hendriks"]) expect(text).not.toContain(hidden);
    expect(text).toContain("Gezin De Boer");
    expect(await shown()).not.toContain(notMine.caseId);
    await page.screenshot({ path: `${ARTIFACTS}/5-board-only-own-cases.png`, fullPage: true });
    await page.close();
  });

  it("lets the school mark a shared agreement as seen and report a signal; the regisseur sees both through the API", async () => {
    const fx = await caseWithSharedAgreement(t, { what: "Vader haalt de kinderen niet op" });
    const page = await signInAs(USERS.vlinder);
    const agreement = page.locator(`[data-agreement-id="${fx.agreementId}"]`);
    await agreement.getByRole("button", { name: `Markeer als gezien (versie ${fx.agreementVersion})` }).click();
    await agreement.getByText(`Gezien (versie ${fx.agreementVersion})`).waitFor({ timeout: 10_000 });
    await page.locator("#changes li", { hasText: "Afspraak gezien" }).first().waitFor(); // its own event, labelled in Dutch
    const seen = await t.ok<{ case: { safetyPlan: { agreements: { id: string; seenBy: { organisation: { name: string }; version: number; current: boolean }[] }[] } } }>(
      USERS.jansen,
      `query($id: ID!) { case(id: $id) { safetyPlan { agreements { id seenBy { organisation { name } version current } } } } }`,
      { id: fx.caseId },
    );
    const mine = seen.case.safetyPlan.agreements.find((a) => a.id === fx.agreementId)!;
    expect(mine.seenBy).toEqual([{ organisation: { name: "Basisschool De Vlinder" }, version: fx.agreementVersion, current: true }]);

    // The signal form: this case, the household, a description typed by the zorgcoördinator.
    await page.locator("#signal-case").selectOption(fx.caseId);
    await page.locator("#signal-urgency").selectOption("HIGH");
    await page.locator("#signal-date").fill(new Date().toISOString().slice(0, 10));
    await page.locator("#signal-text").fill("Kind kwam vandaag met blauwe plekken op school");
    await page.getByRole("button", { name: "Signaal versturen" }).click();
    await page.locator("#signal-result").getByText("Uw signaal is verstuurd naar de regisseur.").waitFor({ timeout: 10_000 });
    await page.screenshot({ path: `${ARTIFACTS}/7-board-seen-and-signal.png`, fullPage: true });
    const signals = await t.ok<{ case: { signals: { urgency: string; description: string; reportingOrganisation: { name: string }; acknowledgedAt: string | null }[] } }>(
      USERS.jansen,
      `query($id: ID!) { case(id: $id) { signals { urgency description reportingOrganisation { name } acknowledgedAt } } }`,
      { id: fx.caseId },
    );
    expect(signals.case.signals).toEqual([
      { urgency: "HIGH", description: "Kind kwam vandaag met blauwe plekken op school", reportingOrganisation: { name: "Basisschool De Vlinder" }, acknowledgedAt: null },
    ]);
    expect(await page.locator("#signal-text").inputValue()).toBe(""); // cleared after sending
    await page.close();
  });

  it("can be used with the keyboard alone: sign in, then reach the cases and the signal form", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/partner/`);
    await page.locator("#dev-form:not([hidden])").waitFor();
    const focused = () => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id ?? "");
    const tabTo = async (id: string) => {
      for (let i = 0; i < 80 && (await focused()) !== id; i++) await page.keyboard.press("Tab");
      expect(await focused()).toBe(id);
    };
    await tabTo("dev-user");
    await page.locator("#dev-user").selectOption(USERS.vlinder); // what arrow keys do in a native select
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: "Live verbonden" }).waitFor();
    expect(await focused()).toBe("main"); // focus moves to the content after sign-in
    await tabTo("signal-case");
    await page.screenshot({ path: `${ARTIFACTS}/6-board-keyboard.png` });
    await page.close();
  });
});
