import { expect, test } from "@playwright/test";
import { E2E_ENV } from "./support/env";

test("GET /api/health reports the embedded database and the e2e event, uncached", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.headers()["cache-control"]).toContain("no-store");
  const health = await response.json();
  expect(health).toMatchObject({
    ok: true,
    mode: "embedded",
    event: { name: E2E_ENV.AUDIT_EVENT, exists: true, runsSummary: true, manifest: true },
  });
  expect(health.migration.applied).toBe(health.migration.available);
  expect(response.status()).toBe(200);
});
