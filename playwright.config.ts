import { defineConfig, devices } from "@playwright/test";
import { BROKEN_ENV, BROKEN_PORT, E2E_ENV, PORT } from "./e2e/support/env";

/**
 * End-to-end journeys against the production build (`npm run test:e2e` builds it when sources
 * changed), driven in Debian's Chromium. The server works on its own sample event under
 * test-results/, which Playwright clears before each run, so a run never touches the real event
 * folder and always starts from the same deterministic data.
 */

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/",
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // One server with one event folder: the journeys share it, and one of them writes to it.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    viewport: { width: 1280, height: 800 },
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1280, height: 800 },
        headless: true,
        launchOptions: {
          executablePath: "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
          ],
        },
      },
    },
  ],
  webServer: [
    {
      command: `node dist/cli/main.mjs sample --event ${E2E_ENV.AUDIT_EVENT} --if-missing && npx next start -p ${PORT}`,
      url: `http://127.0.0.1:${PORT}/runs`,
      env: { ...E2E_ENV, NEXT_TELEMETRY_DISABLED: "1" },
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: `node e2e/support/broken-event.mjs && npx next start -p ${BROKEN_PORT}`,
      url: `http://127.0.0.1:${BROKEN_PORT}/runs`,
      env: { ...BROKEN_ENV, NEXT_TELEMETRY_DISABLED: "1" },
      reuseExistingServer: false,
      timeout: 120_000,
    },
  ],
});
