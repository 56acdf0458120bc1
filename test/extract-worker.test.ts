import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, inject, it } from "vitest";
import { createExtractPool } from "../lib/cli/extract-launcher";
import { extractZipSafely, type ExtractOptions } from "../lib/github/extract";
import { UnsafeArchiveError } from "../lib/github/zip-safety";
import { writeZip, type CraftEntry } from "./support/zip-craft";

/**
 * The bundled CLI extracts in worker threads (dist/cli/extract-worker.mjs, built by the global
 * setup): the same results, refusals and stops as an extraction in the caller's thread.
 */
const pool = createExtractPool(path.join(inject("cliRoot"), "dist/cli/extract-worker.mjs"));
let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "extract-worker-"));
});
afterAll(async () => {
  await pool.close();
  await rm(root, { recursive: true, force: true });
});

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");
const options = async (entries: CraftEntry[], target = "out"): Promise<ExtractOptions> => ({
  zipFile: await writeZip(path.join(root, `${target}.zip`), entries),
  targetDir: path.join(root, target),
  maxTotalBytes: 64 * 1024 * 1024,
  maxEntries: 100,
});

describe("extraction in a worker thread", () => {
  it("gives what the in-thread extraction gives, files written", async () => {
    const big = randomBytes(3 * 1024 * 1024);
    const entries: CraftEntry[] = [
      { name: "dist/app.bin", data: big, method: "deflated" },
      { name: "provenance-app.json", data: "{}" },
    ];
    const viaWorker = await pool(await options(entries, "worker"));
    const inThread = await extractZipSafely(await options(entries, "thread"));
    expect(viaWorker.files).toEqual(inThread.files);
    expect(viaWorker.files[0]).toEqual({ path: "dist/app.bin", size: big.length, sha256: sha256(big) });
    expect((await readFile(path.join(root, "worker/dist/app.bin"))).equals(big)).toBe(true);
  });

  it("refuses an unsafe archive with the same error class, rule and message, and leaves nothing", async () => {
    const entries: CraftEntry[] = [
      { name: "ok.txt", data: "ok" },
      { name: "../x", data: "evil" },
    ];
    const worker = await pool(await options(entries, "worker")).catch((error: unknown) => error);
    const thread = await extractZipSafely(await options(entries, "thread")).catch((error: unknown) => error);
    expect(worker).toBeInstanceOf(UnsafeArchiveError);
    expect((worker as UnsafeArchiveError).rule).toBe("parent-segment");
    expect((worker as Error).message).toBe((thread as Error).message.replace("/thread.zip", "/worker.zip"));
    expect((await readdir(root)).sort()).toEqual(["thread.zip", "worker.zip"]);
  });

  it("stops on the caller's signal with the caller's reason, and leaves nothing", async () => {
    const entries: CraftEntry[] = Array.from({ length: 40 }, (_, i) => ({
      name: `part-${i}.bin`,
      data: randomBytes(256 * 1024),
      method: "deflated" as const,
    }));
    const controller = new AbortController();
    const reason = new Error("kill switch engaged");
    const running = pool({ ...(await options(entries, "worker")), signal: controller.signal });
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    expect(await readdir(root)).toEqual(["worker.zip"]);
    // The worker is free again: the next extraction goes through.
    const next = await pool(await options([{ name: "a.txt", data: "a" }], "again"));
    expect(next.files.map((f) => f.path)).toEqual(["a.txt"]);
  });
});
