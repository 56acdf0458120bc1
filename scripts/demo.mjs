// `npm run demo`: the dashboard wired to a local GitHub API server that serves the sample event,
// so collection works end to end on a machine without GitHub access (DESIGN §10). Builds the
// dashboard when its sources changed, generates the sample event when missing, starts both and
// stops both on Ctrl-C. The token is made up here, handed to the dashboard and never printed.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { startSampleGitHubServer } from "./github-server/load.mjs";

const root = process.cwd();
const event = process.env.AUDIT_EVENT || "2025-11-14";
const reportsRoot = process.env.AUDIT_REPORTS_ROOT || "docs/reports";
const port = process.env.PORT || "3000";
const githubPort = Number(process.env.DEMO_GITHUB_PORT || "0");
const repository = "acme/app";

function runStep(what, args) {
  const result = spawnSync(process.execPath, args, { stdio: "inherit", env: process.env });
  if (result.status !== 0) {
    console.error(`demo: ${what} failed (exit ${result.status ?? result.signal}); nothing was started`);
    process.exit(result.status ?? 1);
  }
}

if (!existsSync("dist/cli/main.mjs")) runStep("bundling the CLI", ["scripts/build/cli.mjs"]);
runStep("building the dashboard", ["scripts/build/ensure-build.mjs"]);
runStep("generating the sample event", ["dist/cli/main.mjs", "sample", "--if-missing"]);

const token = `ghs_demo${randomBytes(16).toString("hex")}`;
const eventDir = path.resolve(root, reportsRoot, event);
const { server, runs, artifacts } = await startSampleGitHubServer({
  eventDir,
  port: githubPort,
  token,
  repository,
});

const dashboard = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", port], {
  stdio: "inherit",
  env: {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    GITHUB_API_URL: server.url,
    GITHUB_TOKEN: token,
    GITHUB_REPOSITORY: repository,
  },
});

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  if (dashboard.exitCode === null && dashboard.signalCode === null) {
    const exited = new Promise((resolve) => dashboard.once("exit", resolve));
    dashboard.kill("SIGTERM");
    await exited;
  }
  await server.close();
  console.log("demo: stopped the dashboard and the local GitHub server");
  process.exit(code);
}
process.once("SIGINT", () => void stop(0));
process.once("SIGTERM", () => void stop(0));
dashboard.once("exit", (code, signal) => {
  // Ctrl-C in a terminal reaches the whole process group: the dashboard may stop first.
  const asked = signal === "SIGINT" || signal === "SIGTERM";
  if (!stopping && !asked) console.error(`demo: the dashboard exited (${code ?? signal}); stopping`);
  void stop(code ?? (asked ? 0 : 1));
});

console.log(
  [
    "",
    `demo: local GitHub API  ${server.url}  (${repository}: ${runs} runs, ${artifacts} artifacts from ${path.relative(root, eventDir)})`,
    `demo: dashboard         http://localhost:${port}  (Collect: /collect, as an operator)`,
    "demo: add an operator with scripts/phase4-users.sh add --email you@example.test --role operator",
    "demo: Ctrl-C stops both",
    "",
  ].join("\n"),
);
