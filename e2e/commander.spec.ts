import { expect, test, type Browser, type Page } from "@playwright/test";
import { runCli, storageStateOf } from "./support/accounts";
import { E2E_ENV } from "./support/env";
import { saveScreenshot } from "./support/screens";

/**
 * The incident commander's journey (DESIGN §7, §9): engage with a reason, watched live from an
 * observer's open browser; release after the restart checks. The switch is left released for the
 * journeys that run after this one.
 */
test.describe.configure({ mode: "serial" });
test.use({ storageState: storageStateOf("commander") });

const banner = (page: Page) => page.getByTestId("kill-switch-banner");

interface Status {
  state: "armed" | "engaged" | "released";
  changed_at: string;
}
const killSwitchStatus = (): Status =>
  JSON.parse(runCli(["killswitch", "status", "--json"], E2E_ENV)) as Status;

/** An observer's page, open on Runs with its live connection up. */
async function openObserver(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState: storageStateOf("observer") });
  const observer = await context.newPage();
  await observer.goto("/runs");
  await expect(observer.getByTestId("signed-in-user")).toContainText("observer");
  await expect(observer.locator("[data-live=live]")).toBeAttached();
  return observer;
}

/**
 * Starts watching for the banner to appear (or disappear) in the page itself, with a
 * MutationObserver, so the time is the browser's own and not rounded to Playwright's polling;
 * the returned function waits for it and gives that time.
 */
async function watchBanner(page: Page, present: boolean): Promise<() => Promise<number>> {
  await page.evaluate((want) => {
    const state = window as unknown as { __bannerAt?: number };
    state.__bannerAt = undefined;
    const done = () => (document.querySelector('[data-testid="kill-switch-banner"]') !== null) === want;
    const watcher = new MutationObserver(() => {
      if (!done()) return;
      watcher.disconnect();
      state.__bannerAt = Date.now();
    });
    watcher.observe(document.body, { childList: true, subtree: true });
  }, present);
  return async () => {
    const handle = await page.waitForFunction(
      () => (window as unknown as { __bannerAt?: number }).__bannerAt,
    );
    return Number(await handle.jsonValue());
  };
}

test.afterAll(() => {
  // Leave the switch released whatever happened above: the other journeys mutate.
  if (killSwitchStatus().state === "engaged") runCli(["killswitch", "release"], E2E_ENV);
});

