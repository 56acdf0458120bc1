// Serves an event folder's runs and artifacts as a local GitHub REST API on 127.0.0.1 until
// SIGTERM/SIGINT (the end-to-end tests' GitHub; `npm run demo` starts its own in-process).
// Usage: node scripts/github-server/serve.mjs --event-dir DIR --port N --repository OWNER/NAME
// The token clients must send comes from GITHUB_TOKEN in the environment, never from argv.
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { startSampleGitHubServer } from "./load.mjs";

const { values } = parseArgs({
  options: {
    "event-dir": { type: "string" },
    port: { type: "string", default: "0" },
    repository: { type: "string", default: "acme/app" },
  },
});

function fail(message) {
  console.error(`github-server: ${message}`);
  process.exit(1);
}

const eventDir = values["event-dir"];
if (!eventDir) fail("--event-dir is required: the event folder whose runs and artifacts to serve");
if (!existsSync(path.join(eventDir, "RUNS_SUMMARY.json"))) {
  fail(`${eventDir}/RUNS_SUMMARY.json is missing: generate the event first (dist/cli/main.mjs sample)`);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port: expected 0..65535, got '${values.port}'`);
const token = process.env.GITHUB_TOKEN;
if (!token) fail("GITHUB_TOKEN is not set: the token clients must send");

const { server, runs, artifacts } = await startSampleGitHubServer({
  eventDir,
  port,
  token,
  repository: values.repository,
});
console.log(
  `github-server: ${server.url} serves ${values.repository} (${runs} runs, ${artifacts} artifacts)`,
);

const stop = () => void server.close().finally(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
