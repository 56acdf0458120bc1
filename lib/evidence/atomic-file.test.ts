import { existsSync, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listBackups, withFileLock, writeFileAtomic } from "./atomic-file";

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "atomic-file-"));
  file = path.join(dir, "data.json");
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe("withFileLock", () => {
  it("runs one holder at a time", async () => {
    const order: string[] = [];
    const hold = (name: string) =>
      withFileLock(file, async () => {
        order.push(`${name}:in`);
        await new Promise((r) => setTimeout(r, 30));
        order.push(`${name}:out`);
      });
    await Promise.all([hold("a"), hold("b"), hold("c")]);
    for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i]?.replace(":in", ":out"));
  });

  it("gives up after timeoutMs naming the file and its lock", async () => {
    let release = () => {};
    const held = withFileLock(file, () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 20));
    await expect(withFileLock(file, async () => 1, { timeoutMs: 150 })).rejects.toThrow(
      `Could not lock ${file} (lock ${file}.lock)`,
    );
    release();
    await held;
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});

describe("writeFileAtomic", () => {
  it("keeps the 20 newest versions as backups, newest first", async () => {
    for (let i = 0; i < 25; i++) await writeFileAtomic(file, `v${i}`);
    const backups = await listBackups(file);
    expect(backups).toHaveLength(20);
    expect(await fs.readFile(backups[0]?.path as string, "utf8")).toBe("v23");
    expect(await fs.readFile(backups[19]?.path as string, "utf8")).toBe("v4");
  });

  it("leaves the file and no backup when validation refuses, naming the temporary file", async () => {
    await writeFileAtomic(file, "old");
    const error = await writeFileAtomic(file, "new", {
      validate: () => {
        throw new Error("bad bytes");
      },
    }).catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(
      /bad bytes.*left for inspection at .*\.data\.json\.\d+\.\d+\.tmp$/,
    );
    expect(await fs.readFile(file, "utf8")).toBe("old");
    expect(await listBackups(file)).toEqual([]);
  });
});
