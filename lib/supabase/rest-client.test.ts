import { createClient } from "@supabase/supabase-js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startPostgrestServer, type PostgrestServer } from "../../test/support/postgrest-server";
import { openTestDatabase } from "../../test/support/test-database";
import { parseSettings } from "../config/settings";
import type { Database } from "../db";
import { ServiceRefusedError } from "../errors";
import {
  createAnswerRecorder,
  createSupabaseRestClient,
  requireSupabaseConfig,
  toConnectionFailure,
} from "./rest-client";

const KEY = "service-key-7f3c9a1e-rest-client";
let db: Database;
let server: PostgrestServer;

beforeAll(async () => {
  db = await openTestDatabase();
  server = await startPostgrestServer({ db, serviceKey: KEY });
});
afterAll(async () => {
  await server.stop();
  await db.close();
});
beforeEach(() => {
  server.requests.length = 0;
  server.faults.length = 0;
});

const config = () => ({ url: server.url, serviceKey: KEY });
const unavailable = { status: 503, headers: { "retry-after": "0" } };
const row = (runId: string, status = "success") => ({ run_id: runId, status, retries: 0 });

function rest(path: string, init: RequestInit & { key?: string; bearer?: string } = {}) {
  const { key = KEY, bearer = key, ...rest } = init;
  return fetch(`${server.url}/rest/v1/${path}`, {
    ...rest,
    headers: {
      apikey: key,
      authorization: `Bearer ${bearer}`,
      "content-type": "application/json",
      ...(rest.headers as Record<string, string>),
    },
  });
}

describe("createSupabaseRestClient: only our policy retries", () => {
  it("sends a GET that answers 503 exactly once (postgrest-js's own retry is off)", async () => {
    server.faults.push(unavailable, unavailable, unavailable, 200);
    const client = createSupabaseRestClient(config(), fetch);
    const { status } = await client.from("phase4_audit_metrics").select("run_id");
    expect(status).toBe(503);
    expect(server.requests).toHaveLength(1);
  });

  it("control: supabase-js left to itself retries that GET 3 more times", async () => {
    server.faults.push(unavailable, unavailable, unavailable, 200);
    const client = createClient(server.url, KEY, { auth: { persistSession: false } });
    const { status } = await client.from("phase4_audit_metrics").select("run_id");
    expect(status).toBe(200);
    expect(server.requests.map((r) => r.headers["x-retry-count"])).toEqual([undefined, "1", "2", "3"]);
  });

  it("refuses missing configuration naming the setting, never its value", () => {
    const settings = parseSettings({ SUPABASE_URL: "https://example.supabase.co" });
    expect(() => requireSupabaseConfig(settings)).toThrow(ServiceRefusedError);
    expect(() => requireSupabaseConfig(settings)).toThrow(/SUPABASE_SERVICE_KEY is not set/);
    expect(() => requireSupabaseConfig(parseSettings({ SUPABASE_SERVICE_KEY: KEY }))).toThrow(
      /^SUPABASE_URL is not set/,
    );
  });
});

describe("createAnswerRecorder", () => {
  it("keeps the status and the policy headers, and nothing of the body", async () => {
    server.faults.push({ status: 429, headers: { "retry-after": "2", "x-other": "1" }, body: "secret body" });
    const recorder = createAnswerRecorder(fetch);
    await (await recorder.fetch(`${server.url}/rest/v1/phase4_audit_metrics`)).text();
    expect(recorder.take()).toEqual({ response: { status: 429, headers: { "retry-after": "2" } } });
    expect(recorder.take()).toBeUndefined();
  });

  it("reports a reset connection as a connection failure with the socket's code", async () => {
    server.faults.push("reset");
    const recorder = createAnswerRecorder(fetch);
    await expect(recorder.fetch(`${server.url}/rest/v1/phase4_audit_metrics`)).rejects.toThrow();
    const answer = recorder.take();
    const failure = answer && "error" in answer ? toConnectionFailure(answer.error) : undefined;
    expect(failure).toMatchObject({ code: expect.stringMatching(/^(UND_ERR_SOCKET|ECONNRESET)$/) });
  });

  it("turns a request that never answers into a TimeoutError", async () => {
    server.faults.push("stall");
    const recorder = createAnswerRecorder(fetch, 100);
    await expect(recorder.fetch(`${server.url}/rest/v1/phase4_audit_metrics`)).rejects.toMatchObject({
      name: "TimeoutError",
    });
  });

  it("leaves an abort by the caller as it is (not a connection failure)", async () => {
    server.faults.push("stall");
    const recorder = createAnswerRecorder(fetch);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("kill switch engaged")), 50);
    await expect(
      recorder.fetch(`${server.url}/rest/v1/phase4_audit_metrics`, { signal: controller.signal }),
    ).rejects.toThrow("kill switch engaged");
    const answer = recorder.take();
    expect(answer && "error" in answer ? toConnectionFailure(answer.error) : undefined).not.toHaveProperty(
      "code",
    );
  });
});

describe("the local PostgREST server", () => {
  it("inserts with return=representation, then answers 409 to a plain insert of the same run_id", async () => {
    const first = await rest("phase4_audit_metrics", {
      method: "POST",
      headers: { prefer: "return=representation" },
      body: JSON.stringify([row("p1")]),
    });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject([{ run_id: "p1", status: "success", retries_exhausted: false }]);
    const again = await rest("phase4_audit_metrics", { method: "POST", body: JSON.stringify(row("p1")) });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: "23505" });
  });

  it("merges duplicates on on_conflict=run_id", async () => {
    for (const status of ["success", "failure"]) {
      const res = await rest("phase4_audit_metrics?on_conflict=run_id", {
        method: "POST",
        headers: { prefer: "resolution=merge-duplicates" },
        body: JSON.stringify(row("p2", status)),
      });
      expect(res.status).toBe(201);
    }
    const { rows } = await db.query("select status from phase4_audit_metrics where run_id = 'p2'");
    expect(rows).toEqual([{ status: "failure" }]);
  });

  it("checks the key: 401 without or with a wrong apikey, 403 with a wrong bearer", async () => {
    const post = { method: "POST", body: JSON.stringify(row("p3")) };
    expect((await rest("phase4_audit_metrics", { ...post, key: "wrong" })).status).toBe(401);
    expect((await rest("phase4_audit_metrics", { ...post, bearer: "anon" })).status).toBe(403);
    expect((await db.query("select 1 from phase4_audit_metrics where run_id = 'p3'")).rows).toEqual([]);
  });

  it("answers 400 for an unknown column, 404 for an unknown table, and GETs with select and limit", async () => {
    const bad = await rest("phase4_audit_metrics", {
      method: "POST",
      body: JSON.stringify({ run_id: "x", y: 1 }),
    });
    expect(bad.status).toBe(400);
    expect((await rest("secrets", { method: "POST", body: "{}" })).status).toBe(404);
    const listed = await rest("phase4_audit_metrics?select=run_id&run_id=eq.p2&limit=1");
    expect(await listed.json()).toEqual([{ run_id: "p2" }]);
    expect(server.requests.every((r) => !("apikey" in r.headers) && !("authorization" in r.headers))).toBe(
      true,
    );
  });
});
