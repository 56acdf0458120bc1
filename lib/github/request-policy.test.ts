import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  startGitHubServer,
  type Fault,
  type GitHubServer,
  type RouteName,
} from "../../test/support/github-server";
import { openTestDatabase } from "../../test/support/test-database";
import { parseSettings } from "../config/settings";
import type { Database } from "../db";
import { EXIT, RetryExhaustedError } from "../errors";
import { createGitHubClient, type GitHubClientOptions } from "./client";
import { ArtifactExpiredError, GitHubRefusedError } from "./errors";
import type { GitHubDecision } from "./request-policy";

/**
 * DESIGN §5 through the real Octokit stack (core + paginate + endpoint methods + throttling)
 * against the local server: requests are counted where they arrive, so a second retrying layer
 * (Octokit's or undici's) would show as extra requests.
 */
let server: GitHubServer;
let db: Database;
// One database for the file (loading one costs more than the tests); each test starts with no history.
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  server = await startGitHubServer({
    runs: [
      { id: 31, createdAt: "2025-11-20T10:00:00Z" },
      { id: 32, createdAt: "2025-11-20T11:00:00Z", status: "in_progress" },
    ],
    artifacts: [{ id: 61, runId: 31, name: "report", files: { "report.json": "{}" } }],
  });
  await db.query("delete from retry_history");
});
afterEach(async () => {
  await server.close();
});

function clientWith(
  faults: Partial<Record<RouteName, Fault[]>>,
  options: GitHubClientOptions = {},
  scale = "0",
) {
  for (const [route, list] of Object.entries(faults))
    server.state.addFaults(route as RouteName, ...(list ?? []));
  const lines: string[] = [];
  const decisions: GitHubDecision[] = [];
  const waits: number[] = [];
  const settings = parseSettings({
    GITHUB_API_URL: server.url,
    GITHUB_TOKEN: server.token,
    GITHUB_REPOSITORY: "octo/audit",
    RETRY_BACKOFF_SCALE: scale,
  });
  const client = createGitHubClient(settings, {
    db,
    log: (line) => lines.push(line),
    onDecision: (decision) => decisions.push(decision),
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...options,
  });
  return { client, lines, decisions, waits };
}

const kinds = (decisions: GitHubDecision[]) =>
  decisions.map((d) => [d.httpStatus ?? d.errorCode, d.decision.kind]);

