import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { directoryEntry, symlinkEntry, writeZip, type CraftEntry } from "../../test/support/zip-craft";
import { KillSwitchEngagedError } from "../errors";
import { extractZipSafely, type ExtractOptions } from "./extract";
import { UnsafeArchiveError, type ZipRule } from "./zip-safety";

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

let root: string;
let target: string;
let sibling: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "auditloop-extract-"));
  target = path.join(root, "out");
  sibling = path.join(root, "out2");
  await mkdir(sibling); // the folder a `../out2/…` entry aims at
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function extract(entries: CraftEntry[], overrides: Partial<ExtractOptions> = {}) {
  const zipFile = await writeZip(path.join(root, "artifact.zip"), entries);
  return extractZipSafely({
    zipFile,
    targetDir: target,
    maxTotalBytes: 1 << 20,
    maxEntries: 100,
    ...overrides,
  });
}

/** The refusal's rule, after proving the archive left no trace: no target, no staging, nothing in out2. */
async function refusedRule(entries: CraftEntry[], overrides: Partial<ExtractOptions> = {}): Promise<ZipRule> {
  const error = await extract(entries, overrides).then(
    () => {
      throw new Error("the archive was extracted; expected a refusal");
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UnsafeArchiveError);
  expect((await readdir(root)).sort()).toEqual(["artifact.zip", "out2"]);
  expect(await readdir(sibling)).toEqual([]);
  return (error as UnsafeArchiveError).rule;
}

const file = (name: string, data: string | Buffer = "data"): CraftEntry => ({ name, data });

describe("extractZipSafely refuses", () => {
  it.each<[string, string, ZipRule]>([
    ["a parent segment", "../x", "parent-segment"],
    ["an absolute path", "/etc/x", "absolute-path"],
    ["a drive letter", "C:\\x", "drive-letter"],
    ["backslashes that climb out", "a\\..\\..\\x", "backslash"],
    ["an entry aimed at the sibling folder", "../out2/evil.txt", "parent-segment"],
    ["a parent segment deeper down", "a/b/../../../x", "parent-segment"],
    ["a control character", "a\u0000b", "control-character"],
    ["an empty segment", "a//b", "empty-segment"],
  ])("%s (%s), naming the entry and the rule", async (_what, name, rule) => {
    const zipFile = await writeZip(path.join(root, "artifact.zip"), [file("ok.txt"), file(name)]);
    const run = extractZipSafely({ zipFile, targetDir: target, maxTotalBytes: 1 << 20, maxEntries: 10 });
    await expect(run).rejects.toThrow(`${zipFile}: refused entry "${name.replace("\u0000", "\\x00")}"`);
    expect(await refusedRule([file("ok.txt"), file(name)])).toBe(rule);
  });

  it("a symlink, and so the file written through it", async () => {
    expect(await refusedRule([symlinkEntry("link", "../out2"), file("link/evil.txt", "pwned")])).toBe(
      "symlink",
    );
  });

  it("a file that would write through an earlier file entry", async () => {
    expect(await refusedRule([file("a"), file("a/evil.txt")])).toBe("duplicate");
  });

  it("the same file twice, and a file where a folder was", async () => {
    expect(await refusedRule([file("a.txt", "first"), file("a.txt", "second")])).toBe("duplicate");
    expect(await refusedRule([directoryEntry("d"), file("d")])).toBe("duplicate");
  });

  it("a deflated entry with more bytes than it declares", async () => {
    const lie = {
      name: "bomb.bin",
      data: Buffer.alloc(50_000),
      method: "deflated",
      declaredSize: 100,
    } as const;
    expect(await refusedRule([file("ok.txt"), lie])).toBe("size-mismatch");
  });

  it("a deflated entry with fewer bytes than it declares", async () => {
    expect(
      await refusedRule([{ name: "short.bin", data: "tiny", method: "deflated", declaredSize: 5000 }]),
    ).toBe("size-mismatch");
  });

  it("a stored entry whose sizes disagree", async () => {
    expect(await refusedRule([file("ok.txt"), { name: "s.bin", data: "12345", declaredSize: 4 }])).toBe(
      "size-mismatch",
    );
  });

  it("data that does not match its CRC-32", async () => {
    expect(await refusedRule([{ name: "c.txt", data: "hello", crc: 0x12345678 }])).toBe("crc-mismatch");
  });

  it("a total over the cap, before writing the entry that crosses it", async () => {
    const entries = [file("a.bin", randomBytes(600)), file("b.bin", randomBytes(600))];
    expect(await refusedRule(entries, { maxTotalBytes: 1000 })).toBe("total-over-cap");
  });

  it("more entries than the cap", async () => {
    const entries = Array.from({ length: 6 }, (_, i) => file(`f${i}.txt`));
    expect(await refusedRule(entries, { maxEntries: 5 })).toBe("entries-over-cap");
  });

  it("encrypted entries and unknown compression", async () => {
    expect(
      await refusedRule([{ name: "e.txt", data: "x".repeat(20), encrypted: true, declaredSize: 8 }]),
    ).toMatch(/encrypted|size-mismatch/);
    expect(await refusedRule([file("ok.txt"), { name: "f.txt", data: "abc", mode: 0o010644 }])).toBe(
      "special-file",
    );
  });

  it("a file that is not a zip, and names a zip that is missing", async () => {
    const zipFile = path.join(root, "artifact.zip");
    await writeFile(zipFile, "this is not a zip archive at all");
    const run = extractZipSafely({ zipFile, targetDir: target, maxTotalBytes: 1000, maxEntries: 10 });
    await expect(run).rejects.toMatchObject({ rule: "invalid-zip" });
    expect((await readdir(root)).sort()).toEqual(["artifact.zip", "out2"]);
    const missing = path.join(root, "missing.zip");
    const absent = extractZipSafely({
      zipFile: missing,
      targetDir: target,
      maxTotalBytes: 1000,
      maxEntries: 10,
    });
    await expect(absent).rejects.toThrow(`${missing}: cannot open the zip file (ENOENT)`);
  });
});

describe("extractZipSafely", () => {
  it("extracts nested folders with each file's size and SHA-256, and nothing else", async () => {
    const big = randomBytes(200_000);
    const result = await extract([
      directoryEntry("docs"),
      file("docs/readme.md", "# hi\n"),
      { name: "bin/tool/deep/app.bin", data: big, method: "deflated" },
      file("empty.txt", ""),
      directoryEntry("docs/"), // a repeated folder is harmless
    ]);
    expect(result.targetDir).toBe(target);
    expect(result.files).toEqual([
      { path: "docs/readme.md", size: 5, sha256: sha256("# hi\n") },
      { path: "bin/tool/deep/app.bin", size: big.length, sha256: sha256(big) },
      { path: "empty.txt", size: 0, sha256: sha256("") },
    ]);
    expect(result.totalBytes).toBe(5 + big.length);
    expect((await readFile(path.join(target, "bin/tool/deep/app.bin"))).equals(big)).toBe(true);
    expect((await readdir(target)).sort()).toEqual(["bin", "docs", "empty.txt"]);
    expect((await readdir(root)).sort()).toEqual(["artifact.zip", "out", "out2"]);
  });

  it("reads a large deflated entry whole, in pieces, and closes the zip it opened, extracted or refused", async () => {
    const zipFile = path.join(root, "artifact.zip");
    // Descriptors of this process open on the zip (Linux: /proc/self/fd links to what is open).
    const openOnZip = async () => {
      const fds = await readdir("/proc/self/fd");
      const links = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => "")));
      return links.filter((link) => link === zipFile).length;
    };
    const big = randomBytes(3 * 1024 * 1024 + 17);
    const result = await extract([{ name: "app.bin", data: big, method: "deflated" }], {
      maxTotalBytes: 4 * 1024 * 1024,
    });
    expect(result.files).toEqual([{ path: "app.bin", size: big.length, sha256: sha256(big) }]);
    expect((await readFile(path.join(target, "app.bin"))).equals(big)).toBe(true);
    await vi.waitFor(async () => expect(await openOnZip()).toBe(0), { timeout: 2000 });

    await rm(target, { recursive: true });
    expect(await refusedRule([file("ok.txt"), file("../x")])).toBe("parent-segment");
    await vi.waitFor(async () => expect(await openOnZip()).toBe(0), { timeout: 2000 });
  });

  it("computes SHA-512 in the same pass when asked", async () => {
    const result = await extract([file("a.txt", "abc")], { algorithms: ["sha512"] });
    expect(result.files[0]?.sha512).toBe(createHash("sha512").update("abc").digest("hex"));
  });

  it("leaves an existing target alone unless asked to replace it", async () => {
    await mkdir(target);
    await writeFile(path.join(target, "old.txt"), "old");
    await expect(extract([file("new.txt")])).rejects.toThrow(/already exists/);
    expect(await readdir(target)).toEqual(["old.txt"]);
    await extract([file("new.txt")], { replaceExisting: true });
    expect(await readdir(target)).toEqual(["new.txt"]);
    expect((await readdir(root)).sort()).toEqual(["artifact.zip", "out", "out2"]);
  });

  it("keeps the old target whole when the replacement archive is refused", async () => {
    await mkdir(target);
    await writeFile(path.join(target, "old.txt"), "old");
    await expect(extract([file("new.txt"), file("../x")], { replaceExisting: true })).rejects.toThrow(/\.\./);
    expect(await readdir(target)).toEqual(["old.txt"]);
    expect((await readdir(root)).sort()).toEqual(["artifact.zip", "out", "out2"]);
  });

  it("removes the folders it made for a target whose archive is refused", async () => {
    const zipFile = await writeZip(path.join(root, "artifact.zip"), [file("ok.txt"), file("../x")]);
    const nested = path.join(root, "artifacts", "run-1", "raw");
    const run = extractZipSafely({ zipFile, targetDir: nested, maxTotalBytes: 1000, maxEntries: 10 });
    await expect(run).rejects.toBeInstanceOf(UnsafeArchiveError);
    expect((await readdir(root)).sort()).toEqual(["artifact.zip", "out2"]);
  });

  it("stops when the kill switch fires mid-extraction and leaves nothing", async () => {
    const controller = new AbortController();
    const reason = new KillSwitchEngagedError("kill switch engaged");
    const entries = Array.from({ length: 40 }, (_, i) => file(`part-${i}.bin`, randomBytes(512 * 1024)));
    const zipFile = await writeZip(path.join(root, "artifact.zip"), entries);
    // Fire once the first file has landed in the staging folder, so there is partial output to remove.
    const watch = setInterval(async () => {
      const staging = (await readdir(root)).find((name) => name.startsWith(".out.extract-"));
      if (staging && (await readdir(path.join(root, staging)).catch(() => [])).length > 0) {
        clearInterval(watch);
        controller.abort(reason);
      }
    }, 1);
    const started = performance.now();
    const run = extractZipSafely({
      zipFile,
      targetDir: target,
      maxTotalBytes: 1 << 30,
      maxEntries: 100,
      signal: controller.signal,
    }).finally(() => clearInterval(watch));
    await expect(run).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect((await readdir(root)).sort()).toEqual(["artifact.zip", "out2"]);
  });
});
