import { existsSync, promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputError } from "../errors";
import { parseJsonStrict } from "./json-strict";
import {
  checkManifest,
  createManifestTemplate,
  listManifestBackups,
  readManifest,
  rollbackManifest,
  serializeManifest,
  updateManifestEntry,
} from "./manifest";
import { manifestSchema, type ManifestEntry } from "./manifest-entry";

let dir: string;
let file: string;
const clock = (iso: string) => () => new Date(iso);

function entry(overrides: Partial<ManifestEntry> = {}): ManifestEntry {
  return {
    run_id: "1001",
    artifact_path: "docs/reports/2025-11-14/artifacts/1001/raw/app.zip",
    evidence_type: "artifact",
    recorded_at_utc: "2025-11-14T09:30:00Z",
    sha_parity: true,
    notes: "collected",
    ...overrides,
  };
}

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "manifest-"));
  file = path.join(dir, "_manifest.json");
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe("updateManifestEntry", () => {
  it("creates the manifest with the entry and no backup on the first write", async () => {
    const result = await updateManifestEntry(file, entry(), { now: clock("2025-11-14T10:00:00Z") });
    expect(result).toMatchObject({ replaced: false, backupPath: null, entryCount: 1 });
    const onDisk = manifestSchema.parse(parseJsonStrict(await fs.readFile(file, "utf8"), file));
    expect(onDisk).toEqual({ generated_at_utc: "2025-11-14T10:00:00.000Z", entries: [entry()] });
  });

  it("replaces the entry with the same run_id and evidence_type instead of adding a second", async () => {
    await updateManifestEntry(file, entry());
    const result = await updateManifestEntry(file, entry({ sha_parity: false, notes: "digest differs" }));
    expect(result).toMatchObject({ replaced: true, entryCount: 1 });
    expect((await readManifest(file)).entries).toEqual([
      entry({ sha_parity: false, notes: "digest differs" }),
    ]);
  });

  it("keeps artifact and provenance evidence of one run side by side, sorted by run then type", async () => {
    await updateManifestEntry(file, entry({ run_id: "2002", evidence_type: "log" }));
    await updateManifestEntry(
      file,
      entry({ evidence_type: "provenance", artifact_path: "p/1001.intoto.jsonl" }),
    );
    await updateManifestEntry(file, entry());
    const { entries } = await readManifest(file);
    expect(entries.map((e) => `${e.run_id}/${e.evidence_type}`)).toEqual([
      "1001/artifact",
      "1001/provenance",
      "2002/log",
    ]);
  });

  it("keeps the previous version as a backup", async () => {
    await updateManifestEntry(file, entry());
    const before = await fs.readFile(file, "utf8");
    const { backupPath } = await updateManifestEntry(file, entry({ run_id: "2002" }));
    expect(backupPath).not.toBeNull();
    expect(await fs.readFile(backupPath as string, "utf8")).toBe(before);
    expect((await listManifestBackups(file)).map((b) => b.path)).toEqual([backupPath]);
  });

  it("refuses an invalid entry naming the field and leaves the file byte-identical", async () => {
    await updateManifestEntry(file, entry());
    const before = await fs.readFile(file);
    await expect(updateManifestEntry(file, entry({ artifact_path: "/etc/passwd" }))).rejects.toThrow(
      /artifact_path: expected a path relative to the repository root, not an absolute path/,
    );
    await expect(updateManifestEntry(file, entry({ artifact_path: "a/../../b" }))).rejects.toThrow(
      InputError,
    );
    await expect(updateManifestEntry(file, entry({ notes: "see https://example.com" }))).rejects.toThrow(
      /no URLs/,
    );
    expect(await fs.readFile(file)).toEqual(before);
  });

  it("refuses to update a manifest with duplicate keys and leaves it byte-identical", async () => {
    const text = '{"generated_at_utc": "2025-11-14T00:00:00Z", "entries": [], "entries": []}\n';
    await fs.writeFile(file, text);
    await expect(updateManifestEntry(file, entry())).rejects.toThrow(
      /_manifest\.json: duplicate key "entries" at line 1/,
    );
    expect(await fs.readFile(file, "utf8")).toBe(text);
  });

  it("refuses bytes that fail validation, leaves the temporary file and names it", async () => {
    await updateManifestEntry(file, entry());
    const before = await fs.readFile(file);
    // A year past 9999 serialises as "+010000-…", which the schema refuses once written.
    const error = await updateManifestEntry(file, entry({ run_id: "2002" }), {
      now: () => new Date(Date.UTC(10_000, 0, 1)),
    }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(InputError);
    const temp = /left for inspection at (\S+\.tmp)/.exec((error as Error).message)?.[1];
    expect(temp && path.dirname(temp)).toBe(dir);
    expect(await fs.readFile(temp as string, "utf8")).toContain('"+010000-01-01T00:00:00.000Z"');
    expect(await fs.readFile(file)).toEqual(before);
  });

  it("refuses to start when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(updateManifestEntry(file, entry(), { signal: controller.signal })).rejects.toThrow(/stop/);
    expect(existsSync(file)).toBe(false);
  });
});

describe("readManifest", () => {
  it("returns an empty manifest when the file does not exist", async () => {
    const manifest = await readManifest(file, { now: clock("2025-11-14T00:00:00Z") });
    expect(manifest).toEqual({ generated_at_utc: "2025-11-14T00:00:00.000Z", entries: [] });
  });

  it("names the file, the entry index, its run id and the field of an invalid entry", async () => {
    const bad = { ...entry({ run_id: "2002" }), evidence_type: "screenshot" };
    await fs.writeFile(
      file,
      JSON.stringify({ generated_at_utc: "2025-11-14T00:00:00Z", entries: [entry(), bad] }),
    );
    await expect(readManifest(file)).rejects.toThrow(
      /_manifest\.json: entries\[1\]\.evidence_type \(run_id "2002"\)/,
    );
  });
});

