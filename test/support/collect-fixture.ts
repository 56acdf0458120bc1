import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { getEventPaths, type EventPaths } from "../../lib/config/paths";
import { parseSettings, type Settings } from "../../lib/config/settings";
import type { Actor } from "../../lib/control/roles";
import type { ArtifactInput, GitHubServer, RunInput } from "./github-server";

/**
 * Runs and artifacts for collection tests: each run uploads an `app` artifact (the build output)
 * and a `provenance` artifact whose in-toto Statement names the output's digest (as the second
 * of three subjects, the way real attestations list them), or a wrong one when asked.
 */
export const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

export function statementFor(subjects: { name: string; sha256: string }[]): string {
  return `${JSON.stringify(
    {
      _type: "https://in-toto.io/Statement/v1",
      subject: subjects.map((s) => ({ name: s.name, digest: { sha256: s.sha256 } })),
      predicateType: "https://slsa.dev/provenance/v1",
      predicate: { buildDefinition: { resolvedDependencies: [{ digest: { sha256: "0".repeat(64) } }] } },
    },
    null,
    2,
  )}\n`;
}

export interface RunArtifactsOptions {
  payload?: Buffer;
  /** The provenance names another digest: parity false. */
  wrongProvenance?: boolean;
  provenanceFile?: string;
}

export function runArtifacts(runId: number | string, options: RunArtifactsOptions = {}): ArtifactInput[] {
  const payload = options.payload ?? Buffer.from(`build output of run ${runId}\n`.repeat(200));
  const digest = options.wrongProvenance
    ? sha256(Buffer.concat([payload, Buffer.from("rebuilt")]))
    : sha256(payload);
  const statement = statementFor([
    { name: "sbom.spdx.json", sha256: sha256(`sbom ${runId}`) },
    { name: "dist/app.tar.gz", sha256: digest },
    { name: "checksums.txt", sha256: sha256(`sums ${runId}`) },
  ]);
  return [
    { runId, name: "app", files: { "app.tar.gz": payload, "README.txt": "built by ci\n" } },
    { runId, name: "provenance", files: { [options.provenanceFile ?? "provenance-app.json"]: statement } },
  ];
}

export function completedRun(id: number, overrides: Partial<RunInput> = {}): RunInput {
  return {
    id,
    title: `audit ${id}`,
    workflowFile: "phase4-auto-audit.yml",
    workflowName: "phase4-auto-audit",
    event: "schedule",
    status: "completed",
    conclusion: "success",
    headSha: sha256(`head ${id}`).slice(0, 40),
    branch: "main",
    createdAt: "2025-11-20T10:00:00Z",
    runStartedAt: "2025-11-20T10:00:05Z",
    updatedAt: "2025-11-20T10:04:05Z",
    ...overrides,
  };
}

export interface CollectSetup {
  root: string;
  settings: Settings;
  paths: EventPaths;
}

export async function makeCollectRoot(
  server: GitHubServer,
  env: Record<string, string> = {},
): Promise<CollectSetup> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "auditloop-collect-test-"));
  const settings = parseSettings({
    GITHUB_API_URL: server.url,
    GITHUB_TOKEN: server.token,
    GITHUB_REPOSITORY: "octo/audit",
    RETRY_BACKOFF_SCALE: "0",
    AUDIT_EVENT: "ev",
    ...env,
  });
  return { root, settings, paths: getEventPaths(settings, root) };
}

export const OPERATOR: Actor = { id: "u-op", email: "operator@example.test", role: "operator", via: "web" };

/** Every file and folder under `dir` with its bytes' digest: equal maps mean a byte-identical tree. */
export async function treeDigest(dir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const entries = await fs
    .readdir(dir, { recursive: true, withFileTypes: true })
    .catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return [];
      throw error;
    });
  for (const entry of entries) {
    const file = path.join(entry.parentPath, entry.name);
    const key = path.relative(dir, file);
    if (entry.isDirectory()) found.set(`${key}/`, "dir");
    else found.set(key, sha256(await fs.readFile(file)));
  }
  return found;
}
