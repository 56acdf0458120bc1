import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeRunRecord } from "../../test/support/run-record";
import { readRunsSummarySnapshot, VALIDATION_VERSION } from "./runs-summary-snapshot";

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "runs-snapshot-"));
  file = path.join(dir, "RUNS_SUMMARY.json");
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe("readRunsSummarySnapshot", () => {
  it("validates, and names the digest of the exact bytes with the validation version", async () => {
    const text = JSON.stringify([makeRunRecord("1")]);
    await fs.writeFile(file, text);
    const asked: string[] = [];
    const snapshot = await readRunsSummarySnapshot(file, { trust: (d) => (asked.push(d), false) });
    const sha = createHash("sha256").update(text).digest("hex");
    expect(snapshot).toMatchObject({ exists: true, digest: `${VALIDATION_VERSION}:${sha}`, trusted: false });
    expect(asked).toEqual([snapshot.digest]);
    expect(snapshot.runs.map((r) => r.run_id)).toEqual(["1"]);
  });

  it("refuses bad bytes unless they were validated before: duplicate keys, bad fields", async () => {
    await fs.writeFile(file, `[${JSON.stringify(makeRunRecord("1")).replace("{", '{"status": "x", ')}]`);
    await expect(readRunsSummarySnapshot(file, { trust: () => false })).rejects.toThrow(
      /duplicate key "status"/,
    );
    await fs.writeFile(file, JSON.stringify([makeRunRecord("1", { retries: -1 })]));
    await expect(readRunsSummarySnapshot(file)).rejects.toThrow(/retries: expected an integer ≥ 0/);
    // Trusted bytes are taken as they are: trust is only ever given for bytes that validated.
    const trusted = await readRunsSummarySnapshot(file, { trust: () => true });
    expect(trusted).toMatchObject({ trusted: true, runs: [{ retries: -1 }] });
  });

  it("lets inspect refuse the rows before validation, and names a syntax error's place", async () => {
    await fs.writeFile(file, JSON.stringify([makeRunRecord("1"), makeRunRecord("1")]));
    await expect(
      readRunsSummarySnapshot(file, {
        inspect: () => {
          throw new Error("seen first");
        },
      }),
    ).rejects.toThrow("seen first");
    await fs.writeFile(file, '[{"run_id": ');
    await expect(readRunsSummarySnapshot(file, { trust: () => true })).rejects.toThrow(
      /not valid JSON at line 1, column \d+/,
    );
  });

  it("reads a missing file as no runs", async () => {
    expect(await readRunsSummarySnapshot(file)).toMatchObject({ exists: false, runs: [], digest: null });
  });
});
