import { spawn } from "node:child_process";
import path from "node:path";
import { inject } from "vitest";

/**
 * Holds a data root's embedded database open in its own process (`db serve`), as the dashboard
 * does in production, so CLI processes under test connect to it over its socket.
 */
export async function startDbServer(root: string): Promise<{ stop: () => Promise<void> }> {
  const cli = path.join(inject("cliRoot"), "dist/cli/main.mjs");
  const child = spawn(process.execPath, [cli, "db", "serve"], {
    env: { ...process.env, AUDITLOOP_ROOT: root },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`db serve did not start: ${output}`)), 60_000);
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
      if (output.includes("serving=true")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.once("exit", (code) => reject(new Error(`db serve exited ${code}: ${output}`)));
  });
  return {
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
