import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Page } from "@playwright/test";

/**
 * Saves a view as a run artifact (test-results/screenshots/) and as the README's picture
 * (docs/screenshots/, committed), so the README always shows what the tests last saw.
 */
export async function saveScreenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<void> {
  // The caret and hover states would make the committed pictures differ from run to run.
  await page.mouse.move(0, 0);
  for (const dir of ["test-results/screenshots", "docs/screenshots"]) {
    await mkdir(dir, { recursive: true });
    await page.screenshot({
      path: path.join(dir, `${name}.png`),
      fullPage: options.fullPage ?? false,
      caret: "hide",
    });
  }
}

/** "4m 43s", "1h 02m", "28s", "7.5s" → seconds, as the Runs table prints durations. */
export function parseDuration(text: string): number {
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)([hms])/g)];
  if (parts.length === 0) throw new Error(`not a duration: '${text}'`);
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1 };
  return parts.reduce((sum, [, value, u]) => sum + Number(value) * (unit[u ?? "s"] ?? 1), 0);
}
