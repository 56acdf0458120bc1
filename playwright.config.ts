import { defineConfig, devices } from "@playwright/test";
import { storageStateOf } from "./e2e/support/accounts";
import {
  BROKEN_ENV,
  BROKEN_PORT,
  CANARY_ENV,
  CANARY_PORT,
  E2E_ENV,
  E2E_GITHUB,
  GITHUB_PORT,
  PORT,
} from "./e2e/support/env";

/**
 * End-to-end journeys against the production build (`npm run test:e2e` builds it when sources
 * changed), driven in Debian's Chromium. The server works on its own sample event under
 * test-results/, which Playwright clears before each run, so a run never touches the real event
 * folder and always starts from the same deterministic data. Every page needs a session: the
 * setup project signs each role in through the form and the journeys start from the observer's
 * saved state (a spec that needs another role uses storageStateOf(role)).
 */

const chromium = {
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
};

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
    { name: "setup", testMatch: /auth\.setup\.ts$/, use: chromium },
    {
      name: "chromium",
      dependencies: ["setup"],
      use: { ...chromium, storageState: storageStateOf("observer") },
    },
  ],
  webServer: [
    {
      command: `node dist/cli/main.mjs sample --event ${E2E_ENV.AUDIT_EVENT} --if-missing && npx next start -p ${PORT}`,
      // The one page open without a session.
      url: `http://127.0.0.1:${PORT}/login`,
      env: { ...E2E_ENV, NEXT_TELEMETRY_DISABLED: "1" },
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      // The e2e GitHub (DESIGN §10): serves the event the server above has just generated (web
      // servers start in order), read once at start, on the port E2E_ENV's GITHUB_API_URL names.
      command: `node scripts/github-server/serve.mjs --event-dir ${E2E_ENV.AUDIT_REPORTS_ROOT}/${E2E_ENV.AUDIT_EVENT} --port ${GITHUB_PORT} --repository ${E2E_GITHUB.GITHUB_REPOSITORY}`,
      // Without a token the API answers 401: the server is up.
      url: `${E2E_GITHUB.GITHUB_API_URL}/repos/${E2E_GITHUB.GITHUB_REPOSITORY}/actions/runs`,
      env: { GITHUB_TOKEN: E2E_GITHUB.GITHUB_TOKEN },
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: `node e2e/support/broken-event.mjs && npx next start -p ${BROKEN_PORT}`,
      url: `http://127.0.0.1:${BROKEN_PORT}/login`,
      env: { ...BROKEN_ENV, NEXT_TELEMETRY_DISABLED: "1" },
      reuseExistingServer: false,
      timeout: 120_000,
    },
    {
      // Every secret setting holds a canary (e2e/masking.spec.ts); its database is served beside it.
      command: `node e2e/support/canary-server.mjs ${CANARY_PORT}`,
      url: `http://127.0.0.1:${CANARY_PORT}/login`,
      env: { ...CANARY_ENV, NEXT_TELEMETRY_DISABLED: "1" },
      reuseExistingServer: false,
      timeout: 120_000,
    },
  ],
});
