import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import yauzl from "yauzl";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadSampleEventState, startGitHubServer, type GitHubServer } from "../../test/support/github-server";
import { parseSettings } from "../config/settings";
import { generateSampleEvent } from "../sample/generate";
import { createGitHubClient } from "./client";

let root: string;
let server: GitHubServer | undefined;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "gh-sample-"));
});
afterEach(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

/** The one entry of a zip, read with yauzl. */
async function unzipSingle(zip: Buffer): Promise<{ name: string; content: Buffer }> {
  const archive = await yauzl.fromBufferPromise(zip, { lazyEntries: true });
  return new Promise((resolve, reject) => {
    archive.once("entry", (entry: yauzl.Entry) => {
      archive.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => resolve({ name: entry.fileName, content: Buffer.concat(chunks) }));
        stream.on("error", reject);
      });
    });
    archive.once("error", reject);
    archive.readEntry();
  });
}

describe("the local GitHub server", () => {
  it("serves the event's runs and each raw evidence file as a downloadable artifact", async () => {
    const dir = path.join(root, "docs/reports/ev");
    await generateSampleEvent({ dir, root, event: "ev", runs: 24 });
    const summary = JSON.parse(await readFile(path.join(dir, "RUNS_SUMMARY.json"), "utf8")) as {
      run_id: string;
      status: string;
    }[];
    server = await startGitHubServer(await loadSampleEventState(dir));
    const client = createGitHubClient(
      parseSettings({
        GITHUB_API_URL: server.url,
        GITHUB_TOKEN: server.token,
        GITHUB_REPOSITORY: "octo/audit",
      }),
      { log: () => undefined },
    );

    const runs = await client.listRunsInWindow({ windowDays: 8, asOf: new Date("2025-11-22T00:00:00Z") });
    expect(runs.map((r) => r.runId).sort()).toEqual(summary.map((r) => r.run_id).sort());
    const failed = summary.find((r) => r.status === "failure") ?? summary[0];
    const run = runs.find((r) => r.runId === failed?.run_id);
    expect(run?.conclusion).toBe(failed?.status);

    const artifacts = await client.listArtifacts(run?.runId ?? "");
    expect(artifacts).toHaveLength(2);
    for (const artifact of artifacts) {
      const response = await fetch(await client.getArtifactDownloadUrl(artifact.id));
      const zip = Buffer.from(await response.arrayBuffer());
      expect(zip.length).toBe(artifact.sizeInBytes);
      const entry = await unzipSingle(zip);
      expect(entry.name).toBe(artifact.name);
      expect(entry.content).toEqual(
        await readFile(path.join(dir, "artifacts", run?.runId ?? "", "raw", artifact.name)),
      );
    }
  });

  it("accepts the Bearer and token schemes, refuses a missing or wrong token with 401, and records only the scheme", async () => {
    server = await startGitHubServer({ runs: [{ id: 7, createdAt: "2025-11-20T10:00:00Z" }] });
    const url = `${server.url}/repos/octo/audit/actions/runs/7`;
    const statuses = [];
    for (const authorization of [
      `Bearer ${server.token}`,
      `token ${server.token}`,
      undefined,
      "token ghs_wrong",
    ]) {
      const response = await fetch(url, { headers: authorization ? { authorization } : {} });
      statuses.push(response.status);
      await response.body?.cancel();
    }
    expect(statuses).toEqual([200, 200, 401, 401]);
    expect(server.state.requests.map((r) => r.auth)).toEqual(["bearer", "token", "none", "wrong-token"]);
    expect(JSON.stringify(server.state.requests)).not.toContain(server.token);
  });

  it("adds latencyMs to every answer", async () => {
    server = await startGitHubServer({
      latencyMs: 150,
      runs: [{ id: 7, createdAt: "2025-11-20T10:00:00Z" }],
    });
    const started = performance.now();
    const response = await fetch(`${server.url}/repos/octo/audit/actions/runs/7`, {
      headers: { authorization: `token ${server.token}` },
    });
    expect(response.status).toBe(200);
    await response.body?.cancel();
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });
});
