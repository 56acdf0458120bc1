import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import { storageStateOf } from "./support/accounts";
import { E2E_ENV, E2E_GITHUB } from "./support/env";
import { saveScreenshot } from "./support/screens";

/**
 * The operator's journey (DESIGN §1, handbook steps 4–5): collect a run from the e2e GitHub (the
 * local server serving this event's own runs and artifacts), a dry run first, then for real; the
 * progress reaches 100 % in the operator's page and in an observer's open page alike; parity is
 * true and the new evidence shows on /evidence and on the run's page. Observers only watch.
 */
test.describe.configure({ mode: "serial" });
test.use({ storageState: storageStateOf("operator") });

const EVENT_DIR = path.join(E2E_ENV.AUDIT_REPORTS_ROOT, E2E_ENV.AUDIT_EVENT);

interface Entry {
  run_id: string;
  evidence_type: string;
  recorded_at_utc: string;
  notes: string;
}
const manifestEntries = (): Entry[] =>
  (JSON.parse(readFileSync(path.join(EVENT_DIR, "_manifest.json"), "utf8")) as { entries: Entry[] }).entries;

/**
 * A successful run whose sample provenance matches, from the middle of the event: not one the
 * other journeys single out (the newest, the smallest id).
 */
function pickRun(): string {
  const runs = JSON.parse(readFileSync(path.join(EVENT_DIR, "RUNS_SUMMARY.json"), "utf8")) as {
    run_id: string;
    status: string;
    sha_parity: boolean;
  }[];
  const candidates = runs.filter((r) => r.status === "success" && r.sha_parity && /^\d+$/.test(r.run_id));
  const run = candidates[Math.floor(candidates.length / 2)];
  if (!run) throw new Error("the e2e event has no successful run with parity");
  return run.run_id;
}

const runRows = (table: Locator, runId: string) =>
  table.getByRole("row").filter({ has: table.page().getByRole("link", { name: runId, exact: true }) });

async function openObserver(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState: storageStateOf("observer") });
  const observer = await context.newPage();
  await observer.goto("/collect");
  await expect(observer.getByTestId("signed-in-user")).toContainText("observer");
  await expect(observer.locator("[data-live=live]")).toBeAttached();
  return observer;
}

