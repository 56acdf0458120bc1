import { expect, test, type Page } from "@playwright/test";
import { E2E_ACCOUNTS, runCli, signInThroughForm } from "./support/accounts";
import { E2E_ENV, PORT } from "./support/env";
import { saveScreenshot } from "./support/screens";

// These journeys start signed out.
test.use({ storageState: { cookies: [], origins: [] } });

const status = (page: Page) => page.getByRole("form", { name: "Sign in" }).getByRole("status");

async function submit(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a wrong password is refused with a message, and the form keeps the e-mail", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  await saveScreenshot(page, "sign-in");
  await submit(page, E2E_ACCOUNTS.observer.email, "not-the-password");
  await expect(status(page)).toHaveText("Wrong e-mail or password.");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByLabel("E-mail")).toHaveValue(E2E_ACCOUNTS.observer.email);
  await expect(page.getByLabel("Password")).toHaveValue("");
  expect((await page.context().cookies()).map((c) => c.name)).not.toContain("auditloop_session");
});

test("a page visit without a session goes to the form, and back to the page after signing in", async ({
  page,
}) => {
  await page.goto("/runs?status=failure");
  await expect(page).toHaveURL(/\/login\?next=%2Fruns%3Fstatus%3Dfailure$/);
  await signInThroughForm(page, E2E_ACCOUNTS.reviewer.email, E2E_ACCOUNTS.reviewer.password);
  await expect(page).toHaveURL(/\/runs\?status=failure$/);
  await expect(page.getByRole("heading", { level: 1, name: "Runs" })).toBeVisible();
  await expect(page.getByTestId("signed-in-user")).toContainText(`${E2E_ACCOUNTS.reviewer.email}`);
  const cookie = (await page.context().cookies()).find((c) => c.name === "auditloop_session");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", secure: false, path: "/" });
  expect(cookie?.expires ?? 0).toBeGreaterThan(Date.now() / 1000 + 11 * 3600);
  // Signed in, the form has nothing to offer: it sends the browser on.
  await page.goto("/login?next=/evidence");
  await expect(page).toHaveURL(/\/evidence$/);
});

test("the proxy refuses x-middleware-subrequest, and a forged cookie is no session", async ({
  page,
  request,
}) => {
  for (const url of ["/runs", "/login", "/api/health"]) {
    const response = await request.get(url, {
      headers: { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" },
      maxRedirects: 0,
    });
    expect(response.status(), url).toBe(403);
  }
  expect((await request.get("/api/health")).status()).toBe(200);
  const anonymous = await request.get("/runs", { maxRedirects: 0 });
  expect(anonymous.status()).toBe(307);
  expect(anonymous.headers().location).toMatch(/\/login\?next=%2Fruns$/);

  const forged = Buffer.from(
    JSON.stringify({ sub: crypto.randomUUID(), email: "x", role: "commander", exp: 9e9 }),
  );
  await page.context().addCookies([
    {
      name: "auditloop_session",
      value: `${forged.toString("base64url")}.AAAA`,
      url: `http://127.0.0.1:${PORT}`,
    },
  ]);
  await page.goto("/kill-switch");
  await expect(page).toHaveURL(/\/login\?next=%2Fkill-switch$/);
});

test("signing out ends the session", async ({ page }) => {
  await page.goto("/login");
  await signInThroughForm(page, E2E_ACCOUNTS.operator.email, E2E_ACCOUNTS.operator.password);
  await expect(page.getByTestId("signed-in-user")).toContainText("operator");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  expect((await page.context().cookies()).map((c) => c.name)).not.toContain("auditloop_session");
  await page.goto("/evidence");
  await expect(page).toHaveURL(/\/login\?next=%2Fevidence$/);
});

test("after 5 failures the e-mail is refused for 15 minutes, even with the right password", async ({
  page,
}) => {
  // A fresh account per run: the limit would otherwise outlive this test for whoever signs in next.
  const email = `limited-${Date.now()}@e2e.test`;
  const password = "limited-account-password";
  runCli(
    ["users", "add", "--email", email, "--role", "observer", "--password-stdin"],
    E2E_ENV,
    `${password}\n`,
  );
  await page.goto("/login");
  for (let i = 1; i <= 5; i++) {
    await submit(page, email, `wrong-password-${i}`);
    await expect(status(page)).toHaveText("Wrong e-mail or password.");
    // The next attempt only once this one's answer is in (the form is re-enabled).
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  }
  await submit(page, email, password);
  await expect(status(page)).toHaveText("Too many sign-in attempts: try again in 15 minutes.");
  await expect(page).toHaveURL(/\/login$/);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the form still signs in and goes on to the page asked for", async ({ page }) => {
    await page.goto("/evidence");
    await expect(page).toHaveURL(/\/login\?next=%2Fevidence$/);
    await signInThroughForm(page, E2E_ACCOUNTS.commander.email, E2E_ACCOUNTS.commander.password);
    await expect(page).toHaveURL(/\/evidence$/);
    await expect(page.getByTestId("signed-in-user")).toContainText("commander");
  });
});
