import { execFileSync } from "node:child_process";
import path from "node:path";
import { expect, type Page } from "@playwright/test";

/**
 * One account per role with a known password, made by the setup project through the real CLI
 * (scripts/phase4-users.sh's bundle) and signed in through the real form; each role's browser
 * state is saved so the journeys start signed in. Test-only passwords for test-only databases.
 */
export const E2E_ROLES = ["observer", "operator", "reviewer", "commander"] as const;
export type E2eRole = (typeof E2E_ROLES)[number];

export const E2E_ACCOUNTS: Record<E2eRole, { email: string; password: string }> = {
  observer: { email: "observer@e2e.test", password: "e2e-observer-password" },
  operator: { email: "operator@e2e.test", password: "e2e-operator-password" },
  reviewer: { email: "reviewer@e2e.test", password: "e2e-reviewer-password" },
  commander: { email: "commander@e2e.test", password: "e2e-commander-password" },
};

/** A role's saved browser state (cookies), for `test.use({ storageState: storageStateOf("reviewer") })`. */
export function storageStateOf(role: E2eRole | "observer-broken"): string {
  return path.join("test-results", ".auth", `${role}.json`);
}

/** Runs the bundled CLI against one e2e server's data (it connects to the server's database socket). */
export function runCli(args: string[], env: Record<string, string>, input?: string): string {
  return execFileSync(process.execPath, ["dist/cli/main.mjs", ...args], {
    env: { ...process.env, ...env, AUDITLOOP_ROOT: process.cwd() },
    input,
    encoding: "utf8",
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** Adds the accounts a server's database lacks; an account that exists is left as it is. */
export function ensureAccounts(env: Record<string, string>, roles: readonly E2eRole[] = E2E_ROLES): void {
  const listed = JSON.parse(runCli(["users", "list", "--json"], env)) as { users: { email: string }[] };
  const existing = new Set(listed.users.map((u) => u.email));
  for (const role of roles) {
    const { email, password } = E2E_ACCOUNTS[role];
    if (existing.has(email)) continue;
    runCli(
      ["users", "add", "--email", email, "--role", role, "--password-stdin", "--json"],
      env,
      `${password}\n`,
    );
  }
}

/** Signs in through the real form and waits to land where the form sends the browser. */
export async function signInThroughForm(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login(\?|$)/);
}
