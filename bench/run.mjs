// Runs every benchmark in bench/ in one go; each prints its figures as ratios or against its budget.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";

const only = process.argv.slice(2);
const benches = readdirSync("bench")
  .filter((n) => n.endsWith(".mjs") && n !== "run.mjs")
  .filter((n) => only.length === 0 || only.some((o) => n.includes(o)))
  .sort();
let failed = 0;
for (const name of benches) {
  console.log(`\n== bench/${name}`);
  const result = spawnSync(process.execPath, [`bench/${name}`], { stdio: "inherit" });
  if (result.status !== 0) failed += 1;
}
console.log(`\n${benches.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