test("the operator dry-runs a run from GitHub, collects it, watches progress reach 100 % and finds the evidence", async ({
  page,
  browser,
}) => {
  const runId = pickRun();
  const before = manifestEntries().filter((e) => e.run_id === runId);
  expect(before.length).toBeGreaterThan(0);

  await page.goto("/collect");
  await expect(page.getByRole("heading", { level: 1, name: "Collect" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Collect", exact: true })).toHaveAttribute(
    "aria-current",
    "page",
  );
  await expect(page.getByText(E2E_GITHUB.GITHUB_REPOSITORY)).toBeVisible();
  await expect(page.getByText("GitHub is not configured")).toHaveCount(0);
  const status = page.getByRole("status", { name: "Collection result" });
  const table = page.getByRole("table", { name: "Collections, newest first" });

  await test.step("a bad run id is refused in the form, naming what is expected", async () => {
    await page.getByLabel("Run id").fill("latest");
    await page.getByRole("button", { name: "Dry-run the run" }).click();
    await expect(page.getByText("Enter a GitHub run id: digits only")).toBeVisible();
    await expect(page.getByLabel("Run id")).toHaveAttribute("aria-invalid", "true");
  });

  await test.step("the first collection is a dry run (handbook step 4): checked, nothing written", async () => {
    const dryRun = page.getByRole("checkbox", { name: /Dry run: download and compare/ });
    await expect(dryRun).toBeChecked();
    await page.getByLabel("Run id").fill(runId);
    await page.getByRole("button", { name: "Dry-run the run" }).click();
    await expect(status).toContainText(
      new RegExp(
        `Done: dry run of run ${runId} checked, nothing written: 2 artifact\\(s\\), \\d+ bytes, sha_parity=true`,
      ),
    );
    const rows = runRows(table, runId);
    await expect(rows).toHaveCount(2);
    await expect(rows.filter({ hasText: "dry run" })).toHaveCount(2);
    expect(manifestEntries().filter((e) => e.run_id === runId)).toEqual(before);
  });

  const observer = await openObserver(browser);
  const observerTable = observer.getByRole("table", { name: "Collections, newest first" });
  await expect(runRows(observerTable, runId)).toHaveCount(2);

  await test.step("then for real: progress reaches 100 % here and in the observer's open page", async () => {
    await page.getByRole("checkbox", { name: /Dry run: download and compare/ }).uncheck();
    await page.getByRole("button", { name: "Collect the run" }).click();
    await expect(status).toContainText(
      new RegExp(`Done: run ${runId} collected: 2 artifact\\(s\\), \\d+ bytes, sha_parity=true`),
    );
    const real = runRows(table, runId).filter({ hasNotText: "dry run" });
    await expect(real).toHaveCount(2);
    for (const row of await real.all()) {
      await expect(row.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
      await expect(row).toContainText("done");
      await expect(row).toContainText("match");
    }
    // No reload: the rows arrived through the live updates.
    const watched = runRows(observerTable, runId).filter({ hasNotText: "dry run" });
    await expect(watched).toHaveCount(2);
    for (const row of await watched.all()) {
      await expect(row.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
    }
    await saveScreenshot(page, "collect", { fullPage: true });
  });

  const after = manifestEntries().filter((e) => e.run_id === runId);
  await test.step("the new evidence replaced the run's entries in _manifest.json, shown on /evidence", async () => {
    expect(after.map((e) => e.evidence_type).sort()).toEqual(["artifact", "provenance"]);
    for (const entry of after) {
      expect(entry.recorded_at_utc).not.toEqual(
        before.find((b) => b.evidence_type === entry.evidence_type)?.recorded_at_utc,
      );
    }
    const artifact = after.find((e) => e.evidence_type === "artifact");
    expect(artifact?.notes).toContain("zip digest checked; sha_parity=true");
    const index = manifestEntries().findIndex((e) => e.run_id === runId && e.evidence_type === "artifact");
    await page.goto(`/evidence?page=${Math.floor(index / 100) + 1}`);
    await expect(page.getByText("Integrity check passed")).toBeVisible();
    const entries = page.getByRole("table", { name: "Evidence entries of _manifest.json" });
    await expect(runRows(entries, runId).filter({ hasText: "zip digest checked" })).toHaveCount(1);
  });

  await test.step("the run's page shows the evidence, parity and the downloads with who and when", async () => {
    await page.goto(`/runs/${runId}`);
    await expect(page.getByRole("heading", { level: 1, name: `Run ${runId}` })).toBeVisible();
    const evidence = page.getByRole("table", { name: `Evidence of run ${runId}` });
    await expect(evidence.getByRole("row").filter({ hasText: "zip digest checked" })).toHaveCount(1);
    const section = page.getByRole("region", { name: "Collection" });
    await expect(section.getByTestId("run-collection-summary")).toContainText("sha_parity=true");
    await expect(section.getByTestId("run-collection-summary")).toContainText("operator@e2e.test");
    const downloads = section.getByRole("table", { name: `Downloads of run ${runId}, newest first` });
    await expect(
      downloads.getByRole("row").filter({ hasNotText: "dry run" }).filter({ hasText: "done" }),
    ).toHaveCount(2);
    await expect(downloads).toContainText("operator@e2e.test");
    await expect(section.getByRole("button", { name: "Collect this run" })).toBeEnabled();
    await expect(section).toContainText("No self-heal attempt");
    // A run artifact only: the README's run detail picture is the Runs journey's.
    await section.screenshot({ path: "test-results/screenshots/run-collection.png" });
  });

  await test.step("an observer sees it all read-only", async () => {
    await observer.reload();
    await expect(observer.getByText("Signed in as observer: read-only here.")).toBeVisible();
    await expect(observer.getByText("Only operators collect")).toBeVisible();
    await expect(observer.getByRole("button", { name: /Collect|Dry-run/ })).toHaveCount(0);
    await expect(observer.getByLabel("Run id")).toHaveCount(0);
    await observer.goto(`/runs/${runId}`);
    const section = observer.getByRole("region", { name: "Collection" });
    await expect(section.getByTestId("run-collection-summary")).toContainText("sha_parity=true");
    await expect(section.getByRole("button", { name: /Collect this run/ })).toHaveCount(0);
  });
  await observer.context().close();
});

test("a run GitHub does not know fails in the status region with GitHub's answer", async ({ page }) => {
  await page.goto("/collect");
  await page.getByLabel("Run id").fill("123");
  const dryRun = page.getByRole("checkbox", { name: /Dry run: download and compare/ });
  if (!(await dryRun.isChecked())) await dryRun.check();
  await page.getByRole("button", { name: "Dry-run the run" }).click();
  await expect(page.getByRole("status", { name: "Collection result" })).toContainText(
    /Failed: run 123 \(dry run\): GitHub answered HTTP 404/,
  );
});

test("collecting a run that failed on an HTTP 503 asks GitHub to re-run it, shown in the run's self-heal history", async ({
  page,
}) => {
  const runs = JSON.parse(readFileSync(path.join(EVENT_DIR, "RUNS_SUMMARY.json"), "utf8")) as {
    run_id: string;
    status: string;
    observer_notes: string;
  }[];
  const failed = runs.find(
    (r) => r.status === "failure" && /^artifact download returned HTTP 503$/.test(r.observer_notes),
  );
  if (!failed) throw new Error("the e2e event has no run that failed on an HTTP 503");

  await page.goto(`/runs/${failed.run_id}`);
  const section = page.getByRole("region", { name: "Collection" });
  await expect(section).toContainText("No self-heal attempt");
  await section.getByRole("button", { name: "Collect this run" }).click();
  // The re-run waits the policy's first 5xx wait (5 s) before it asks GitHub.
  await expect(section.getByRole("status", { name: "Collection result" })).toContainText(
    `Done: run ${failed.run_id} collected`,
    { timeout: 30_000 },
  );
  const history = section.getByRole("table", { name: `Self-heal attempts of run ${failed.run_id}` });
  const rerun = history.getByRole("row").filter({ hasText: "re-run failed jobs" });
  await expect(rerun).toHaveCount(1);
  await expect(rerun).toContainText("1 of 3");
  await expect(rerun).toContainText("HTTP 503");
  await expect(rerun).toContainText("requested");
  await expect(rerun).toContainText("operator@e2e.test");
});
