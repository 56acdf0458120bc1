import { execFileSync } from "node:child_process";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { E2E_ENV } from "./support/env";
import { parseDuration, saveScreenshot } from "./support/screens";

// The evidence journey writes to the shared event folder, so the journeys run in file order.
test.describe.configure({ mode: "serial" });

const runsTable = (page: Page) => page.getByRole("table", { name: /^Runs, sorted by/ });
const bodyRows = (table: Locator) => table.getByRole("rowgroup").nth(1).getByRole("row");

/** The text of one data column (0 = Status, 1 = Parity, …; the run id is the row header). */
async function column(page: Page, index: number): Promise<string[]> {
  return bodyRows(runsTable(page)).evaluateAll(
    (rows, i) => rows.map((row) => row.querySelectorAll("td")[i]?.textContent?.trim() ?? ""),
    index,
  );
}

/** The number of matching runs, as the status line says it ("Showing 1–50 · 32 runs of 200 match"). */
async function matchingRuns(page: Page): Promise<number> {
  const text = (await page.getByRole("status").textContent()) ?? "";
  const match = /·\s*([\d,]+) runs?/.exec(text);
  if (!match?.[1]) throw new Error(`no run count in '${text}'`);
  return Number(match[1].replace(/,/g, ""));
}

async function applyFilter(page: Page, label: string, value: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).selectOption(value);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForURL(/\/runs\?/);
}

