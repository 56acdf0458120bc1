import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/support/test-database";
import type { Database } from "../db";
import { withClaims } from "../db/as-user";
import { getLatestChangeId, readChanges } from "../live/change-feed";
import {
  getCollectedDigests,
  getLastDryRun,
  insertCollection,
  listCollections,
  updateCollection,
} from "./collections-store";
import { createRowWriter } from "./row-writer";
import { insertSelfHealAttempt, listSelfHealAttempts, resolveSelfHealAttempt } from "./self-heal-store";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const row = (
  runId: string,
  artifactId: string | null,
  extra: Partial<Parameters<typeof insertCollection>[1]> = {},
) => ({
  event: "ev",
  runId,
  runAttempt: 1,
  artifactId,
  artifactName: artifactId === null ? null : `artifact-${artifactId}`,
  size: 10,
  actor: "cli:ci",
  dryRun: false,
  ...extra,
});

const claims = (role: string) => ({
  sub: "00000000-0000-4000-8000-000000000002",
  role: "authenticated" as const,
  app_metadata: { role },
});

describe("collections and self_heal_attempts", () => {
  it("records a collection's progress and lists the newest first", async () => {
    const id = await insertCollection(db, row("11", "a1"));
    await updateCollection(db, id, { state: "downloading", bytes: 5, total: 10 });
    await updateCollection(db, id, {
      state: "done",
      bytes: 10,
      zipDigest: "ab".repeat(32),
      shaParity: true,
      finished: true,
    });
    const second = await insertCollection(db, row("11", "a2"));
    const [newest, first] = await listCollections(db, "ev", "11");
    expect(newest?.id).toBe(second);
    expect(first).toMatchObject({
      state: "done",
      bytes: 10,
      total: 10,
      shaParity: true,
      artifactName: "artifact-a1",
      dryRun: false,
    });
    expect(first?.finishedAt).toMatch(/Z$/);
    expect(await listCollections(db, "other")).toEqual([]);
  });

  it("knows what a real collection of a run attempt brought home, digest by artifact", async () => {
    const done = await insertCollection(db, row("12", "b1"));
    await updateCollection(db, done, { state: "done", zipDigest: "cd".repeat(32), finished: true });
    const failed = await insertCollection(db, row("12", "b2"));
    await updateCollection(db, failed, { state: "failed", finished: true });
    const dry = await insertCollection(db, row("12", "b3", { dryRun: true }));
    await updateCollection(db, dry, { state: "done", zipDigest: "ef".repeat(32), finished: true });
    expect(await getCollectedDigests(db, "ev", "12", 1)).toEqual(new Map([["b1", "cd".repeat(32)]]));
    expect(await getCollectedDigests(db, "ev", "12", 2)).toEqual(new Map());
    expect(await getLastDryRun(db, "ev")).toMatchObject({ runId: "12", artifactId: "b3", state: "done" });
  });

  it("computes the heal time from the first failure and checks it against 24 h", async () => {
    const id = await insertSelfHealAttempt(db, {
      event: "ev",
      runId: "13",
      kind: "rerun-failed-jobs",
      attempt: 1,
      decidedBecause: "5xx/429: HTTP 503",
      outcome: "requested",
      actor: "cli:ci",
      firstFailureAt: "2025-11-20T10:00:00Z",
    });
    expect(await resolveSelfHealAttempt(db, id, "healed", "2025-11-21T11:00:00Z")).toEqual({
      healSec: 90_000,
      withinObjective: false,
    });
    expect(await listSelfHealAttempts(db, "13")).toEqual([
      expect.objectContaining({
        outcome: "healed",
        healSec: 90_000,
        withinObjective: false,
        resolvedAt: "2025-11-21T11:00:00.000Z",
      }),
    ]);
  });

  it("lets every signed-in role read both tables and no client role write them", async () => {
    await insertCollection(db, row("14", "c1"));
    for (const role of ["observer", "operator", "reviewer", "commander"]) {
      const read = await withClaims(db, claims(role), (tx) =>
        tx.query<{ n: number }>(
          "select (select count(*) from collections)::int + (select count(*) from self_heal_attempts)::int as n",
        ),
      );
      expect(read.rows[0]?.n, role).toBeGreaterThan(0);
      const write = withClaims(db, claims(role), (tx) =>
        tx.query("insert into collections (event, run_id, state, actor) values ('ev', 'x', 'queued', 'me')"),
      );
      await expect(write, role).rejects.toThrow();
      const heal = withClaims(db, claims(role), (tx) =>
        tx.query("update self_heal_attempts set outcome = 'healed'"),
      );
      await expect(heal, role).rejects.toThrow();
    }
    const anon = await withClaims(db, null, (tx) =>
      tx.query("select count(*) from collections").then(
        () => "ok",
        () => "refused",
      ),
    );
    expect(anon).toBe("refused");
  });

  it("samples in-flight changes (latest wins, at most once per interval) and writes a final change at once", async () => {
    const id = await insertCollection(db, row("16", "e1", { state: "downloading" }));
    const writer = createRowWriter(db, id, 80);
    const state = async () => (await listCollections(db, "ev", "16"))[0];
    writer.sample({ bytes: 1 });
    writer.sample({ bytes: 2, state: "extracting" });
    expect(await state()).toMatchObject({ bytes: 0, state: "downloading" });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await state()).toMatchObject({ bytes: 2, state: "extracting" });
    writer.sample({ bytes: 3 });
    await writer.final({ state: "failed", error: "stopped", finished: true });
    expect(await state()).toMatchObject({ bytes: 3, state: "failed", error: "stopped" });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await state()).toMatchObject({ state: "failed" });
  });

  it("feeds live updates keyed by run_id", async () => {
    const before = await getLatestChangeId(db);
    const id = await insertCollection(db, row("15", "d1"));
    await updateCollection(db, id, { bytes: 3 });
    expect(await readChanges(db, before)).toEqual([
      expect.objectContaining({ table: "collections", op: "INSERT", key: "15" }),
      expect.objectContaining({ table: "collections", op: "UPDATE", key: "15" }),
    ]);
  });
});
