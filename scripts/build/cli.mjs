// Bundles the CLI ahead of time (DESIGN §11): no TypeScript is compiled when a script runs.
import { build } from "esbuild";
import { rmSync } from "node:fs";

rmSync("dist/cli", { recursive: true, force: true });
await build({
  // The embedded database's owner runs PGlite in a worker thread beside the command (lib/db/embedded-server.ts).
  // Archives are extracted in worker threads beside the downloads (lib/github/extract-runner.ts).
  entryPoints: {
    main: "lib/cli/main.ts",
    "embedded-worker": "lib/db/embedded-worker.ts",
    "extract-worker": "lib/github/extract-worker.ts",
  },
  outdir: "dist/cli",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22",
  sourcemap: "linked",
  // PGlite ships WASM and data files it finds beside its own modules; pg has optional natives.
  external: ["@electric-sql/pglite", "pg", "pg-native"],
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  logLevel: "warning",
});
