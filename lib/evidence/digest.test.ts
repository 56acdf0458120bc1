import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDigester, hashFile } from "./digest";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "auditloop-digest-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = (alg: string, data: Uint8Array) => createHash(alg).update(data).digest("hex");

async function fileWith(name: string, data: Uint8Array): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, data);
  return file;
}

describe("hashFile", () => {
  it("hashes a file spanning several read buffers like a whole-buffer hash", async () => {
    const data = randomBytes(5 * 1024 * 1024 + 123);
    const result = await hashFile(await fileWith("big.bin", data));
    expect(result).toEqual({ sha256: sha("sha256", data), bytes: data.length });
  });

  it("gives the empty-input digest for a 0-byte file", async () => {
    const result = await hashFile(await fileWith("empty.bin", new Uint8Array()));
    expect(result).toEqual({
      sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      bytes: 0,
    });
  });

  it("computes SHA-512 in the same pass only when asked", async () => {
    const data = randomBytes(300_000);
    const file = await fileWith("both.bin", data);
    expect(await hashFile(file, { algorithms: ["sha256", "sha512"] })).toEqual({
      sha256: sha("sha256", data),
      sha512: sha("sha512", data),
      bytes: data.length,
    });
    expect(await hashFile(file)).not.toHaveProperty("sha512");
  });

  it("reports progress that grows to the file size", async () => {
    const data = randomBytes(4 * 1024 * 1024 + 7);
    const seen: [number, number][] = [];
    await hashFile(await fileWith("progress.bin", data), {
      onProgress: (done, total) => seen.push([done, total]),
    });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every(([, total]) => total === data.length)).toBe(true);
    expect(seen.map(([done]) => done)).toEqual([...seen.map(([done]) => done)].sort((a, b) => a - b));
    expect(seen.at(-1)?.[0]).toBe(data.length);
  });

  it("stops when the signal aborts, before or during the pass", async () => {
    const file = await fileWith("abort.bin", randomBytes(6 * 1024 * 1024));
    await expect(hashFile(file, { signal: AbortSignal.abort(new Error("stop now")) })).rejects.toThrow(
      "stop now",
    );
    const controller = new AbortController();
    const chunks: number[] = [];
    const hashing = hashFile(file, {
      signal: controller.signal,
      onProgress: (done) => {
        chunks.push(done);
        controller.abort(new Error("kill switch engaged"));
      },
    });
    await expect(hashing).rejects.toThrow("kill switch engaged");
    expect(chunks).toHaveLength(1);
  });

  it("rejects a missing file with ENOENT", async () => {
    await expect(hashFile(path.join(dir, "nope.bin"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("equals crypto.createHash over the whole buffer for random bytes (property)", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200_000, size: "max" }), async (data) => {
        const result = await hashFile(await fileWith(`prop-${n++}.bin`, data), { algorithms: ["sha512"] });
        return (
          result.sha256 === sha("sha256", data) &&
          result.sha512 === sha("sha512", data) &&
          result.bytes === data.length
        );
      }),
      { numRuns: 60 },
    );
  });
});

describe("createDigester", () => {
  it("gives the same digests however the bytes are split into chunks (property)", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 5_000 }),
        fc.array(fc.nat(5_000), { maxLength: 8 }),
        (data, cuts) => {
          const digester = createDigester(["sha256", "sha512"]);
          const points = [0, ...cuts.map((c) => c % (data.length + 1)).sort((a, b) => a - b), data.length];
          for (let i = 1; i < points.length; i++) digester.update(data.subarray(points[i - 1], points[i]));
          expect(digester.digest()).toEqual({
            sha256: sha("sha256", data),
            sha512: sha("sha512", data),
            bytes: data.length,
          });
        },
      ),
    );
  });
});
