import { expect, test, type Page } from "@playwright/test";

/**
 * An accessibility smoke check without extra packages: one h1 per page, every form control has
 * an accessible name, the active view is marked, and the keyboard reaches what matters.
 */
const PAGES = [
  "/",
  "/runs",
  "/evidence",
  "/kpis",
  "/checklist",
  "/decision",
  "/kill-switch",
  "/secrets",
  "/collect",
];

async function firstRunHref(page: Page): Promise<string> {
  await page.goto("/runs");
  const href = await page
    .getByRole("table")
    .getByRole("rowheader")
    .first()
    .getByRole("link")
    .getAttribute("href");
  if (!href) throw new Error("the Runs table has no run link");
  return href;
}

test("every page has one h1, named form controls and marks its view as current", async ({ page }) => {
  const pages = [...PAGES, await firstRunHref(page)];
  for (const url of pages) {
    await test.step(url, async () => {
      const response = await page.goto(url);
      expect(response?.status(), url).toBe(200);
      await expect(page.getByRole("heading", { level: 1 })).toHaveCount(1);
      const controls = page.locator("input:not([type=hidden]), select, textarea, button");
      for (const control of await controls.all()) {
        await expect(control).toHaveAccessibleName(/\S/);
      }
      await expect(page.getByRole("link", { name: "Skip to content" })).toBeAttached();
      const nav = page.getByRole("navigation", { name: "Main" });
      const view = url === "/" ? null : `/${url.split("/")[1]}`;
      await expect(nav.locator("[aria-current=page]")).toHaveCount(view ? 1 : 0);
      if (view) await expect(nav.locator("[aria-current=page]")).toHaveAttribute("href", view);
    });
  }
});

test("the keyboard reaches the skip link, the filter form and the first run link", async ({ page }) => {
  await page.goto("/runs");
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      return { id: el?.id ?? "", text: el?.textContent?.trim() ?? "", tag: el?.tagName ?? "" };
    });

  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await page.keyboard.press("Enter");
  // The skip link lands in main: the next stop is the filter form, past header and navigation.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("searchbox", { name: "Run id" })).toBeFocused();

  const firstRunId = (await page.getByRole("table").getByRole("rowheader").first().textContent())?.trim();
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press("Tab");
    const el = await focused();
    reached = el.tag === "A" && el.text === firstRunId;
  }
  expect(reached, `Tab reaches the first run link (${firstRunId})`).toBe(true);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: `Run ${firstRunId}` })).toBeVisible();
});
