// Loads the local GitHub API server (test/support/github-server, TypeScript) for the demo and the
// end-to-end tests: esbuild bundles it into dist/github-server/ first, as scripts/build/cli.mjs
// does for the CLI, so plain `node` runs it without a TypeScript loader.
import { build } from "esbuild";
import path from "node:path";
import { pathToFileURL } from "node:url";

const OUT_DIR = "dist/github-server";

export async function loadGitHubServer(root = process.cwd()) {
  const outfile = path.join(root, OUT_DIR, "index.mjs");
  await build({
    absWorkingDir: root,
    entryPoints: ["test/support/github-server/index.ts"],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node22",
    // yazl and zod stay packages: the bundle resolves them from node_modules like any module.
    packages: "external",
    logLevel: "warning",
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}

/**
 * Starts the server over an event folder's runs and raw evidence files (lib/sample's layout): the
 * same runs the dashboard shows, each file under artifacts/<run_id>/raw/ one artifact.
 */
export async function startSampleGitHubServer({ eventDir, port, token, repository, root }) {
  const { loadSampleEventState, startGitHubServer } = await loadGitHubServer(root);
  const { runs, artifacts } = await loadSampleEventState(eventDir);
  const server = await startGitHubServer({ runs, artifacts, port, token, repository });
  return { server, runs: runs.length, artifacts: artifacts.length };
}
