// Collection budgets (DESIGN §11), measured through the real command (dist/cli auto-collect) against
// the local GitHub API server (test/support/github-server) running in its own process:
// 1. bounded parallel downloads: 50 runs × 5 MiB artifacts with 50 ms added to every request, the
//    window collected at concurrency 4 and at 1 into fresh event folders; ratio ≥ 3×;
// 2. flat memory: one 1 GiB artifact collected end to end (download + digest, safe extraction with
//    each file hashed, parity, evidence written) with the collector's peak RSS (/usr/bin/time -v,
//    the kernel's high-water mark) under 150 MB.
// The database is served by its own process (`db serve`, as the dashboard does), so only the
// collector is measured. Usage: node bench/collect.mjs [--runs N] [--size-mib N] [--big-mib N]
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomFillSync } from "node:crypto";
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import yazl from "yazl";

const RATIO_BUDGET = 3;
const RSS_BUDGET_BYTES = 150e6;
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const WORK = path.join(ROOT, "bench/.work");
const CLI = path.join(ROOT, "dist/cli/main.mjs");
const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "50" },
    "size-mib": { type: "string", default: "5" },
    "big-mib": { type: "string", default: "1024" },
    "latency-ms": { type: "string", default: "50" },
  },
});
const positive = (name) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name}: expected a positive integer, got ${values[name]}`);
    process.exit(1);
  }
  return n;
};
const [runCount, sizeMib, bigMib, latencyMs] = ["runs", "size-mib", "big-mib", "latency-ms"].map(positive);
if (!existsSync(CLI)) {
  console.error(`${CLI} is missing: run 'npm ci' or 'node scripts/build/cli.mjs' first`);
  process.exit(1);
}
mkdirSync(WORK, { recursive: true });

/** Random bytes (no layer can take a shortcut), hashed as they are produced. */
function randomSource(bytes, hash) {
  const block = Buffer.allocUnsafe(4 * 1024 * 1024);
  let left = bytes;
  return Readable.from(
    (function* () {
      while (left > 0) {
        const chunk = Buffer.from(randomFillSync(block).subarray(0, Math.min(block.length, left)));
        hash.update(chunk);
        left -= chunk.length;
        yield chunk;
      }
    })(),
  );
}

/** The 1 GiB artifact zip (deflated, as upload-artifact writes it) and its payload's digest, built once. */
async function prepareBigZip() {
  const zipFile = path.join(WORK, `collect-${bigMib}MiB.zip`);
  const facts = `${zipFile}.json`;
  if (existsSync(zipFile) && existsSync(facts))
    return { zipFile, ...JSON.parse(readFileSync(facts, "utf8")) };
  const payloadHash = createHash("sha256");
  const zip = new yazl.ZipFile();
  zip.addReadStream(randomSource(bigMib * 1024 * 1024, payloadHash), "dist/app.bin", { compressionLevel: 1 });
  zip.addBuffer(Buffer.from("built by bench/collect.mjs\n"), "README.txt");
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(zipFile));
  const zipHash = createHash("sha256");
  await pipeline(createReadStream(zipFile), zipHash);
  const prepared = { payloadSha256: payloadHash.digest("hex"), zipSha256: zipHash.digest("hex") };
  writeFileSync(facts, JSON.stringify(prepared));
  return { zipFile, ...prepared };
}

// The server process: builds its runs and artifacts, prints { url, token } once listening.
const SERVER = `
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import yazl from "yazl";
import { startGitHubServer } from "./test/support/github-server";
const config = JSON.parse(process.argv[2]);
const sha256 = (b) => createHash("sha256").update(b).digest("hex");
const statement = (name, digest) => JSON.stringify({ _type: "https://in-toto.io/Statement/v1",
  subject: [{ name, digest: { sha256: digest } }], predicateType: "https://slsa.dev/provenance/v1", predicate: {} });
async function zipOf(name, bytes) {
  const zip = new yazl.ZipFile();
  zip.addBuffer(bytes, name, { compressionLevel: 1, mtime: new Date("2025-11-14T00:00:00Z") });
  zip.end();
  const chunks = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk);
  return Buffer.concat(chunks);
}
const now = Date.now();
const runs = [];
const artifacts = [];
for (let i = 0; i < config.runs; i++) {
  const id = 880000000 + i;
  const at = new Date(now - (i + 1) * 600000).toISOString().replace(/\\.\\d{3}Z$/, "Z");
  runs.push({ id, createdAt: at, runStartedAt: at, updatedAt: at, conclusion: "success" });
  let payloadSha;
  if (config.bigZip) {
    artifacts.push({ runId: id, name: "app", zip: readFileSync(config.bigZip) });
    payloadSha = config.payloadSha256;
  } else {
    const payload = randomBytes(config.sizeMib * 1024 * 1024);
    payloadSha = sha256(payload);
    artifacts.push({ runId: id, name: "app", zip: await zipOf("dist/app.bin", payload) });
  }
  artifacts.push({ runId: id, name: "provenance", files: { "provenance-app.json": statement("dist/app.bin", payloadSha) } });
}
const server = await startGitHubServer({ runs, artifacts, latencyMs: config.latencyMs });
console.log(JSON.stringify({ url: server.url, token: server.token }));
`;

async function bundle(name, contents) {
  const outfile = path.join(WORK, name);
  await build({
    stdin: { contents, resolveDir: ROOT, loader: "ts", sourcefile: name.replace(/\.mjs$/, ".ts") },
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node22",
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: "warning",
  });
  return outfile;
}

/** Starts a child and resolves with its first stdout line matching `ready`. */
function startChild(args, env, ready) {
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (data) => {
      out += data;
      const line = out.split("\n").find((l) => ready.test(l));
      if (line) resolve({ child, line });
    });
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited ${code}: ${out}`)));
  });
}

