// CLI start-up budget (DESIGN §11): `--help` answers in under 300 ms, process start included.
// Median of 10 runs after one warm-up. Usage: node bench/cli-help.mjs (after `node scripts/build/cli.mjs`)
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BUDGET_MS = 300;
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const script = path.join(ROOT, "scripts/phase4-sha-compare.sh");

function timeHelp() {
  const started = process.hrtime.bigint();
  const result = spawnSync("bash", [script, "--help"], { encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 || !result.stdout.startsWith("Usage:")) {
    console.error(`${script} --help exited ${result.status}: ${result.stderr}`);
    process.exit(1);
  }
  return ms;
}

timeHelp();
const times = Array.from({ length: 10 }, timeHelp).sort((a, b) => a - b);
const median = ((times[4] ?? 0) + (times[5] ?? 0)) / 2;
const pass = median < BUDGET_MS;
console.log(
  `cli --help: median ${Math.round(median)} ms (budget < ${BUDGET_MS} ms) ${pass ? "PASS" : "FAIL"}`,
);
process.exit(pass ? 0 : 1);