describe("rollbackManifest", () => {
  it("restores the previous bytes exactly, and a second rollback steps further back", async () => {
    await updateManifestEntry(file, entry({ run_id: "1" }));
    const first = await fs.readFile(file);
    await updateManifestEntry(file, entry({ run_id: "2" }));
    const second = await fs.readFile(file);
    await updateManifestEntry(file, entry({ run_id: "3" }));

    expect(await rollbackManifest(file)).toMatchObject({ entryCount: 2, backupsLeft: 1 });
    expect(await fs.readFile(file)).toEqual(second);
    expect(await rollbackManifest(file)).toMatchObject({ entryCount: 1, backupsLeft: 0 });
    expect(await fs.readFile(file)).toEqual(first);
  });

  it("skips a backup equal to the current file, left by a writer killed before its rename", async () => {
    await updateManifestEntry(file, entry({ run_id: "1" }));
    const first = await fs.readFile(file);
    await updateManifestEntry(file, entry({ run_id: "2" }));
    const [kept] = await listManifestBackups(file);
    // What a killed writer leaves: the current file linked under a newer backup name.
    await fs.link(file, path.join(dir, ".backups", `_manifest.json.99991231T000000000Z-0000001-000001.bak`));
    const result = await rollbackManifest(file);
    expect(result).toMatchObject({ restoredFrom: kept?.path, backupsLeft: 0 });
    expect(await fs.readFile(file)).toEqual(first);
  });

  it("refuses when there is no backup, naming the file, and leaves it untouched", async () => {
    await updateManifestEntry(file, entry());
    const before = await fs.readFile(file);
    await expect(rollbackManifest(file)).rejects.toThrow(/_manifest\.json: no backup to roll back to/);
    expect(await fs.readFile(file)).toEqual(before);
  });
});

describe("checkManifest", () => {
  const write = (value: unknown) =>
    fs.writeFile(file, typeof value === "string" ? value : JSON.stringify(value));

  it("reports ok with the entry count for a valid manifest", async () => {
    await updateManifestEntry(file, entry());
    await updateManifestEntry(file, entry({ evidence_type: "provenance" }));
    expect(await checkManifest(file)).toEqual({ ok: true, file, entryCount: 2, problems: [] });
  });

  it("reports duplicate keys with their line", async () => {
    await write(
      '{"generated_at_utc": "2025-11-14T00:00:00Z",\n "entries": [{"run_id": "1", "run_id": "2"}]}',
    );
    const report = await checkManifest(file);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.stringMatching(/duplicate key "run_id" at line 2/)]);
  });

  it("reports a run recorded twice for one evidence type", async () => {
    await write({
      generated_at_utc: "2025-11-14T00:00:00Z",
      entries: [entry(), entry({ evidence_type: "log" }), entry()],
    });
    const report = await checkManifest(file);
    expect(report).toMatchObject({ ok: false, entryCount: 3 });
    expect(report.problems).toEqual([
      expect.stringMatching(/entries\[2\]: run_id "1001" .* already recorded at entries\[0\]/),
    ]);
  });

  it("reports every bad entry: absolute or escaping paths, unknown types, a bad generated_at_utc", async () => {
    await write({
      generated_at_utc: "2025-11-14",
      entries: [
        entry({ artifact_path: "/abs/file.zip" }),
        entry({ run_id: "2", artifact_path: "../outside" }),
        { ...entry({ run_id: "3" }), evidence_type: "video" },
      ],
    });
    const report = await checkManifest(file);
    expect(report.ok).toBe(false);
    expect(report.problems.join("\n")).toMatch(/^generated_at_utc: /m);
    expect(report.problems.join("\n")).toMatch(
      /entries\[0\]\.artifact_path \(run_id "1001"\): expected .*not an absolute path/,
    );
    expect(report.problems.join("\n")).toMatch(
      /entries\[1\]\.artifact_path \(run_id "2"\): expected a path without '\.\.'/,
    );
    expect(report.problems.join("\n")).toMatch(/entries\[2\]\.evidence_type \(run_id "3"\)/);
  });

  it("reports a timestamp that is not a real calendar date", async () => {
    await write({
      generated_at_utc: "2025-11-14T00:00:00Z",
      entries: [entry({ recorded_at_utc: "2025-02-30T00:00:00Z" })],
    });
    expect((await checkManifest(file)).problems).toEqual([
      'entries[0].recorded_at_utc (run_id "1001"): expected a real calendar date and time',
    ]);
  });

  it("reports a missing file and text that is not JSON", async () => {
    expect((await checkManifest(file)).problems).toEqual([
      expect.stringMatching(/_manifest\.json: cannot be read/),
    ]);
    await write("null");
    expect((await checkManifest(file)).problems).toEqual([
      "(top level): Invalid input: expected object, received null",
    ]);
    await write("{ not json");
    expect((await checkManifest(file)).problems).toEqual([expect.stringMatching(/not valid JSON at line 1/)]);
  });
});

describe("the committed template", () => {
  it("equals the rendered template and validates", async () => {
    const committed = await fs.readFile(
      path.join(import.meta.dirname, "../../docs/reports/2025-11-14/_manifest.json.template"),
      "utf8",
    );
    expect(committed).toBe(serializeManifest(createManifestTemplate()));
    expect(manifestSchema.parse(parseJsonStrict(committed, "template")).entries).toHaveLength(1);
  });
});
