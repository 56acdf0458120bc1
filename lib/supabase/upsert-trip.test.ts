import fc from "fast-check";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/support/test-database";
import { getEventPaths } from "../config/paths";
import { parseSettings } from "../config/settings";
import { getKillSwitchStatus, setKillSwitchState } from "../control/kill-switch";
import type { Database } from "../db";
import {
  findServerErrorStreak,
  readRecentUpsertAnswers,
  tripOnUpsertStreak,
  type UpsertAnswer,
} from "./upsert-trip";

const T0 = Date.parse("2025-11-14T09:00:00Z");
const MIN = 60_000;

/** Answers given oldest first as [status, minutes after T0]; the rule reads them newest first. */
const answers = (...list: [number | null, number][]): UpsertAnswer[] =>
  list.map(([statusCode, minutes]) => ({ statusCode, at: new Date(T0 + minutes * MIN) })).reverse();

describe("findServerErrorStreak (the rule)", () => {
  it("fires on 3 consecutive 5xx within 5 minutes and returns them oldest first", () => {
    const streak = findServerErrorStreak(answers([503, 0], [500, 1], [502, 4]));
    expect(streak?.map((a) => a.statusCode)).toEqual([503, 500, 502]);
  });

  it("fires when the three span exactly 5 minutes", () => {
    expect(findServerErrorStreak(answers([503, 0], [503, 2], [503, 5]))).not.toBeNull();
  });

  it("does not fire on 2 × 5xx", () => {
    expect(findServerErrorStreak(answers([503, 0], [503, 1]))).toBeNull();
    expect(findServerErrorStreak(answers([201, 0], [503, 1], [503, 2]))).toBeNull();
  });

  it("does not fire on 3 × 5xx spread over more than 5 minutes", () => {
    expect(findServerErrorStreak(answers([503, 0], [503, 2], [503, 5.01]))).toBeNull();
  });

  it("does not fire on 5xx, 201, 5xx, 5xx: a success breaks the streak", () => {
    expect(findServerErrorStreak(answers([503, 0], [201, 0.5], [503, 1], [503, 2]))).toBeNull();
  });

  it("does not fire on 429s, 409s or other 4xx, alone or between 5xx", () => {
    expect(findServerErrorStreak(answers([429, 0], [429, 1], [429, 2]))).toBeNull();
    expect(findServerErrorStreak(answers([503, 0], [429, 1], [503, 2]))).toBeNull();
    expect(findServerErrorStreak(answers([503, 0], [409, 1], [503, 2]))).toBeNull();
    expect(findServerErrorStreak(answers([503, 0], [422, 1], [503, 2]))).toBeNull();
  });

  it("counts a reset connection or timeout (no status) as a 5xx", () => {
    expect(findServerErrorStreak(answers([null, 0], [503, 1], [null, 2]))).not.toBeNull();
    expect(findServerErrorStreak(answers([null, 0], [null, 1]))).toBeNull();
  });

  it("fires only when the newest three are all 5xx or no answer within 5 minutes (property)", () => {
    const status = fc.oneof(
      fc.constant(null),
      fc.integer({ min: 500, max: 599 }),
      fc.integer({ min: 200, max: 499 }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(status, fc.integer({ min: 0, max: 600 })), { maxLength: 6 }), (list) => {
        let at = 0;
        const oldestFirst = list.map(([code, gapSec]) => ({
          statusCode: code,
          at: new Date(T0 + (at += gapSec * 1000)),
        }));
        const newest = oldestFirst.slice(-3);
        const expected =
          newest.length === 3 &&
          newest.every((a) => a.statusCode === null || a.statusCode >= 500) &&
          (newest[2]?.at.getTime() ?? 0) - (newest[0]?.at.getTime() ?? 0) <= 5 * MIN;
        expect(findServerErrorStreak([...oldestFirst].reverse()) !== null).toBe(expected);
      }),
    );
  });
});

describe("the streak in the database and the trip", () => {
  let db: Database;
  let root: string;

  beforeEach(async () => {
    db = await openTestDatabase();
    root = await fs.mkdtemp(path.join(os.tmpdir(), "upsert-trip-"));
  });
  afterEach(async () => {
    await db.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  const settings = () => parseSettings({ AUDIT_EVENT: "ev" });
  const trip = () => tripOnUpsertStreak({ db, settings: settings(), paths: getEventPaths(settings(), root) });

  async function record(service: string, operation: string, status: number | null, minutes: number) {
    await db.query(
      `insert into retry_history (at, service, operation, run_id, attempt, status_code, decision)
       values ($1, $2, $3, 'r1', 1, $4, 'retry')`,
      [new Date(T0 + minutes * MIN).toISOString(), service, operation, status],
    );
  }

  it("reads only the Supabase upsert's answers, newest first", async () => {
    await record("supabase", "upsert", 503, 0);
    await record("github", "download", 502, 1);
    await record("supabase", "select", 500, 2);
    await record("supabase", "upsert", null, 3);
    const read = await readRecentUpsertAnswers(db, 10);
    expect(read.map((a) => a.statusCode)).toEqual([null, 503]);
  });

  it("engages the kill switch on 3 × 5xx from separate processes' rows, naming the condition", async () => {
    await record("supabase", "upsert", 503, 0);
    await record("supabase", "upsert", 500, 1);
    expect(await trip()).toBeNull();
    expect((await getKillSwitchStatus(db)).state).toBe("armed");

    await record("supabase", "upsert", 503, 2);
    const result = await trip();
    expect(result).toMatchObject({ tripped: true });
    const status = await getKillSwitchStatus(db);
    expect(status).toMatchObject({ state: "engaged", changedBy: "system:auto-trip" });
    expect(status.reason).toMatch(/supabase_5xx_streak.*answers 503, 500, 503/);

    // Engaged already: left as it is.
    expect(await trip()).toMatchObject({ tripped: false });
  });

  it("does not fire from other services' 5xx or from 429s", async () => {
    for (const minute of [0, 1, 2]) await record("github", "upsert", 503, minute);
    for (const minute of [3, 4, 5]) await record("supabase", "upsert", 429, minute);
    expect(await trip()).toBeNull();
    expect((await getKillSwitchStatus(db)).state).toBe("armed");
  });

  it("starts a new count after a release", async () => {
    await db.query(
      "insert into retry_history (service, operation, attempt, status_code, decision) values ('supabase', 'upsert', 1, 503, 'retry'), ('supabase', 'upsert', 1, 503, 'retry')",
    );
    const actor = { id: "c", email: "c@x", role: "commander", via: "cli" } as const;
    await setKillSwitchState(db, actor, "engaged", "test");
    await new Promise((r) => setTimeout(r, 5));
    await setKillSwitchState(db, actor, "released", "restart checks passed");
    await db.query(
      "insert into retry_history (service, operation, attempt, status_code, decision) values ('supabase', 'upsert', 1, 503, 'retry')",
    );
    expect(await readRecentUpsertAnswers(db)).toHaveLength(1);
    expect(await trip()).toBeNull();
  });
});
