// The canary server of e2e/masking.spec.ts: its DATABASE_URL is a real connection string (with a
// canary password) to an embedded database that a child process serves on its socket, so every
// secret setting can hold a canary while the dashboard still works. Usage: canary-server.mjs PORT
// (the environment comes from playwright.config.ts). Playwright ends the whole process group.
import { spawn, spawnSync } from "node:child_process";

const port = process.argv[2] ?? "3102";
const cli = "dist/cli/main.mjs";
// The database's owner must open AUDIT_DATA_DIR itself, not connect to DATABASE_URL (that is it).
const ownerEnv = { ...process.env, DATABASE_URL: "", AUDITLOOP_ROOT: process.cwd() };
const children = [];

function stopAll(code) {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  process.exit(code);
}
process.once("SIGTERM", () => stopAll(0));
process.once("SIGINT", () => stopAll(0));

const owner = spawn(process.execPath, [cli, "db", "serve"], {
  env: ownerEnv,
  stdio: ["ignore", "pipe", "inherit"],
});
children.push(owner);
owner.once("exit", (code) => stopAll(code ?? 1));
await new Promise((resolve, reject) => {
  let output = "";
  const timer = setTimeout(() => reject(new Error(`db serve did not start: ${output}`)), 60_000);
  owner.stdout.on("data", (chunk) => {
    output += chunk.toString();
    if (output.includes("serving=true")) {
      clearTimeout(timer);
      resolve();
    }
  });
});

const sample = spawnSync(process.execPath, [cli, "sample", "--if-missing"], {
  env: process.env,
  stdio: "inherit",
});
if (sample.status !== 0) stopAll(sample.status ?? 1);

const next = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", port], {
  env: process.env,
  stdio: "inherit",
});
children.push(next);
next.once("exit", (code) => stopAll(code ?? 1));