test("Runs: filter by status and parity, sort by duration, open a run's evidence", async ({ page }) => {
  await page.goto("/runs");
  await expect(page.getByRole("heading", { level: 1, name: "Runs" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Runs", exact: true })).toHaveAttribute("aria-current", "page");
  const total = await matchingRuns(page);
  expect(total).toBeGreaterThanOrEqual(150);
  await expect(bodyRows(runsTable(page))).toHaveCount(50);
  await saveScreenshot(page, "runs");

  await test.step("filter by status", async () => {
    await applyFilter(page, "Status", "success");
    await expect(page).toHaveURL(/status=success/);
    const successes = await matchingRuns(page);
    expect(successes).toBeGreaterThan(0);
    expect(successes).toBeLessThan(total);
    const statuses = await column(page, 0);
    expect(statuses.length).toBe(Math.min(50, successes));
    for (const status of statuses) expect(status).toContain("success");
  });

  await test.step("filter by parity on top of status, then parity alone", async () => {
    const successes = await matchingRuns(page);
    await applyFilter(page, "SHA parity", "false");
    await expect(page).toHaveURL(/status=success&parity=false/);
    const both = await matchingRuns(page);
    expect(both).toBeGreaterThan(0);
    expect(both).toBeLessThan(successes);
    expect(await column(page, 0)).toEqual(Array(both).fill("✓success"));
    expect(await column(page, 1)).toEqual(Array(both).fill("≠mismatch"));

    await page.getByRole("link", { name: "Reset" }).click();
    await expect(page).toHaveURL(/\/runs$/);
    await applyFilter(page, "SHA parity", "false");
    const mismatches = await matchingRuns(page);
    expect(mismatches).toBeGreaterThan(both);
    expect(mismatches).toBeLessThan(total);
    const parities = await column(page, 1);
    expect(parities.length).toBe(Math.min(50, mismatches));
    for (const parity of parities) expect(parity).toContain("mismatch");
    await page.getByRole("link", { name: "Reset" }).click();
    await expect(page).toHaveURL(/\/runs$/);
  });

  await test.step("sort by duration, longest first, then shortest first", async () => {
    const header = runsTable(page).getByRole("columnheader", { name: /Duration/ });
    await header.getByRole("link").click();
    await expect(header).toHaveAttribute("aria-sort", "descending");
    const longestFirst = (await column(page, 3)).map(parseDuration);
    expect(longestFirst).toEqual([...longestFirst].sort((a, b) => b - a));

    await header.getByRole("link").click();
    await expect(header).toHaveAttribute("aria-sort", "ascending");
    const shortestFirst = (await column(page, 3)).map(parseDuration);
    expect(shortestFirst).toEqual([...shortestFirst].sort((a, b) => a - b));
    expect(shortestFirst[0]).toBeLessThan(longestFirst[0] ?? 0);
  });

  await test.step("open a run: its record, notes and manifest entries", async () => {
    const firstRun = bodyRows(runsTable(page)).first().getByRole("link");
    const runId = (await firstRun.textContent())?.trim() ?? "";
    await firstRun.click();
    await expect(page.getByRole("heading", { level: 1, name: `Run ${runId}` })).toBeVisible();
    await expect(page.getByRole("term").filter({ hasText: /^duration_sec$/ })).toBeVisible();
    const evidence = page.getByRole("table", { name: `Evidence of run ${runId}` });
    await expect(bodyRows(evidence).first()).toBeVisible();
    await expect(
      bodyRows(evidence).filter({ has: page.getByRole("cell", { name: "artifact", exact: true }) }),
    ).toHaveCount(1);
    await expect(
      bodyRows(evidence).filter({ has: page.getByRole("cell", { name: "provenance", exact: true }) }),
    ).toHaveCount(1);
    await saveScreenshot(page, "run-detail", { fullPage: true });

    // Back keeps the list as it was: sorted by duration, shortest first.
    await page.getByRole("link", { name: "← Back to runs" }).click();
    await expect(page).toHaveURL(/sort=duration_sec/);
    await expect(page).toHaveURL(/dir=asc/);
  });

  await test.step("an unknown run id is a 404", async () => {
    const response = await page.goto("/runs/no-such-run");
    expect(response?.status()).toBe(404);
  });
});

test("Evidence: integrity ok, entries listed, a fresh update shows with its backup", async ({ page }) => {
  await page.goto("/runs?sort=run_id&dir=asc");
  const runId = ((await bodyRows(runsTable(page)).first().getByRole("link").textContent()) ?? "").trim();

  await page.getByRole("link", { name: "Evidence", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Evidence" })).toBeVisible();
  await expect(page.getByText("Integrity check passed")).toBeVisible();
  const entries = page.getByRole("table", { name: "Evidence entries of _manifest.json" });
  await expect(bodyRows(entries)).toHaveCount(100);
  const countBefore = Number(
    (
      (await page
        .getByText(/^[\d,]+ entries$/)
        .first()
        .textContent()) ?? ""
    ).replace(/\D/g, ""),
  );
  expect(countBefore).toBeGreaterThan(100);

  // Record one more entry the way an operator does; the page reads the files on each request.
  execFileSync(
    process.execPath,
    [
      "dist/cli/main.mjs",
      "manifest-atomic",
      `--event=${E2E_ENV.AUDIT_EVENT}`,
      `--run-id=${runId}`,
      "--evidence-type=log",
      `--artifact-path=${E2E_ENV.AUDIT_REPORTS_ROOT}/${E2E_ENV.AUDIT_EVENT}/artifacts/${runId}/raw/run.log`,
      "--recorded-at=2025-11-21T08:00:00Z",
      "--notes=run log recorded by the e2e journey",
    ],
    { env: { ...process.env, ...E2E_ENV }, stdio: "pipe" },
  );
  await page.reload();
  await expect(page.getByText("Integrity check passed")).toBeVisible();
  await expect(page.getByText(`${(countBefore + 1).toLocaleString("en-US")} entries`).first()).toBeVisible();
  const backups = page.getByRole("region", { name: "Backups" });
  await expect(backups.getByRole("table", { name: /Manifest backups/ })).toBeVisible();
  await expect(backups.getByText("next rollback target")).toBeVisible();
  await expect(
    backups.getByText(`scripts/phase4-manifest-atomic.sh --rollback --event ${E2E_ENV.AUDIT_EVENT}`),
  ).toBeVisible();
  await expect(
    page.getByText(`scripts/phase4-manifest-atomic.sh --check --event ${E2E_ENV.AUDIT_EVENT}`),
  ).toBeVisible();
  await saveScreenshot(page, "evidence");

  // The run's own page lists the new entry beside the sample's.
  await entries.getByRole("link", { name: runId }).first().click();
  const runEvidence = page.getByRole("table", { name: `Evidence of run ${runId}` });
  await expect(
    bodyRows(runEvidence).filter({ has: page.getByRole("cell", { name: "log", exact: true }) }),
  ).toHaveCount(1);
});
