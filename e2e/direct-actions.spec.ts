import { readFile } from "node:fs/promises";
import { expect, test, type APIRequestContext, type Request } from "@playwright/test";
import { E2E_ENV } from "./support/env";
import { runCli, storageStateOf, type E2eRole } from "./support/accounts";

/**
 * Server actions are public POST endpoints. A real action call (the reviewer ticking step 11,
 * a reviewer-only step) is captured from the page, then replayed directly with every other
 * caller: no session, each other role's session, a forged or null Origin, and the
 * x-middleware-subrequest header (CVE-2025-29927). Every replay must be refused and leave the
 * database as it was: the audit log (one row per completed action) keeps its length.
 */
test.describe.configure({ mode: "serial" });

const auditRows = (): number =>
  (JSON.parse(runCli(["audit-verify", "--json"], E2E_ENV)) as { ok: boolean; rows: number }).rows;

let captured: { url: string; headers: Record<string, string>; body: Buffer };

test.use({ storageState: storageStateOf("reviewer") });

test("capture a real server action call from the reviewer's checklist", async ({ page }) => {
  await page.goto("/checklist");
  const untick = page.getByRole("button", { name: "Untick step 11", exact: true });
  if (await untick.isVisible()) {
    await page.getByLabel("Note for step 11").fill("reset by the direct-call test");
    await untick.click();
    await expect(page.getByTestId("checklist-result")).toHaveText("Step 11 unticked.");
  }
  const request = page.waitForRequest(
    (r: Request) => r.method() === "POST" && r.headers()["next-action"] !== undefined,
  );
  await page.getByLabel("Note for step 11").fill("ticked by the direct-call test");
  await page.getByRole("button", { name: "Tick step 11", exact: true }).click();
  const sent = await request;
  await expect(page.getByTestId("checklist-result")).toHaveText("Step 11 ticked.");
  const headers = await sent.allHeaders();
  captured = { url: sent.url(), headers, body: sent.postDataBuffer() ?? Buffer.alloc(0) };
  // Start the replays from an open step, so a replay that got through would tick it again.
  await page.getByLabel("Note for step 11").fill("reset by the direct-call test");
  await page.getByRole("button", { name: "Untick step 11", exact: true }).click();
  await expect(page.getByTestId("checklist-result")).toHaveText("Step 11 unticked.");
});

async function replay(
  api: APIRequestContext,
  change: { cookie?: string | null; origin?: string | null; extra?: Record<string, string> },
): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(captured.headers)) {
    if (!name.startsWith(":") && !["cookie", "origin", "content-length", "host"].includes(name))
      headers[name] = value;
  }
  if (change.cookie) headers.cookie = change.cookie;
  if (change.origin !== undefined && change.origin !== null) headers.origin = change.origin;
  if (change.origin === null) headers.origin = "null";
  Object.assign(headers, change.extra ?? {});
  const response = await api.fetch(captured.url, {
    method: "POST",
    headers,
    data: captured.body,
    maxRedirects: 0,
  });
  return { status: response.status(), text: await response.text() };
}

async function cookieOf(role: E2eRole): Promise<string> {
  const state = JSON.parse(await readFile(storageStateOf(role), "utf8")) as {
    cookies: { name: string; value: string }[];
  };
  return state.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}

test("every direct call but the reviewer's own is refused, with no database change", async ({
  playwright,
}) => {
  expect(captured, "the capture test ran first").toBeDefined();
  const api = await playwright.request.newContext({ storageState: { cookies: [], origins: [] } });
  const BASE = new URL(captured.url).origin; // the dashboard's own origin, as its pages send it
  const before = auditRows();
  const refusedByRole: Record<string, number> = {};
  const expectRefused = async (label: string, result: { status: number; text: string }) => {
    // Refused either at the proxy (401/403), by Next's own Origin check (>= 400), or by the action
    // client, which answers the action protocol with { ok: false } and a status.
    const refused = result.status >= 400 || /"ok":false/.test(result.text);
    expect(refused, `${label}: HTTP ${result.status} ${result.text.slice(0, 200)}`).toBe(true);
    expect(result.text).not.toContain('"ok":true');
    refusedByRole[label] = (refusedByRole[label] ?? 0) + 1;
  };

  const reviewerCookie = await cookieOf("reviewer");
  await expectRefused("no session", await replay(api, { cookie: null, origin: BASE }));
  for (const role of ["observer", "operator", "commander"] as const) {
    await expectRefused(role, await replay(api, { cookie: await cookieOf(role), origin: BASE }));
  }
  await expectRefused(
    "forged origin",
    await replay(api, { cookie: reviewerCookie, origin: "https://evil.example" }),
  );
  await expectRefused("null origin", await replay(api, { cookie: reviewerCookie, origin: null }));
  await expectRefused(
    "x-middleware-subrequest",
    await replay(api, {
      cookie: reviewerCookie,
      origin: BASE,
      extra: { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" },
    }),
  );
  await expectRefused(
    "forged cookie",
    await replay(api, { cookie: `${reviewerCookie.slice(0, -4)}AAAA`, origin: BASE }),
  );

  expect(auditRows(), "no refused call wrote the database").toBe(before);
  console.log(`direct server-action calls refused: ${JSON.stringify(refusedByRole)}`);

  // The control: the same call with the reviewer's own session and origin goes through.
  const own = await replay(api, { cookie: reviewerCookie, origin: BASE });
  expect(own.status).toBe(200);
  expect(own.text).toContain('"ok":true');
  expect(auditRows()).toBe(before + 1);
  await api.dispose();
});
