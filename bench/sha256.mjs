// SHA-256 budget (DESIGN §11): the real CLI (process start included) hashes and compares a 1 GiB
// file at least 0.9x as fast as `sha256sum` on the same warm file, best of 3 each.
// Usage: node bench/sha256.mjs [--size-mib N]   (after `node scripts/build/cli.mjs`)
import { spawnSync } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const BUDGET = 0.9;
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const WORK = path.join(ROOT, "bench/.work");
const { values } = parseArgs({ options: { "size-mib": { type: "string", default: "1024" } } });
const sizeMib = Number(values["size-mib"]);
if (!Number.isInteger(sizeMib) || sizeMib < 1) {
  console.error(`--size-mib: expected a positive integer, got ${values["size-mib"]}`);
  process.exit(1);
}
if (!existsSync(path.join(ROOT, "dist/cli/main.mjs"))) {
  console.error("dist/cli/main.mjs is missing: run `node scripts/build/cli.mjs` first");
  process.exit(1);
}

const label = sizeMib % 1024 === 0 ? `${sizeMib / 1024}GiB` : `${sizeMib}MiB`;
const file = path.join(WORK, `sha256-${sizeMib}MiB.bin`);
const bytes = sizeMib * 1024 * 1024;
mkdirSync(WORK, { recursive: true });
if (!existsSync(file) || statSync(file).size !== bytes) {
  // Random bytes so no layer can take a shortcut on repeated content.
  const block = Buffer.allocUnsafe(Math.min(bytes, 16 * 1024 * 1024));
  const fd = openSync(file, "w");
  for (let written = 0; written < bytes; written += block.length) {
    randomFillSync(block);
    writeSync(fd, block, 0, Math.min(block.length, bytes - written));
  }
  closeSync(fd);
}

function run(command, args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 20 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    console.error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
    process.exit(1);
  }
  return { seconds, stdout: result.stdout };
}
function best(command, args) {
  const runs = [run(command, args), run(command, args), run(command, args)];
  return runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}

spawnSync("bash", ["-c", 'cat "$1" > /dev/null', "-", file]); // warm the page cache once
const reference = best("sha256sum", [file]);
const digest = reference.stdout.split(/\s/)[0];
const provenance = path.join(WORK, `sha256-${sizeMib}MiB.intoto.json`);
const statement = {
  _type: "https://in-toto.io/Statement/v1",
  subject: [{ name: path.basename(file), digest: { sha256: digest } }],
  predicateType: "https://slsa.dev/provenance/v1",
  predicate: {},
};
writeFileSync(provenance, JSON.stringify(statement));

const ours = best("bash", [path.join(ROOT, "scripts/phase4-sha-compare.sh"), file, provenance]);
const fields = Object.fromEntries(
  ours.stdout
    .trim()
    .split(" ")
    .map((kv) => kv.split("=")),
);
const agree = fields.computed_sha === digest && fields.sha_parity === "true";
const mibps = (s) => `${Math.round(sizeMib / s)} MiB/s`;
const ratio = reference.seconds / ours.seconds;
const pass = agree && ratio >= BUDGET;
console.log(
  `sha256 ${label}: sha256sum ${reference.seconds.toFixed(2)} s (${mibps(reference.seconds)}), ` +
    `auditloop ${ours.seconds.toFixed(2)} s (${mibps(ours.seconds)}), ratio ${ratio.toFixed(2)}x ` +
    `(budget >= ${BUDGET.toFixed(2)}x) ${pass ? "PASS" : "FAIL"}`,
);
console.log(`digests ${agree ? "agree" : "DIFFER"}: sha256sum ${digest}, auditloop ${fields.computed_sha}`);
process.exit(pass ? 0 : 1);
