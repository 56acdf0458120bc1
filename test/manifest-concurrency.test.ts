import { spawn, spawnSync } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseJsonStrict } from "../lib/evidence/json-strict";
import { manifestSchema } from "../lib/evidence/manifest-entry";
import { startDbServer } from "./support/db-server";

/**
 * Process-level guarantees of DESIGN §3: concurrent writers never lose an entry, and a writer
 * killed at any moment leaves a manifest that parses and still holds every acknowledged entry.
 */
let work: string;
let cli: string;

let dbServer: { stop: () => Promise<void> };

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), "manifest-procs-"));
  cli = path.join(inject("cliRoot"), "dist/cli/main.mjs");
  // The writers check the kill switch and write the audit log in the data root's database.
  dbServer = await startDbServer(work);
});
afterAll(async () => {
  await dbServer?.stop();
  await fs.rm(work, { recursive: true, force: true });
});

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  ms: number;
}

function startWriter(manifest: string, runId: string, killAfterMs?: number): Promise<Exit> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      cli,
      "manifest-atomic",
      "--run-id",
      runId,
      "--artifact-path",
      `artifacts/${runId}/raw/app.zip`,
      "--evidence-type",
      "artifact",
      "--recorded-at",
      "2025-11-14T09:30:00Z",
      "--manifest",
      manifest,
    ],
    { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, AUDITLOOP_ROOT: work } },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, ms: performance.now() - started });
    });
  });
}

function runCli(args: string[]) {
  return spawnSync(process.execPath, [cli, "manifest-atomic", ...args], { encoding: "utf8" });
}

async function readRunIds(manifest: string): Promise<Set<string>> {
  const text = await fs.readFile(manifest, "utf8");
  const parsed = manifestSchema.parse(parseJsonStrict(text, manifest));
  return new Set(parsed.entries.map((e) => e.run_id));
}

describe("manifest writers as processes", () => {
  it("50 concurrent writers with distinct run ids lose nothing", async () => {
    const manifest = path.join(work, "concurrent/_manifest.json");
    const ids = Array.from({ length: 50 }, (_, i) => `run-${String(i).padStart(3, "0")}`);
    const exits = await Promise.all(ids.map((id) => startWriter(manifest, id)));
    expect(exits.filter((e) => e.code !== 0).map((e) => e.stderr)).toEqual([]);
    expect([...(await readRunIds(manifest))].sort()).toEqual(ids);
    const check = runCli(["--check", "--manifest", manifest]);
    expect(check.stdout).toMatch(/check=ok entries=50/);
    expect(check.status).toBe(0);
  }, 60_000);

  it("a writer killed at any moment never corrupts the manifest nor loses an acknowledged entry", async () => {
    const lanes = 4;
    const trialsPerLane = 50;
    const manifests = Array.from({ length: lanes }, (_, lane) =>
      path.join(work, `crash-${lane}/_manifest.json`),
    );
    const acknowledged = manifests.map(() => new Set<string>());
    const stats = { trials: 0, exitedOk: 0, killed: 0, killedHoldingLock: 0, tempFilesLeft: 0 };
    const started = performance.now();

    // A writer's life measured under the load the trials run in: one writer per lane at a time.
    const calibration: number[] = [];
    for (const round of [0, 1]) {
      const exits = await Promise.all(
        manifests.map((manifest, lane) => startWriter(manifest, `lane${lane}-seed${round}`)),
      );
      exits.forEach((exit, lane) => {
        expect(exit.code, exit.stderr).toBe(0);
        acknowledged[lane]?.add(`lane${lane}-seed${round}`);
        calibration.push(exit.ms);
      });
    }
    const life = calibration.sort((a, b) => a - b)[Math.floor(calibration.length / 2)] ?? 200;

    async function expectAcknowledgedPresent(lane: number) {
      const manifest = manifests[lane] as string;
      const present = await readRunIds(manifest);
      expect([...(acknowledged[lane] ?? [])].filter((id) => !present.has(id))).toEqual([]);
    }

    await Promise.all(
      manifests.map(async (manifest, lane) => {
        const done = acknowledged[lane] as Set<string>;
        for (let trial = 0; trial < trialsPerLane; trial++) {
          const runId = `lane${lane}-trial${String(trial).padStart(3, "0")}`;
          // Spread kills over the whole life (start-up, lock wait, write, rename, exit) and past it.
          const exit = await startWriter(manifest, runId, Math.random() * life * 1.5);
          stats.trials++;
          if (exit.code === 0) {
            done.add(runId);
            stats.exitedOk++;
          } else {
            expect(exit.signal, exit.stderr).toBe("SIGKILL");
            stats.killed++;
          }
          await expectAcknowledgedPresent(lane);
          if (exit.code !== 0 && existsSync(`${manifest}.lock`)) {
            // Killed holding the lock: the next writer must take the stale lock over.
            stats.killedHoldingLock++;
            const recovery = await startWriter(manifest, `${runId}-recovery`);
            expect(recovery.code, recovery.stderr).toBe(0);
            done.add(`${runId}-recovery`);
            await expectAcknowledgedPresent(lane);
          }
        }
        expect(runCli(["--check", "--manifest", manifest]).status).toBe(0);
        const names = await fs.readdir(path.dirname(manifest));
        stats.tempFilesLeft += names.filter((n) => n.endsWith(".tmp")).length;
      }),
    );

    expect(stats.trials).toBe(lanes * trialsPerLane);
    expect(stats.killed).toBeGreaterThan(0);
    expect(stats.exitedOk).toBeGreaterThan(0);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.info(
      `crash trials: ${JSON.stringify(stats)} writer_life_ms=${life.toFixed(0)} wall_s=${seconds}`,
    );
  }, 120_000);

  it("--rollback through the CLI restores the previous version", async () => {
    const manifest = path.join(work, "rollback/_manifest.json");
    expect((await startWriter(manifest, "first")).code).toBe(0);
    const before = await fs.readFile(manifest);
    expect((await startWriter(manifest, "second")).code).toBe(0);
    const rollback = runCli(["--rollback", "--manifest", manifest]);
    expect(rollback.status, rollback.stderr).toBe(0);
    expect(rollback.stdout).toMatch(/action=rolled_back .* entries=1 backups_left=0/);
    expect(await fs.readFile(manifest)).toEqual(before);
  });
});
