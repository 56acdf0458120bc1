// Manifest budgets (DESIGN §11): 100 concurrent writer processes lose nothing; 1,000 sequential
// updates under 10 s (in process, through updateManifestEntry, lock + fsync + backup included,
// the manifest growing to 1,000 entries). Also prints the time of one CLI call (20 calls) and the
// ratio of the atomic update against a naive read-modify-write baseline measured beside it.
// Usage: node bench/manifest.mjs   (after `node scripts/build/cli.mjs`)
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const SEQUENTIAL_BUDGET_MS = 10_000;
const WRITERS = 100;
const UPDATES = 1_000;
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const WORK = path.join(ROOT, "bench/.work");
const CLI = path.join(ROOT, "dist/cli/main.mjs");
if (!existsSync(CLI)) {
  console.error("dist/cli/main.mjs is missing: run `node scripts/build/cli.mjs` first");
  process.exit(1);
}
const tmp = mkdtempSync(path.join(os.tmpdir(), "bench-manifest-"));
const entryArgs = (manifest, runId) => [
  CLI,
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
];

function writer(manifest, runId) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, entryArgs(manifest, runId), {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

// 1. Concurrent writer processes.
const concurrent = path.join(tmp, "concurrent/_manifest.json");
let started = performance.now();
const exits = await Promise.all(Array.from({ length: WRITERS }, (_, i) => writer(concurrent, `run-${i}`)));
const concurrentMs = performance.now() - started;
const failedWriters = exits.filter((e) => e.code !== 0);
const recorded = new Set(JSON.parse(readFileSync(concurrent, "utf8")).entries.map((e) => e.run_id));
const check = spawnSync(process.execPath, [CLI, "manifest-atomic", "--check", "--manifest", concurrent]);
const concurrentPass = failedWriters.length === 0 && recorded.size === WRITERS && check.status === 0;
for (const f of failedWriters.slice(0, 3)) console.error(f.stderr.trim());

// 2. One CLI call at a time.
const single = path.join(tmp, "single/_manifest.json");
const cliTimes = [];
for (let i = 0; i < 20; i++) {
  started = performance.now();
  const result = spawnSync(process.execPath, entryArgs(single, `cli-${i}`));
  cliTimes.push(performance.now() - started);
  if (result.status !== 0) throw new Error(`CLI call ${i} failed: ${result.stderr}`);
}
cliTimes.sort((a, b) => a - b);

// 3. Sequential updates in one process: the library bundled beside the bench.
mkdirSync(WORK, { recursive: true });
const runner = path.join(WORK, "manifest-sequential.mjs");
await build({
  stdin: {
    resolveDir: ROOT,
    sourcefile: "manifest-sequential.ts",
    loader: "ts",
    contents: `
      import { promises as fs } from "node:fs";
      import { updateManifestEntry } from "./lib/evidence/manifest";
      const [dir, count] = [process.argv[2], Number(process.argv[3])];
      const entry = (i) => ({ run_id: "run-" + String(i).padStart(5, "0"), artifact_path: "artifacts/" + i + "/raw/app.zip",
        evidence_type: "artifact", recorded_at_utc: "2025-11-14T09:30:00Z", sha_parity: true, notes: "bench" });
      let t = performance.now();
      const cpu = process.cpuUsage();
      for (let i = 0; i < count; i++) await updateManifestEntry(dir + "/atomic/_manifest.json", entry(i));
      const atomicMs = performance.now() - t;
      const { user, system } = process.cpuUsage(cpu);
      // Baseline: the same growth with a naive read-modify-write (no lock, no fsync, no backup).
      const naive = dir + "/naive.json";
      await fs.writeFile(naive, JSON.stringify({ generated_at_utc: "", entries: [] }));
      t = performance.now();
      for (let i = 0; i < count; i++) {
        const m = JSON.parse(await fs.readFile(naive, "utf8"));
        m.entries.push(entry(i));
        await fs.writeFile(naive, JSON.stringify(m, null, 2) + "\\n");
      }
      console.log(JSON.stringify({ atomicMs, atomicCpuMs: (user + system) / 1000, naiveMs: performance.now() - t }));`,
  },
  outfile: runner,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node22",
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  logLevel: "warning",
});
const sequential = spawnSync(process.execPath, [runner, tmp, String(UPDATES)], { encoding: "utf8" });
if (sequential.status !== 0) throw new Error(`sequential updates failed: ${sequential.stderr}`);
const { atomicMs, atomicCpuMs, naiveMs } = JSON.parse(sequential.stdout);
const sequentialCount = JSON.parse(readFileSync(path.join(tmp, "atomic/_manifest.json"), "utf8")).entries
  .length;
const sequentialPass = atomicMs < SEQUENTIAL_BUDGET_MS && sequentialCount === UPDATES;
rmSync(tmp, { recursive: true, force: true });

const verdict = (pass) => (pass ? "PASS" : "FAIL");
console.log(
  `manifest concurrent: ${WRITERS} writer processes → ${recorded.size} entries, ${failedWriters.length} failed, ` +
    `check ${check.status === 0 ? "ok" : "failed"}, wall ${(concurrentMs / 1000).toFixed(1)} s (budget: lose nothing) ${verdict(concurrentPass)}`,
);
console.log(
  `manifest sequential: ${UPDATES} updates in ${(atomicMs / 1000).toFixed(2)} s, ${(atomicMs / UPDATES).toFixed(1)} ms each ` +
    `(budget < ${SEQUENTIAL_BUDGET_MS / 1000} s) ${verdict(sequentialPass)}; CPU ${(atomicCpuMs / 1000).toFixed(2)} s; ` +
    `${(atomicMs / naiveMs).toFixed(1)}x a naive read-modify-write (${(naiveMs / 1000).toFixed(2)} s)`,
);
console.log(
  `manifest CLI call: median ${Math.round(cliTimes[9] ?? 0)} ms, max ${Math.round(cliTimes[19] ?? 0)} ms over 20 calls (process start included)`,
);
process.exit(concurrentPass && sequentialPass ? 0 : 1);
