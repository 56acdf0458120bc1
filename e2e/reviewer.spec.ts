import { expect, test, type Page } from "@playwright/test";
import { E2E_ACCOUNTS, storageStateOf } from "./support/accounts";
import { saveScreenshot } from "./support/screens";

// The journey writes to the shared event (checklist state, decisions): in file order.
test.describe.configure({ mode: "serial" });
test.use({ storageState: storageStateOf("reviewer") });

const reviewer = E2E_ACCOUNTS.reviewer.email;
const checklistTable = (page: Page) => page.getByRole("table", { name: /^Handbook checklist/ });
const stepRow = (page: Page, step: number) =>
  checklistTable(page)
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name: String(step), exact: true }) });
const historyRows = (page: Page) =>
  page
    .getByRole("table", { name: /^Go\/No-Go decisions, newest first/ })
    .getByRole("rowgroup")
    .nth(1)
    .getByRole("row");

/** The event's data may survive from an earlier run: start from an open step. */
async function untickIfTicked(page: Page, step: number): Promise<void> {
  const untick = page.getByRole("button", { name: `Untick step ${step}`, exact: true });
  if (await untick.isVisible()) {
    await page.getByLabel(`Note for step ${step}`).fill("reset by the e2e journey");
    await untick.click();
    await expect(page.getByTestId("checklist-result")).toHaveText(`Step ${step} unticked.`);
  }
}

test("reviewer ticks checklist steps and records a Go/No-Go that shows in the history", async ({ page }) => {
  await page.goto("/checklist");
  await expect(page.getByRole("heading", { level: 1, name: "Checklist" })).toBeVisible();
  await expect(checklistTable(page).getByRole("row")).toHaveCount(13);

  await test.step("steps the evidence verifies are ticked already, and say from what", async () => {
    await expect(stepRow(page, 3)).toContainText("done (auto)");
    await expect(stepRow(page, 3)).toContainText("verified from RUNS_SUMMARY.json");
    await expect(stepRow(page, 6)).toContainText("verified from manifest check");
    // Step 1 verifies from the last secrets check; none has run on this event's server.
    await expect(stepRow(page, 1)).toContainText(
      "not verified: no secrets check recorded (scripts/phase4-secrets-check.sh or the Secrets view)",
    );
  });

  await test.step("tick a reviewer step and another role's step with notes", async () => {
    for (const step of [11, 10]) {
      await untickIfTicked(page, step);
      await page.getByLabel(`Note for step ${step}`).fill(`checked by the reviewer (${step})`);
      await page.getByRole("button", { name: `Tick step ${step}`, exact: true }).click();
      await expect(page.getByTestId("checklist-result")).toHaveText(`Step ${step} ticked.`);
      await expect(stepRow(page, step)).toContainText("done");
      await expect(stepRow(page, step)).toContainText(reviewer);
      await expect(stepRow(page, step)).toContainText(`checked by the reviewer (${step})`);
    }
  });

  await test.step("unticking a step the evidence verifies needs a note", async () => {
    await page.getByRole("button", { name: "Untick step 6", exact: true }).click();
    await expect(page.getByTestId("checklist-result")).toContainText(
      "Step 6 not changed: note: expected a note saying why step 6 is unticked",
    );
    await expect(stepRow(page, 6)).toContainText("done (auto)");
  });
  await saveScreenshot(page, "checklist", { fullPage: true });

  await page.getByRole("link", { name: /^Go\/No-Go/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Go/No-Go" })).toBeVisible();
  const gate = page.getByTestId("quality-gate");
  await expect(gate).toContainText("Recommendation:");
  await expect(gate).toContainText("FAIL");
  await expect(gate.getByRole("list", { name: "Quality gate reasons" })).toContainText(
    "Checklist incomplete",
  );
  await expect(gate).toContainText("Kill switch not engaged");
  const before = await historyRows(page)
    .count()
    .catch(() => 0);

  await test.step("a No-Go needs a rationale", async () => {
    await page.getByRole("radio", { name: "No-Go" }).check();
    await page.getByRole("button", { name: "Record decision" }).click();
    await expect(page.getByTestId("decision-result")).toContainText(
      "Not recorded: rationale: expected a rationale for no_go",
    );
    await page.getByLabel(/^Rationale/).fill("Steps 7–9 wait for the observer run.");
    await page.getByRole("button", { name: "Record decision" }).click();
    await expect(page.getByTestId("decision-result")).toContainText(
      /^Recorded decision #\d+: NO-GO \(gate fail\)\.$/,
    );
    await expect(page.getByTestId("current-decision")).toContainText("Current decision: NO-GO");
  });

  await test.step("a Go on a failing gate needs the override and a rationale, and supersedes the No-Go", async () => {
    await page.getByRole("radio", { name: "Go", exact: true }).check();
    await page.getByRole("button", { name: "Record decision" }).click();
    await expect(page.getByTestId("decision-result")).toContainText(
      "Not recorded: override: the quality gate fails",
    );
    await page.getByRole("checkbox", { name: /Override the failing quality gate/ }).check();
    await page.getByLabel(/^Rationale/).fill("Observer steps verified by hand; accepted for the release.");
    await page.getByRole("button", { name: "Record decision" }).click();
    await expect(page.getByTestId("decision-result")).toContainText(
      /^Recorded decision #\d+: GO \(gate fail\)\.$/,
    );
    await expect(page.getByTestId("current-decision")).toContainText("Current decision: GO");
  });

  await test.step("the history lists both, newest first, the Go superseding the No-Go", async () => {
    await expect(historyRows(page)).toHaveCount(before + 2);
    const [go, noGo] = [historyRows(page).nth(0), historyRows(page).nth(1)];
    await expect(go).toContainText("GO");
    await expect(go).toContainText("fail · overridden");
    await expect(go).toContainText("Observer steps verified by hand");
    await expect(noGo).toContainText("NO-GO");
    await expect(noGo).toContainText("Steps 7–9 wait for the observer run.");
    const noGoId = (await noGo.getByRole("rowheader").textContent())?.trim();
    await expect(go.getByRole("cell").last()).toHaveText(`#${noGoId}`);
  });
  await saveScreenshot(page, "decision", { fullPage: true });

  await test.step("step 12 of the checklist now ticks itself from the decision", async () => {
    await page.goto("/checklist");
    await expect(stepRow(page, 12)).toContainText("done (auto)");
    await expect(stepRow(page, 12)).toContainText(/verified from decision #\d+ \(go\) by reviewer@e2e\.test/);
  });
});

test.describe("as the observer", () => {
  test.use({ storageState: storageStateOf("observer") });

  test("sees the checklist, the gate and the decisions, with no controls", async ({ page }) => {
    await page.goto("/checklist");
    await expect(checklistTable(page).getByRole("row")).toHaveCount(13);
    await expect(stepRow(page, 11)).toContainText(reviewer);
    await expect(page.getByRole("button", { name: /^(Tick|Untick) step/ })).toHaveCount(0);
    await expect(page.getByText(/^Signed in as observer: read-only here\./)).toBeVisible();

    await page.goto("/decision");
    await expect(page.getByTestId("quality-gate")).toContainText("Recommendation:");
    await expect(page.getByTestId("current-decision")).toContainText("Current decision: GO");
    await expect(historyRows(page).first()).toContainText("Observer steps verified by hand");
    await expect(page.getByRole("button", { name: "Record decision" })).toHaveCount(0);
    await expect(page.getByRole("radio")).toHaveCount(0);
  });
});