const stop = async (child) => {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
};

const root = path.join(WORK, "collect-root");
rmSync(root, { recursive: true, force: true });
mkdirSync(root, { recursive: true });
const baseEnv = {
  PATH: process.env.PATH ?? "",
  HOME: root,
  AUDITLOOP_ROOT: root,
  RETRY_BACKOFF_SCALE: "0",
  GITHUB_REPOSITORY: "octo/audit",
};
const serverEntry = await bundle("collect-github-server.mjs", SERVER);
const db = await startChild([CLI, "db", "serve"], baseEnv, /serving=true/);

/** One auto-collect process; with `time`, under /usr/bin/time -v for its peak RSS. */
function collect(server, args, { time = false } = {}) {
  const env = { ...baseEnv, GITHUB_API_URL: server.url, GITHUB_TOKEN: server.token };
  const argv = [CLI, "auto-collect", ...args, "--json"];
  const started = performance.now();
  const run = time
    ? spawnSync("/usr/bin/time", ["-v", process.execPath, ...argv], {
        env,
        encoding: "utf8",
        maxBuffer: 64e6,
      })
    : spawnSync(process.execPath, argv, { env, encoding: "utf8", maxBuffer: 64e6 });
  const wallMs = performance.now() - started;
  const result = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}");
  if (run.status !== 0)
    throw new Error(`auto-collect ${args.join(" ")} exited ${run.status}: ${run.stderr.slice(-2000)}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr)?.[1];
  return { result, wallMs, maxRssBytes: rss === undefined ? null : Number(rss) * 1024 };
}

let failed = false;
try {
  const windowServer = await startChild(
    [serverEntry, JSON.stringify({ runs: runCount, sizeMib, latencyMs })],
    baseEnv,
    /^\{"url"/,
  );
  const server = JSON.parse(windowServer.line);
  try {
    const timings = {};
    for (const concurrency of [4, 1]) {
      const { result, wallMs } = collect(server, [
        "--window-days",
        "2",
        "--concurrency",
        String(concurrency),
        "--event",
        `bench-c${concurrency}`,
      ]);
      if (result.collected !== runCount)
        throw new Error(`concurrency ${concurrency}: collected ${result.collected} of ${runCount} runs`);
      timings[concurrency] = { collectMs: result.elapsedMs, wallMs };
    }
    const ratio = timings[1].collectMs / timings[4].collectMs;
    const pass = ratio >= RATIO_BUDGET;
    failed ||= !pass;
    const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
    console.log(
      `collect window ${runCount} runs × ${sizeMib} MiB, ${latencyMs} ms per request: concurrency 4 ${s(timings[4].collectMs)} ` +
        `(process ${s(timings[4].wallMs)}), concurrency 1 ${s(timings[1].collectMs)} (process ${s(timings[1].wallMs)}), ` +
        `ratio ${ratio.toFixed(2)}× (budget ≥ ${RATIO_BUDGET}×) ${pass ? "PASS" : "FAIL"}`,
    );
  } finally {
    await stop(windowServer.child);
  }

  const big = await prepareBigZip();
  const bigServer = await startChild(
    [
      serverEntry,
      JSON.stringify({ runs: 1, bigZip: big.zipFile, payloadSha256: big.payloadSha256, latencyMs: 0 }),
    ],
    baseEnv,
    /^\{"url"/,
  );
  try {
    const runId = "880000000";
    const { result, wallMs, maxRssBytes } = collect(
      JSON.parse(bigServer.line),
      [runId, "--event", "bench-big"],
      { time: true },
    );
    const app = result.artifacts?.find((a) => a.name === "app");
    const agree =
      result.parity?.shaParity === true &&
      result.parity?.computedSha === big.payloadSha256 &&
      app?.zipDigest === big.zipSha256;
    const pass = agree && maxRssBytes !== null && maxRssBytes < RSS_BUDGET_BYTES;
    failed ||= !pass;
    const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
    console.log(
      `collect one ${bigMib} MiB artifact: ${(wallMs / 1000).toFixed(1)} s, peak RSS ${maxRssBytes === null ? "unknown" : mb(maxRssBytes)} ` +
        `(budget < ${mb(RSS_BUDGET_BYTES)}, ratio ${maxRssBytes === null ? "?" : (maxRssBytes / RSS_BUDGET_BYTES).toFixed(2)}) ${pass ? "PASS" : "FAIL"}`,
    );
    console.log(
      `digests ${agree ? "agree" : "DIFFER"}: zip ${app?.zipDigest}, dist/app.bin ${result.parity?.computedSha} (sha_parity=${result.parity?.shaParity})`,
    );
  } finally {
    await stop(bigServer.child);
  }
} finally {
  await stop(db.child);
  rmSync(root, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
