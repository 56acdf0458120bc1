import { expect, test } from "@playwright/test";
import { storageStateOf } from "./support/accounts";
import { BROKEN_PORT } from "./support/env";

// A second server whose event folder holds a bad run record and a manifest with a repeated key;
// it has its own accounts and session key, so its own signed-in observer.
test.use({ baseURL: `http://127.0.0.1:${BROKEN_PORT}`, storageState: storageStateOf("observer-broken") });

test("an invalid RUNS_SUMMARY.json shows a panel naming the file, the record and the field", async ({
  page,
}) => {
  await page.goto("/runs");
  await expect(page.getByRole("heading", { level: 1, name: "Runs" })).toBeVisible();
  const alert = page.getByRole("alert").filter({ hasText: "RUNS_SUMMARY.json cannot be shown" });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText("e2e-broken/RUNS_SUMMARY.json");
  await expect(alert).toContainText("run-bad");
  await expect(alert).toContainText("status: expected one of success, failure, cancelled");
  await expect(page.getByRole("table")).toHaveCount(0);
});

test("a manifest with a repeated key fails the integrity check, with the problem listed", async ({
  page,
}) => {
  await page.goto("/evidence");
  await expect(page.getByText("Integrity check failed")).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: 'duplicate key "notes"' })).toBeVisible();
  await expect(page.getByText("Entries cannot be listed until the check passes.")).toBeVisible();
  await expect(
    page.getByText("scripts/phase4-manifest-atomic.sh --rollback --event e2e-broken"),
  ).toBeVisible();
});
