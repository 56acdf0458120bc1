import { afterEach, describe, expect, it } from "vitest";
import { completedRuns, startGitHubServer, type GitHubServer } from "../../test/support/github-server";
import type { GitHubServerOptions } from "../../test/support/github-server";
import { parseSettings } from "../config/settings";
import { EXIT, ServiceRefusedError } from "../errors";
import { createGitHubClient } from "./client";
import { GitHubRefusedError } from "./errors";

let server: GitHubServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setUp(options: GitHubServerOptions = {}, env: Record<string, string> = {}) {
  server = await startGitHubServer(options);
  const settings = parseSettings({
    GITHUB_API_URL: server.url,
    GITHUB_TOKEN: server.token,
    GITHUB_REPOSITORY: "octo/audit",
    RETRY_BACKOFF_SCALE: "0",
    ...env,
  });
  const lines: string[] = [];
  const client = createGitHubClient(settings, { log: (line) => lines.push(line) });
  return { server, client, lines };
}

const AS_OF = new Date("2025-11-21T12:00:00Z");

describe("GitHub client: runs in a window", () => {
  it("lists every completed run created in the window across 3 pages, newest first", async () => {
    const inWindow = completedRuns(250, { newest: "2025-11-21T11:00:00Z", everyMinutes: 20 });
    const running = { id: 1, createdAt: "2025-11-21T11:30:00Z", status: "in_progress" as const };
    const { server, client } = await setUp({ runs: [...inWindow, running] });
    const runs = await client.listRunsInWindow({ windowDays: 7, asOf: AS_OF });
    expect(runs).toHaveLength(250);
    expect(runs[0]?.runId).toBe("19421000249");
    expect(runs.at(-1)?.runId).toBe("19421000000");
    expect(new Set(runs.map((r) => r.runId)).size).toBe(250);
    const pages = server.state.requests.filter((r) => r.route === "listRuns");
    expect(pages.map((r) => new URLSearchParams(r.query).get("page") ?? "1")).toEqual(["1", "2", "3"]);
    expect(pages.every((r) => r.auth === "token" || r.auth === "bearer")).toBe(true);
  });

  it("asks for created=>=YYYY-MM-DD and status=completed, so older runs never come back", async () => {
    const old = completedRuns(5, { newest: "2025-11-13T23:00:00Z", firstId: 100 });
    const recent = completedRuns(4, { newest: "2025-11-20T10:00:00Z", firstId: 200 });
    const { server, client } = await setUp({ runs: [...old, ...recent] });
    const runs = await client.listRunsInWindow({ windowDays: 7, asOf: AS_OF });
    expect(runs.map((r) => r.runId)).toEqual(["203", "202", "201", "200"]);
    const query = new URLSearchParams(server.state.requests[0]?.query);
    expect(query.get("created")).toBe(">=2025-11-14");
    expect(query.get("status")).toBe("completed");
  });

  it("drops runs created after asOf and lists one workflow's runs by its file name", async () => {
    const audit = completedRuns(3, { newest: "2025-11-22T10:00:00Z", everyMinutes: 1440, firstId: 300 });
    const other = completedRuns(2, {
      newest: "2025-11-20T10:00:00Z",
      firstId: 400,
      workflowFile: "other.yml",
    });
    const { server, client } = await setUp({ runs: [...audit, ...other] });
    const runs = await client.listRunsInWindow({
      windowDays: 7,
      asOf: AS_OF,
      workflow: "phase4-auto-audit.yml",
    });
    expect(runs.map((r) => r.runId)).toEqual(["301", "300"]);
    expect(server.state.requests[0]?.path).toBe(
      "/repos/octo/audit/actions/workflows/phase4-auto-audit.yml/runs",
    );
  });

  it("rejects a window that is not a whole number of days, naming window_days", async () => {
    const { client, server } = await setUp();
    await expect(client.listRunsInWindow({ windowDays: 0 })).rejects.toThrow(/window_days.*integer ≥ 1/);
    expect(server.state.requests).toHaveLength(0);
  });
});

