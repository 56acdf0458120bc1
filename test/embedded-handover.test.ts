import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

/**
 * Without the dashboard, CLI processes started together share the embedded database: the first
 * opens and serves it, the others connect, and when an owner finishes first the others carry on
 * (it serves until they are done; a lost connection reopens), so no write or audit entry is lost.
 */
let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "auditloop-handover-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(inject("cliRoot"), "dist/cli/main.mjs"), ...args], {
    env: { ...process.env, AUDITLOOP_ROOT: root },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

describe("embedded database without a dashboard", () => {
  it("lets 12 CLI processes started at once share it, every write and audit entry kept", async () => {
    const manifest = path.join(root, "_manifest.json");
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        cli([
          "manifest-atomic",
          "--run-id",
          `h-${i}`,
          "--artifact-path",
          `artifacts/h-${i}/raw/a.zip`,
          "--evidence-type",
          "artifact",
          "--recorded-at",
          "2025-11-14T09:30:00Z",
          "--manifest",
          manifest,
        ]),
      ),
    );
    for (const r of results) expect(r.stderr).toBe("");
    expect(results.map((r) => r.code)).toEqual(Array(12).fill(0));
    const entries = (JSON.parse(await readFile(manifest, "utf8")) as { entries: unknown[] }).entries;
    expect(entries).toHaveLength(12);
    const verify = await cli(["audit-verify", "--json"]);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, rows: 12 });
  }, 120_000);
});
