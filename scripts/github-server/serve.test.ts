import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readRunsSummary } from "../../lib/evidence/runs-summary";
import { generateSampleEvent } from "../../lib/sample/generate";

/**
 * The e2e tests' and the demo's GitHub: scripts/github-server/serve.mjs run as Playwright runs it,
 * a real process answering real HTTP on loopback.
 */
const TOKEN = "ghs_serveScriptTestToken0000000000";
let child: ChildProcess | undefined;
let root: string | undefined;

afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGKILL");
    await once(child, "exit");
  }
  child = undefined;
  if (root) await fs.rm(root, { recursive: true, force: true });
  root = undefined;
});

function serve(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let text = "";
  const proc = spawn(process.execPath, ["scripts/github-server/serve.mjs", ...args], {
    // Whatever the machine's environment holds, the token is the test's (or none).
    env: { ...process.env, GITHUB_TOKEN: undefined, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  proc.stdout?.on("data", (chunk: Buffer) => (text += chunk.toString()));
  proc.stderr?.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return { child: proc, output: () => text };
}

async function waitFor(output: () => string, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(output());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`no ${pattern} in: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("scripts/github-server/serve.mjs", () => {
  it("serves an event folder's runs and artifacts to the token from the environment, and stops on SIGTERM", async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "gh-serve-"));
    const eventDir = path.join(root, "docs/reports/ev");
    await generateSampleEvent({ dir: eventDir, root, event: "ev", runs: 12 });
    const runs = await readRunsSummary(path.join(eventDir, "RUNS_SUMMARY.json"));

    const started = serve(["--event-dir", eventDir, "--port", "0", "--repository", "acme/app"], {
      GITHUB_TOKEN: TOKEN,
    });
    child = started.child;
    const [, url] = await waitFor(
      started.output,
      /github-server: (http:\/\/127\.0\.0\.1:\d+) serves acme\/app \(12 runs, \d+ artifacts\)/,
    );
    // The token is never printed.
    expect(started.output()).not.toContain(TOKEN);

    const anonymous = await fetch(`${url}/repos/acme/app/actions/runs`);
    expect(anonymous.status).toBe(401);
    const listed = await fetch(`${url}/repos/acme/app/actions/runs?per_page=100`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(listed.status).toBe(200);
    const body = (await listed.json()) as { total_count: number; workflow_runs: { id: number }[] };
    expect(body.total_count).toBe(12);
    expect(body.workflow_runs.map((r) => String(r.id)).sort()).toEqual(runs.map((r) => r.run_id).sort());

    child.kill("SIGTERM");
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code).toBe(0);
  });

  it("refuses to start without the event's RUNS_SUMMARY.json or without a token, naming what is missing", async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "gh-serve-"));
    const missing = serve(["--event-dir", root, "--port", "0"], { GITHUB_TOKEN: TOKEN });
    child = missing.child;
    const [code] = (await once(missing.child, "exit")) as [number | null];
    expect(code).toBe(1);
    expect(missing.output()).toContain(`${root}/RUNS_SUMMARY.json is missing`);

    const eventDir = path.join(root, "docs/reports/ev");
    await generateSampleEvent({ dir: eventDir, root, event: "ev", runs: 2 });
    const tokenless = serve(["--event-dir", eventDir, "--port", "0"], {});
    child = tokenless.child;
    const [again] = (await once(tokenless.child, "exit")) as [number | null];
    expect(again).toBe(1);
    expect(tokenless.output()).toContain("GITHUB_TOKEN is not set");
  });
});
