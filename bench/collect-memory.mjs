// Collection memory budget (DESIGN §11): downloading a 1 GiB artifact zip from a local storage
// server (digest checked in the same pass) and extracting it safely (each file hashed while written)
// keeps the collector's peak RSS under 150 MB. The server runs in its own process so only the
// collector is measured; the peak is the kernel's high-water mark (getrusage maxrss).
// Usage: node bench/collect-memory.mjs [--size-mib N]
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

const BUDGET_BYTES = 150e6;
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const WORK = path.join(ROOT, "bench/.work");
const { values } = parseArgs({ options: { "size-mib": { type: "string", default: "1024" } } });
const sizeMib = Number(values["size-mib"]);
if (!Number.isInteger(sizeMib) || sizeMib < 1) {
  console.error(`--size-mib: expected a positive integer, got ${values["size-mib"]}`);
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

async function sha256Of(file) {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}

/** The artifact zip (deflated, as upload-artifact writes it) and its digests, built once per size. */
async function prepareArtifact() {
  const zipFile = path.join(WORK, `collect-${sizeMib}MiB.zip`);
  const facts = `${zipFile}.json`;
  if (existsSync(zipFile) && existsSync(facts))
    return { zipFile, ...JSON.parse(readFileSync(facts, "utf8")) };
  const payloadHash = createHash("sha256");
  const zip = new yazl.ZipFile();
  zip.addReadStream(randomSource(sizeMib * 1024 * 1024, payloadHash), "dist/app.bin", {
    compressionLevel: 1,
  });
  zip.addBuffer(Buffer.from("built by bench/collect-memory.mjs\n"), "README.txt");
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(zipFile));
  const prepared = { payloadSha256: payloadHash.digest("hex"), zipSha256: await sha256Of(zipFile) };
  writeFileSync(facts, JSON.stringify(prepared));
  return { zipFile, ...prepared };
}

const SERVER = `
const http = require("node:http"), fs = require("node:fs");
const file = process.argv[1], size = fs.statSync(file).size;
const server = http.createServer((req, res) => {
  if (req.headers.authorization) return res.writeHead(400).end();
  res.writeHead(200, { "content-type": "application/zip", "content-length": size });
  fs.createReadStream(file).pipe(res);
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

const COLLECTOR = `
import { downloadArtifact } from "./lib/github/download";
import { extractZipSafely } from "./lib/github/extract";
const [url, dir, digest] = process.argv.slice(2);
const started = performance.now();
const downloaded = await downloadArtifact({ url, destFile: dir + "/artifact.zip", expectedDigest: digest, settings: { RETRY_BACKOFF_SCALE: 0 } });
const middle = performance.now();
const extracted = await extractZipSafely({ zipFile: downloaded.file, targetDir: dir + "/raw", maxTotalBytes: 2 ** 40, maxEntries: 100 });
const ended = performance.now();
console.log(JSON.stringify({
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  downloadSeconds: (middle - started) / 1000,
  extractSeconds: (ended - middle) / 1000,
  zipSha256: downloaded.sha256,
  files: extracted.files,
}));
`;

const artifact = await prepareArtifact();
const entry = path.join(WORK, "collect-memory-entry.mjs");
await build({
  stdin: { contents: COLLECTOR, resolveDir: ROOT, loader: "ts", sourcefile: "collect-memory-entry.ts" },
  outfile: entry,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node22",
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  logLevel: "warning",
});

const server = spawn(process.execPath, ["-e", SERVER, artifact.zipFile], {
  stdio: ["ignore", "pipe", "inherit"],
});
const port = await new Promise((resolve, reject) => {
  server.stdout.once("data", (data) => resolve(Number(String(data).trim())));
  server.once("exit", (code) => reject(new Error(`the storage server exited ${code}`)));
});
const outDir = path.join(WORK, "collect-memory-out");
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir);
const url = `http://127.0.0.1:${port}/blob/artifact.zip?sig=bench&se=2030-01-01`;
const run = spawnSync(process.execPath, [entry, url, outDir, `sha256:${artifact.zipSha256}`], {
  encoding: "utf8",
});
server.kill();
rmSync(outDir, { recursive: true, force: true });
if (run.status !== 0) {
  console.error(`the collector exited ${run.status}: ${run.stderr}`);
  process.exit(1);
}
const result = JSON.parse(run.stdout);
const app = result.files.find((f) => f.path === "dist/app.bin");
const digestsAgree = result.zipSha256 === artifact.zipSha256 && app?.sha256 === artifact.payloadSha256;
const pass = digestsAgree && result.maxRssBytes < BUDGET_BYTES;
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
console.log(
  `collect ${sizeMib} MiB: download ${result.downloadSeconds.toFixed(1)} s, extract ${result.extractSeconds.toFixed(1)} s, ` +
    `peak RSS ${mb(result.maxRssBytes)} (budget < ${mb(BUDGET_BYTES)}, ratio ${(result.maxRssBytes / BUDGET_BYTES).toFixed(2)}) ` +
    `${pass ? "PASS" : "FAIL"}`,
);
console.log(
  `digests ${digestsAgree ? "agree" : "DIFFER"}: zip ${result.zipSha256}, dist/app.bin ${app?.sha256}`,
);
process.exit(pass ? 0 : 1);