describe("GitHub client: the app's own types", () => {
  it("reshapes a run, its jobs with steps and annotations, and its artifacts", async () => {
    const { client } = await setUp({
      runs: [
        {
          id: 4242,
          title: "nightly audit",
          createdAt: "2025-11-20T10:00:00Z",
          runStartedAt: "2025-11-20T10:00:05Z",
          updatedAt: "2025-11-20T10:04:00Z",
          conclusion: "failure",
          headSha: "a".repeat(40),
          jobs: [
            {
              id: 777,
              name: "collect",
              steps: [{ name: "Download artifacts", conclusion: "failure" }],
              annotations: [
                { level: "failure", message: "HTTP 503 from storage", path: "collect.sh", startLine: 12 },
              ],
            },
          ],
        },
      ],
      artifacts: [{ id: 55, runId: 4242, name: "audit-report", files: { "audit-report.json": "{}" } }],
    });
    expect(await client.getRun("4242")).toEqual({
      runId: "4242",
      name: "nightly audit",
      workflowName: "phase4-auto-audit",
      workflowPath: ".github/workflows/phase4-auto-audit.yml",
      event: "schedule",
      status: "completed",
      conclusion: "failure",
      headSha: "a".repeat(40),
      branch: "main",
      runAttempt: 1,
      createdAt: "2025-11-20T10:00:00Z",
      runStartedAt: "2025-11-20T10:00:05Z",
      updatedAt: "2025-11-20T10:04:00Z",
      htmlUrl: "https://github.example/octo/audit/actions/runs/4242",
    });
    const [job] = await client.listJobs("4242", { annotations: true });
    expect(job).toMatchObject({ jobId: "777", runId: "4242", name: "collect", conclusion: "failure" });
    expect(job?.steps).toEqual([
      expect.objectContaining({ number: 1, name: "Download artifacts", conclusion: "failure" }),
    ]);
    expect(job?.annotations).toEqual([
      { level: "failure", message: "HTTP 503 from storage", path: "collect.sh", title: "", startLine: 12 },
    ]);
    const [artifact] = await client.listArtifacts("4242");
    expect(artifact).toMatchObject({ id: "55", name: "audit-report", expired: false });
    expect(artifact?.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(artifact?.archiveDownloadUrl).toBe(`${server?.url}/repos/octo/audit/actions/artifacts/55/zip`);
    expect(Object.keys(artifact ?? {}).sort()).toEqual([
      "archiveDownloadUrl",
      "createdAt",
      "digest",
      "expired",
      "expiresAt",
      "id",
      "name",
      "sizeInBytes",
    ]);
  });

  it("returns the artifact's storage URL without following it; the storage host refuses the token", async () => {
    const { server, client } = await setUp({
      runs: [{ id: 9, createdAt: "2025-11-20T10:00:00Z" }],
      artifacts: [{ id: 56, runId: 9, name: "bundle", files: { "a.txt": "hello" } }],
    });
    const location = await client.getArtifactDownloadUrl("56");
    expect(location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/_storage\/artifacts\/56\.zip\?sig=[0-9a-f]{32}$/);
    expect(server.state.count("storage")).toBe(0);
    const withToken = await fetch(location, { headers: { authorization: `token ${server.token}` } });
    expect(withToken.status).toBe(400);
    await withToken.body?.cancel();
    const plain = await fetch(location);
    expect(plain.status).toBe(200);
    expect(Buffer.from(await plain.arrayBuffer())).toEqual(server.state.artifacts.get(56)?.zip);
  });

  it("works against a GitHub Enterprise Server base URL (/api/v3)", async () => {
    const { server, client } = await setUp({
      basePath: "/api/v3",
      runs: completedRuns(120, { newest: "2025-11-21T10:00:00Z", everyMinutes: 10 }),
    });
    expect(server.url).toMatch(/\/api\/v3$/);
    expect(await client.listRunsInWindow({ windowDays: 7, asOf: AS_OF })).toHaveLength(120);
    expect(server.state.requests.map((r) => r.path)).toEqual([
      "/api/v3/repos/octo/audit/actions/runs",
      "/api/v3/repos/octo/audit/actions/runs",
    ]);
  });
});

describe("GitHub client: refusals", () => {
  it("refuses to start without GITHUB_TOKEN or GITHUB_REPOSITORY, naming the setting (exit 78)", () => {
    const base = { GITHUB_API_URL: "http://127.0.0.1:9" };
    for (const [env, name] of [
      [{ ...base, GITHUB_REPOSITORY: "octo/audit" }, "GITHUB_TOKEN"],
      [{ ...base, GITHUB_TOKEN: "ghs_x" }, "GITHUB_REPOSITORY"],
    ] as const) {
      const attempt = () => createGitHubClient(parseSettings(env));
      expect(attempt).toThrow(ServiceRefusedError);
      expect(attempt).toThrow(new RegExp(`${name} is not set`));
    }
  });

  it("refuses 404 and a wrong token without retrying, with exit code 78", async () => {
    const { server, client } = await setUp({ runs: [{ id: 5, createdAt: "2025-11-20T10:00:00Z" }] });
    const missing = await client.getRun("6").catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(GitHubRefusedError);
    expect(missing).toMatchObject({ status: 404, exitCode: EXIT.serviceRefused });
    expect((missing as Error).message).toMatch(
      /HTTP 404 to GET \/repos\/\{owner\}\/\{repo\}\/actions\/runs\/\{run_id\}: not found/,
    );
    const wrong = createGitHubClient(
      parseSettings({
        GITHUB_API_URL: server.url,
        GITHUB_TOKEN: "ghs_wrong",
        GITHUB_REPOSITORY: "octo/audit",
      }),
      { log: () => undefined },
    );
    await expect(wrong.getRun("5")).rejects.toThrow(/HTTP 401 .*check GITHUB_TOKEN/);
    expect(server.state.count("getRun")).toBe(2);
  });

  it("refuses an id that is not a number before any request, naming it", async () => {
    const { client, server } = await setUp();
    await expect(client.getRun("../../x")).rejects.toThrow(/run_id: expected a positive integer id/);
    await expect(client.disableWorkflow("a b")).rejects.toThrow(/workflow: expected a workflow file name/);
    expect(server.state.requests).toHaveLength(0);
  });
});

describe("GitHub client: re-run, cancel, disable", () => {
  it("changes the server's state and records each action", async () => {
    const { server, client } = await setUp({
      runs: [
        { id: 11, createdAt: "2025-11-20T10:00:00Z", conclusion: "failure" },
        { id: 12, createdAt: "2025-11-20T11:00:00Z", status: "in_progress" },
        { id: 13, createdAt: "2025-11-20T11:05:00Z", status: "queued", ignoresCancel: true },
      ],
    });
    expect((await client.listActiveRuns("phase4-auto-audit.yml")).map((r) => r.runId).sort()).toEqual([
      "12",
      "13",
    ]);
    expect(await client.rerunFailedJobs("11")).toBe("requested");
    expect(await client.cancelRun("12")).toBe("requested");
    expect(await client.cancelRun("13")).toBe("requested");
    expect((await client.getRun("13")).status).toBe("queued");
    expect(await client.forceCancelRun("13")).toBe("requested");
    await client.disableWorkflow("phase4-auto-audit.yml");
    expect(server.state.workflows.get("phase4-auto-audit.yml")?.state).toBe("disabled_manually");
    await client.enableWorkflow("phase4-auto-audit.yml");
    expect(server.state.actions).toEqual([
      { action: "rerun-failed-jobs", target: "11", status: "queued" },
      { action: "cancel", target: "12", status: "completed" },
      { action: "cancel", target: "13", status: "queued" },
      { action: "force-cancel", target: "13", status: "completed" },
      { action: "disable", target: "phase4-auto-audit.yml" },
      { action: "enable", target: "phase4-auto-audit.yml" },
    ]);
    expect(server.state.workflows.get("phase4-auto-audit.yml")?.state).toBe("active");
  });

  it("counts 409 on a completed run's cancel as already done, with one request", async () => {
    const { server, client } = await setUp({ runs: [{ id: 21, createdAt: "2025-11-20T10:00:00Z" }] });
    expect(await client.cancelRun("21")).toBe("already-done");
    expect(server.state.count("cancelRun")).toBe(1);
    expect(server.state.actions).toEqual([]);
  });
});
