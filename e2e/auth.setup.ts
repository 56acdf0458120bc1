import { mkdir } from "node:fs/promises";
import path from "node:path";
import { expect, test as setup } from "@playwright/test";
import {
  E2E_ACCOUNTS,
  E2E_ROLES,
  ensureAccounts,
  signInThroughForm,
  storageStateOf,
} from "./support/accounts";
import { BROKEN_ENV, BROKEN_PORT, E2E_ENV } from "./support/env";

/**
 * The setup project: one account per role (idempotent: the data may survive a run), each signed
 * in through the real form, its cookies saved for the journeys that depend on this project.
 */
setup.beforeAll(async () => {
  await mkdir(path.dirname(storageStateOf("observer")), { recursive: true });
  ensureAccounts(E2E_ENV);
  // The error-state server has its own database and session key: its own observer.
  ensureAccounts(BROKEN_ENV, ["observer"]);
});

for (const role of E2E_ROLES) {
  setup(`sign in as the ${role} through the form`, async ({ page }) => {
    const { email, password } = E2E_ACCOUNTS[role];
    await page.goto("/login");
    await signInThroughForm(page, email, password);
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await expect(page.getByTestId("signed-in-user")).toContainText(email);
    await expect(page.getByTestId("signed-in-user")).toContainText(role);
    await page.context().storageState({ path: storageStateOf(role) });
  });
}

setup("sign in as the observer of the error-state server", async ({ page }) => {
  const { email, password } = E2E_ACCOUNTS.observer;
  await page.goto(`http://127.0.0.1:${BROKEN_PORT}/login`);
  await signInThroughForm(page, email, password);
  await expect(page.getByTestId("signed-in-user")).toContainText(email);
  await page.context().storageState({ path: storageStateOf("observer-broken") });
});
