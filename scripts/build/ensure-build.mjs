// Builds the production dashboard only when its sources changed since the last build, so
// `npm start` and the end-to-end tests always run a current build without rebuilding each time.
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const INPUTS = [
  "app",
  "components",
  "lib",
  "public",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
];
const STAMP = path.join(".next", "auditloop-source-hash");

function* files(entry) {
  if (!existsSync(entry)) return;
  if (statSync(entry).isDirectory()) {
    for (const name of readdirSync(entry).sort()) {
      if (!name.endsWith(".test.ts")) yield* files(path.join(entry, name));
    }
  } else yield entry;
}

const hash = createHash("sha256");
for (const input of INPUTS) {
  for (const file of files(input)) hash.update(file).update("\0").update(readFileSync(file)).update("\0");
}
const digest = hash.digest("hex");

if (
  existsSync(path.join(".next", "BUILD_ID")) &&
  existsSync(STAMP) &&
  readFileSync(STAMP, "utf8") === digest
) {
  console.error("dashboard build is current");
} else {
  console.error("building the dashboard (next build)…");
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  const result = spawnSync("next", ["build"], { stdio: "inherit", shell: false, env });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(STAMP, digest);
}