describe("GitHub requests under the retry policy", () => {
  it("succeeds on [503, 503, 200] with exactly 3 requests and records them in retry_history", async () => {
    const { client, decisions } = clientWith({ getRun: [{ status: 503 }, { status: 503 }] });
    expect((await client.getRun("31")).runId).toBe("31");
    expect(server.state.count("getRun")).toBe(3);
    expect(kinds(decisions)).toEqual([
      [503, "retry"],
      [503, "retry"],
      [200, "success"],
    ]);
    const { rows } = await db.query(
      "select service, operation, run_id, attempt, status_code, decision from retry_history order by id",
    );
    expect(rows).toEqual([
      {
        service: "github",
        operation: "GET /repos/{owner}/{repo}/actions/runs/{run_id}",
        run_id: "31",
        attempt: 1,
        status_code: 503,
        decision: "retry",
      },
      {
        service: "github",
        operation: "GET /repos/{owner}/{repo}/actions/runs/{run_id}",
        run_id: "31",
        attempt: 2,
        status_code: 503,
        decision: "retry",
      },
      {
        service: "github",
        operation: "GET /repos/{owner}/{repo}/actions/runs/{run_id}",
        run_id: "31",
        attempt: 3,
        status_code: 200,
        decision: "success",
      },
    ]);
  });

  it("gives up after exactly 4 requests on [503 ×4] with RetryExhaustedError (exit 75)", async () => {
    const { client } = clientWith({ getRun: Array.from({ length: 5 }, () => ({ status: 503 })) });
    const error = await client.getRun("31").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect(error).toMatchObject({ exitCode: EXIT.retryExhausted });
    expect((error as Error).message).toMatch(/after 4 attempts \(last: HTTP 503\); retry_exhausted=true/);
    expect(server.state.count("getRun")).toBe(4);
    const { rows } = await db.query<{ decision: string }>("select decision from retry_history order by id");
    expect(rows.map((r) => r.decision)).toEqual(["retry", "retry", "retry", "give-up-exhausted"]);
  });

  it("waits the Retry-After of a 429, scaled, then succeeds with 2 requests", async () => {
    const { client, waits } = clientWith(
      { getRun: [{ status: 429, headers: { "retry-after": "2" } }] },
      {},
      "0.5",
    );
    await client.getRun("31");
    expect(waits).toEqual([1_000]);
    expect(server.state.count("getRun")).toBe(2);
  });

  it("waits 5 s and 15 s (scaled) between 5xx retries when no header says otherwise", async () => {
    const { client, waits } = clientWith({ listRuns: [{ status: 502 }, { status: 500 }] }, {}, "0.01");
    await client.listRunsInWindow({ windowDays: 7 });
    expect(waits).toEqual([50, 150]);
  });

  it("does not retry a 409: one request, and a GET reports it as refused", async () => {
    const { client, decisions } = clientWith({ getRun: [{ status: 409 }], cancelRun: [{ status: 409 }] });
    await expect(client.getRun("31")).rejects.toMatchObject({ status: 409 });
    expect(await client.cancelRun("32")).toBe("already-done");
    expect(server.state.count("getRun")).toBe(1);
    expect(server.state.count("cancelRun")).toBe(1);
    expect(kinds(decisions)).toEqual([
      [409, "duplicate-success"],
      [409, "duplicate-success"],
    ]);
    const { rows } = await db.query<{ decision: string }>("select decision from retry_history order by id");
    expect(rows.map((r) => r.decision)).toEqual(["duplicate-success", "duplicate-success"]);
  });

  it("reports 410 on the artifact's zip as ArtifactExpiredError after one request", async () => {
    const { client } = clientWith({ downloadArtifact: [{ status: 410 }] });
    const error = await client.getArtifactDownloadUrl("61").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtifactExpiredError);
    expect(error).toMatchObject({ artifactId: "61", status: 410, exitCode: EXIT.serviceRefused });
    expect(server.state.count("downloadArtifact")).toBe(1);
  });

  it("refuses a plain 403 at once and points to the secrets check", async () => {
    const { client } = clientWith({
      getRun: [{ status: 403, body: { message: "Resource not accessible by integration" } }],
    });
    const error = await client.getRun("31").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubRefusedError);
    expect((error as Error).message).toMatch(/HTTP 403 .*scripts\/phase4-secrets-check\.sh/);
    expect(server.state.count("getRun")).toBe(1);
  });

  it("retries a secondary-rate-limit 403 like a 429, after its Retry-After; the throttling plugin does not retry", async () => {
    const secondary: Fault = {
      status: 403,
      headers: { "retry-after": "3" },
      body: {
        message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
      },
    };
    const { client, waits, decisions, lines } = clientWith({ getRun: [secondary] }, {}, "1");
    await client.getRun("31");
    expect(server.state.count("getRun")).toBe(2);
    expect(waits).toEqual([3_000]);
    expect(kinds(decisions)).toEqual([
      [403, "retry"],
      [200, "success"],
    ]);
    expect(lines.some((line) => /secondary rate limit.*left to the retry policy/.test(line))).toBe(true);
  });

  it("waits until x-ratelimit-reset (capped at 60 s) on a primary rate limit 403", async () => {
    const now = Date.parse("2025-11-21T12:00:00Z");
    const primary: Fault = {
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 + 20) },
      body: { message: "API rate limit exceeded" },
    };
    const { client, waits } = clientWith(
      {
        getRun: [
          primary,
          { ...primary, headers: { ...primary.headers, "x-ratelimit-reset": String(now / 1000 + 3600) } },
        ],
      },
      { now: () => now },
      "1",
    );
    await client.getRun("31");
    expect(waits).toEqual([20_000, 60_000]);
    expect(server.state.count("getRun")).toBe(3);
  });

  it("retries a reset connection and a truncated body as 5xx", async () => {
    const { client, decisions } = clientWith({ getRun: [{ reset: true }], listRuns: [{ truncate: true }] });
    expect((await client.getRun("31")).runId).toBe("31");
    expect(server.state.count("getRun")).toBe(2);
    expect(
      await client.listRunsInWindow({ windowDays: 7, asOf: new Date("2025-11-21T00:00:00Z") }),
    ).toHaveLength(1);
    expect(server.state.count("listRuns")).toBe(2);
    expect(kinds(decisions)).toEqual([
      ["ECONNRESET", "retry"],
      [200, "success"],
      ["UND_ERR_SOCKET", "retry"],
      [200, "success"],
    ]);
  });

  it("retries an answer slower than the attempt's deadline", async () => {
    const { client, decisions } = clientWith({ getRun: [{ delayMs: 1_500 }] }, { timeoutMs: 300 });
    await client.getRun("31");
    expect(server.state.count("getRun")).toBe(2);
    expect(decisions[0]).toMatchObject({ errorCode: "TimeoutError", decision: { kind: "retry" } });
  });

  it("stops at once when the kill switch's signal aborts a retry wait, after 1 request", async () => {
    const controller = new AbortController();
    const reason = new Error("kill switch engaged by ic@example.test");
    const { client } = clientWith(
      { getRun: [{ status: 503 }] },
      {
        signal: controller.signal,
        sleep: undefined,
        // The real sleep of 5 s starts right after this decision; the kill switch fires during it.
        onDecision: (decision) => {
          if (decision.decision.kind === "retry") setTimeout(() => controller.abort(reason), 20);
        },
      },
      "1",
    );
    const started = performance.now();
    await expect(client.getRun("31")).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(server.state.count("getRun")).toBe(1);
    const { rows } = await db.query("select attempt, status_code, decision from retry_history");
    expect(rows).toEqual([{ attempt: 1, status_code: 503, decision: "retry" }]);
  });

  it("aborts a request in flight when the kill switch's signal fires, without retrying it", async () => {
    const controller = new AbortController();
    const reason = new Error("kill switch engaged by ic@example.test");
    const { client } = clientWith({ getRun: [{ delayMs: 5_000 }] }, { signal: controller.signal });
    const started = performance.now();
    // Fires once the server holds the request (the answer is 5 s away).
    const watch = setInterval(() => {
      if (server.state.count("getRun") === 1) controller.abort(reason);
    }, 10);
    await expect(client.getRun("31")).rejects.toBe(reason);
    clearInterval(watch);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(server.state.count("getRun")).toBe(1);
  });

  it("never lets the token reach a log line, a decision, retry_history or an error message", async () => {
    const { client, lines, decisions } = clientWith({
      getRun: [{ status: 503 }, { reset: true }, { status: 429 }, { status: 502 }],
      listRuns: [{ status: 403, headers: { "retry-after": "1" }, body: { message: "secondary rate limit" } }],
      downloadArtifact: [{ status: 410 }],
    });
    const errors = await Promise.all([
      client.getRun("31").catch((e: unknown) => e),
      client.getArtifactDownloadUrl("61").catch((e: unknown) => e),
    ]);
    await client.listRunsInWindow({ windowDays: 7 });
    const { rows } = await db.query("select * from retry_history");
    const recorded = [
      ...lines,
      JSON.stringify(decisions),
      JSON.stringify(rows),
      ...errors.map((e) => `${String(e)} ${String((e as Error).cause)}`),
    ];
    expect(lines.length).toBeGreaterThan(4);
    expect(rows.length).toBeGreaterThan(4);
    for (const text of recorded) expect(text).not.toContain(server.token);
    expect(lines.every((line) => /^github (GET|POST|PUT) \S+ /.test(line))).toBe(true);
  });
});