test("the commander engages with a reason, the observer sees the banner within a second, and the commander releases after the restart checks", async ({
  page,
  browser,
}) => {
  const reason = "SHA parity drift on three runs: stop the loop";
  const observer = await openObserver(browser);
  await expect(banner(observer)).toHaveCount(0);
  const appeared = await watchBanner(observer, true);

  await page.goto("/kill-switch");
  await expect(page.getByRole("heading", { level: 1, name: "Kill switch" })).toBeVisible();
  await expect(page.getByTestId("kill-switch-state")).toContainText(/Armed|Released/);
  await page.getByRole("button", { name: "Engage the kill switch…" }).click();
  await expect(page.getByText("Give the reason in at least 3 characters.")).toBeVisible();
  await page.getByLabel("Reason (required)").fill(reason);
  await page.getByRole("button", { name: "Engage the kill switch…" }).click();

  // The confirmation, by keyboard: focus starts on Cancel, Tab reaches "Engage now".
  const dialog = page.getByRole("dialog", { name: "Engage the kill switch?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(reason);
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await page.getByRole("button", { name: "Engage the kill switch…" }).click();
  await page.keyboard.press("Tab");
  await expect(dialog.getByRole("button", { name: "Engage now" })).toBeFocused();
  const confirmedAt = Date.now();
  await page.keyboard.press("Enter");

  const latency = (await appeared()) - confirmedAt;
  console.log(`live update: the observer's banner appeared ${latency} ms after the commander confirmed`);
  expect(latency).toBeLessThan(1000);
  await expect(banner(observer)).toContainText("commander@e2e.test");
  await expect(banner(observer)).toContainText(reason);
  await expect(banner(observer).getByRole("link", { name: "Open the kill switch" })).toHaveAttribute(
    "href",
    "/kill-switch",
  );

  const steps = page.getByRole("list", { name: "Engage steps" });
  // persist, GitHub workflow, observer summary, manifest rollback, Slack (DESIGN §7).
  await expect(steps.getByRole("listitem")).toHaveCount(5);
  await expect(steps).toContainText("Post a masked Slack status");
  await expect(steps).toContainText("Persist the state and abort work in flight");
  await expect(steps).toContainText("Append the reason to AUTO_OBSERVER_SUMMARY.md");
  await expect(page.getByTestId("kill-switch-state")).toContainText("Engaged");
  await expect(page.getByRole("table", { name: "Kill switch history, newest first" })).toContainText(reason);
  await expect(banner(page)).toBeVisible();
  await saveScreenshot(page, "kill-switch", { fullPage: true });

  // The observer sees everything and can act on nothing.
  await observer.goto("/kill-switch");
  await expect(observer.getByTestId("kill-switch-state")).toContainText("Engaged");
  await expect(observer.getByText("Signed in as observer: read-only here.")).toBeVisible();
  await expect(observer.getByRole("button", { name: /release|engage/i })).toHaveCount(0);

  const gone = await watchBanner(observer, false);
  await page.getByRole("button", { name: "Run the restart checks and release" }).click();
  const result = page.getByRole("status", { name: "Kill switch result" });
  await expect(result).toContainText("Released: every restart check passed.");
  const checks = result.getByRole("list", { name: "Restart checks" });
  await expect(checks.getByRole("listitem")).toHaveCount(3);
  await expect(checks).toContainText("Required secrets present");
  await expect(checks).toContainText("Manifest parses with no duplicate keys");
  await expect(checks).toContainText("Supabase test request returns 2xx");
  await gone();
  await expect(page.getByTestId("kill-switch-state")).toContainText("Released");
  await expect(banner(page)).toHaveCount(0);
  await observer.context().close();
});

test("a change made in the database by the CLI reaches an open page within a second, both ways", async ({
  browser,
}) => {
  const observer = await openObserver(browser);
  const appeared = await watchBanner(observer, true);
  runCli(["killswitch", "engage", "--reason", "engaged from the CLI by the e2e test"], E2E_ENV);
  const engagedAt = Date.parse(killSwitchStatus().changed_at);
  const engageLatency = (await appeared()) - engagedAt;
  await expect(banner(observer)).toContainText("engaged from the CLI by the e2e test");

  const gone = await watchBanner(observer, false);
  runCli(["killswitch", "release"], E2E_ENV);
  const releasedAt = Date.parse(killSwitchStatus().changed_at);
  const releaseLatency = (await gone()) - releasedAt;
  console.log(
    `live update: database change → open page: engage ${engageLatency} ms, release ${releaseLatency} ms`,
  );
  expect(engageLatency).toBeLessThan(1000);
  expect(releaseLatency).toBeLessThan(1000);
  await observer.context().close();
});

test("when the live stream is refused, the page says so and keeps up by polling", async ({ browser }) => {
  const context = await browser.newContext({ storageState: storageStateOf("observer") });
  await context.route("**/api/events", (route) => route.fulfill({ status: 503, body: "" }));
  const observer = await context.newPage();
  await observer.goto("/runs");
  await expect(observer.locator("[data-live=polling]")).toHaveText(
    "Live updates unavailable: refreshing every 5 s",
  );
  runCli(["killswitch", "engage", "--reason", "seen by polling"], E2E_ENV);
  await expect(banner(observer)).toContainText("seen by polling", { timeout: 8_000 });
  runCli(["killswitch", "release"], E2E_ENV);
  await expect(banner(observer)).toHaveCount(0, { timeout: 8_000 });
  await context.close();
});
