import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/support/test-database";
import { getEventPaths, type EventPaths } from "../config/paths";
import { parseSettings } from "../config/settings";
import type { Database } from "../db";
import { withClaims } from "../db/as-user";
import { ForbiddenError, InputError, KillSwitchEngagedError } from "../errors";
import { updateManifestEntry } from "../evidence/manifest";
import { readRunsSummary, writeRunsSummary } from "../evidence/runs-summary";
import { generateSampleEvent } from "../sample/generate";
import { runAction } from "./action";
import { getChecklist, type ChecklistStep } from "./checklist";
import { setChecklistStepAction } from "./checklist-actions";
import { CHECKLIST_HEADING } from "./checklist-markdown";
import type { EventFiles } from "./checklist-verify";
import { setKillSwitchState } from "./kill-switch";
import type { Actor, Role } from "./roles";

const actor = (role: Role, name: string = role): Actor => ({
  id: name,
  email: `${name}@example.test`,
  role,
  via: "web",
});

let root: string;
let paths: EventPaths;
let files: EventFiles;
let db: Database;
// One database for the file (opening one costs about a second); each test works on its own event.
let event = "";
let count = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "auditloop-checklist-"));
  paths = getEventPaths(parseSettings({ AUDIT_EVENT: "ev" }), root);
  files = paths;
  await generateSampleEvent({ dir: paths.dir, root, event: "ev", runs: 40 });
  db = await openTestDatabase();
});

afterAll(async () => {
  await db.close();
  await rm(root, { recursive: true, force: true });
});

beforeEach(async () => {
  event = `ev${++count}`;
  await rm(paths.observerSummary, { force: true });
});

const auditRows = async () =>
  Number((await db.query<{ n: number }>("select count(*)::int as n from audit_log")).rows[0]?.n);

const step = async (n: number): Promise<ChecklistStep> => {
  const found = (await getChecklist(db, event, files)).steps.find((s) => s.step === n);
  if (!found) throw new Error(`no step ${n}`);
  return found;
};

const setStep = (who: Actor, input: { step: number; checked: boolean; note?: string }) =>
  runAction(setChecklistStepAction, { actor: who, db, input: { event, files, ...input } });

describe("checklist: verification from the evidence", () => {
  it("lists the twelve steps in order with their roles", async () => {
    const { steps } = await getChecklist(db, event, files);
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(steps.map((s) => s.role)).toEqual([
      ...Array<Role>(6).fill("operator"),
      ...Array<Role>(3).fill("observer"),
      "commander",
      "reviewer",
      "reviewer",
    ]);
  });

  it("ticks steps 3, 5 and 6 from the sample event's files, and says what the others wait for", async () => {
    const { steps } = await getChecklist(db, event, files);
    const byStep = new Map(steps.map((s) => [s.step, s]));
    expect(byStep.get(3)).toMatchObject({ checked: true, source: "auto", by: "system" });
    expect(byStep.get(3)?.verification).toMatchObject({
      status: "verified",
      evidence: "RUNS_SUMMARY.json: 6 run(s) with source=manual",
    });
    expect(byStep.get(5)?.verification).toMatchObject({
      status: "verified",
      evidence: expect.stringMatching(/^_manifest\.json: 40 artifact entries with SHA parity checked/),
    });
    expect(byStep.get(6)).toMatchObject({ checked: true, source: "auto" });
    expect(byStep.get(12)).toMatchObject({
      checked: false,
      verification: { status: "unverified", detail: "no Go/No-Go decision recorded" },
    });
    expect(byStep.get(1)?.verification).toEqual({
      status: "unverified",
      detail: "no secrets check recorded (scripts/phase4-secrets-check.sh or the Secrets view)",
    });
    expect(byStep.get(7)?.verification).toEqual({
      status: "unverified",
      detail: "no observer run recorded for this event (scripts/phase4-observer-report.sh)",
    });
    expect(byStep.get(10)?.verification).toEqual({ status: "manual" });
    expect(steps.filter((s) => s.checked).map((s) => s.step)).toEqual([3, 5, 6]);
  });

  it("does not tick a step whose evidence is missing or broken", async () => {
    const other = getEventPaths(parseSettings({ AUDIT_EVENT: "empty" }), root);
    const { steps } = await getChecklist(db, "empty", other);
    expect(steps.filter((s) => s.checked)).toEqual([]);
    expect(steps.find((s) => s.step === 6)?.verification).toMatchObject({
      status: "unverified",
      detail: expect.stringMatching(/^manifest check failed: .*cannot be read/),
    });

    await mkdir(other.dir, { recursive: true });
    await writeFile(
      other.manifest,
      '{"generated_at_utc": "2025-11-14T00:00:00Z", "entries": [], "entries": []}',
    );
    const broken = await getChecklist(db, "empty", other);
    expect(broken.steps.find((s) => s.step === 6)?.verification).toMatchObject({
      status: "unverified",
      detail: expect.stringMatching(/duplicate key.*entries/i),
    });
  });

  it("does not tick step 3 without manual runs, nor step 5 while an artifact's parity is unknown", async () => {
    const dir = getEventPaths(parseSettings({ AUDIT_EVENT: "auto-only" }), root);
    const runs = await readRunsSummary(paths.runsSummary);
    await writeRunsSummary(
      dir.runsSummary,
      runs.map((r) => ({ ...r, source: "auto" as const })),
    );
    await updateManifestEntry(dir.manifest, {
      run_id: "r1",
      artifact_path: "docs/reports/auto-only/artifacts/r1/raw/a.zip",
      evidence_type: "artifact",
      recorded_at_utc: "2025-11-14T00:00:00Z",
      sha_parity: "unknown",
      notes: "",
    });
    const { steps } = await getChecklist(db, "auto-only", dir);
    expect(steps.find((s) => s.step === 3)?.verification).toEqual({
      status: "unverified",
      detail: "RUNS_SUMMARY.json holds no runs with source=manual",
    });
    expect(steps.find((s) => s.step === 5)?.verification).toEqual({
      status: "unverified",
      detail: '_manifest.json: 1 of 1 artifact entries have sha_parity "unknown"',
    });
    expect(steps.find((s) => s.step === 6)?.checked).toBe(true);
  });
});

describe("checklist: who may set a step", () => {
  it("lets a step's own role and a reviewer tick it, with who and when", async () => {
    const result = await setStep(actor("operator"), { step: 1, checked: true, note: "all 6 present" });
    expect(result.step).toMatchObject({
      step: 1,
      checked: true,
      source: "manual",
      by: "operator@example.test",
      note: "all 6 present",
    });
    expect(Date.parse(result.step.at ?? "")).toBeGreaterThan(Date.now() - 60_000);
    await setStep(actor("reviewer"), { step: 7, checked: true });
    await setStep(actor("commander"), { step: 10, checked: true });
    expect((await step(7)).by).toBe("reviewer@example.test");
    expect((await step(10)).checked).toBe(true);
  });

  it("refuses another role's step with a 403 naming the step and who may set it, and changes nothing", async () => {
    const before = await auditRows();
    const refusals: [Role, number, string][] = [
      ["operator", 7, "a reviewer \\(observers only watch\\)"],
      ["observer", 1, "the operator role or a reviewer"],
      ["commander", 11, "the reviewer role or a reviewer"],
      ["operator", 12, "the reviewer role or a reviewer"],
    ];
    for (const [role, n, who] of refusals) {
      const attempt = setStep(actor(role), { step: n, checked: true });
      await expect(attempt).rejects.toThrow(ForbiddenError);
      await expect(attempt).rejects.toMatchObject({ status: 403 });
      await expect(attempt).rejects.toThrow(
        new RegExp(`The ${role} role may not set step ${n} .*: only ${who} may$`),
      );
    }
    const { rows } = await db.query("select * from checklist_state where event = $1", [event]);
    expect(rows).toEqual([]);
    expect(await auditRows()).toBe(before);
  });

  it("lets observers act on nothing, not even the observer-role steps 7–9", async () => {
    for (const n of [7, 8, 9]) {
      await expect(setStep(actor("observer"), { step: n, checked: true })).rejects.toThrow(
        `The observer role may not set step ${n}`,
      );
    }
  });

  it("has the database's row-level security agree, as Supabase runs it", async () => {
    const tick = async (role: Role, n: number) =>
      withClaims(db, { sub: role, role: "authenticated", app_metadata: { role } }, (tx) =>
        tx.query(
          "insert into checklist_state (event, step, checked, source, changed_by) values ($1, $2, true, 'manual', $3)",
          [`${event}-${role}-${n}`, n, role],
        ),
      ).then(
        () => "ok",
        () => "refused",
      );
    const outcomes: Record<string, string> = {};
    for (const role of ["observer", "operator", "reviewer", "commander"] as const) {
      for (const n of [1, 7, 10, 11]) outcomes[`${role} ${n}`] = await tick(role, n);
    }
    expect(outcomes).toEqual({
      "observer 1": "refused",
      "observer 7": "refused",
      "observer 10": "refused",
      "observer 11": "refused",
      "operator 1": "ok",
      "operator 7": "refused",
      "operator 10": "refused",
      "operator 11": "refused",
      "reviewer 1": "ok",
      "reviewer 7": "ok",
      "reviewer 10": "ok",
      "reviewer 11": "ok",
      "commander 1": "refused",
      "commander 7": "refused",
      "commander 10": "ok",
      "commander 11": "refused",
    });
  });

  it("refuses everyone while the kill switch is engaged", async () => {
    await setKillSwitchState(db, actor("commander"), "engaged", "drill");
    await expect(setStep(actor("reviewer"), { step: 11, checked: true }))
      .rejects.toThrow(KillSwitchEngagedError)
      .finally(() => setKillSwitchState(db, actor("commander"), "released", "drill over"));
    expect((await step(11)).checked).toBe(false);
  });
});

describe("checklist: unticking and handing back to the evidence", () => {
  it("requires a note to untick a step the evidence verifies, then keeps the person's word", async () => {
    await expect(setStep(actor("operator"), { step: 6, checked: false })).rejects.toThrow(InputError);
    await expect(setStep(actor("operator"), { step: 6, checked: false, note: "  " })).rejects.toThrow(
      /note: expected a note saying why step 6 is unticked.*verified from manifest check/,
    );
    expect((await step(6)).checked).toBe(true);

    const unticked = await setStep(actor("reviewer"), {
      step: 6,
      checked: false,
      note: "re-check after rollback",
    });
    expect(unticked.step).toMatchObject({
      checked: false,
      source: "manual",
      note: "re-check after rollback",
    });
    // The evidence still verifies it, but the person's untick holds.
    expect((await step(6)).verification.status).toBe("verified");
    expect((await step(6)).checked).toBe(false);

    const ticked = await setStep(actor("operator"), { step: 6, checked: true });
    expect(ticked.step).toMatchObject({ checked: true, source: "auto", by: "system" });
  });

  it("unticks a hand-ticked step without a note", async () => {
    await setStep(actor("reviewer"), { step: 11, checked: true });
    const result = await setStep(actor("reviewer"), { step: 11, checked: false });
    expect(result.step).toMatchObject({ checked: false, source: "manual", note: null });
  });

  it("refuses to tick step 12 by hand: a decision ticks it", async () => {
    await expect(setStep(actor("reviewer"), { step: 12, checked: true })).rejects.toThrow(
      /step 12 ticks itself when a Go\/No-Go decision counts/,
    );
  });

  it("writes every change to the audit log", async () => {
    await setStep(actor("operator"), { step: 2, checked: true });
    await setStep(actor("operator"), { step: 2, checked: false, note: "guard red again" });
    const { rows } = await db.query<{ actor: string; action: string; target: string; detail: unknown }>(
      "select actor, action, target, detail from audit_log where detail->>'event' = $1 order by id",
      [event],
    );
    expect(rows).toEqual([
      {
        actor: "operator@example.test",
        action: "checklist.set",
        target: "checklist step 2",
        detail: { event, step: 2, checked: true, source: "manual" },
      },
      {
        actor: "operator@example.test",
        action: "checklist.set",
        target: "checklist step 2",
        detail: { event, step: 2, checked: false, source: "manual", note: "guard red again" },
      },
    ]);
  });
});

describe("checklist: the section of AUTO_OBSERVER_SUMMARY.md", () => {
  const tableRows = (text: string) => text.split("\n").filter((l) => /^\| \d+ \|/.test(l));

  it("writes a table of the twelve steps and replaces it in place on every change", async () => {
    await writeFile(
      paths.observerSummary,
      "# Auto observer summary\n\nIntro.\n\n## Kill switch log\n\n- engaged\n",
    );
    await setStep(actor("operator"), { step: 1, checked: true, note: "a | b" });
    const first = await readFile(paths.observerSummary, "utf8");
    expect(first.split(CHECKLIST_HEADING)).toHaveLength(2);
    expect(first.indexOf(CHECKLIST_HEADING)).toBeLessThan(first.indexOf("## Kill switch log"));
    expect(first).toMatch(/Intro\.\n\n## Handbook checklist\n/);
    expect(first).toMatch(/## Kill switch log\n\n- engaged\n$/);
    expect(tableRows(first)).toHaveLength(12);
    expect(tableRows(first)[0]).toMatch(
      /^\| 1 \| Secrets check .* \| operator \| done \| operator@example\.test \| \S+Z \| a \\\| b \|/,
    );
    expect(tableRows(first)[5]).toMatch(
      /^\| 6 \| .* \| done \(auto\) \| system \| .* verified from manifest check/,
    );

    await setStep(actor("reviewer"), { step: 11, checked: true });
    const second = await readFile(paths.observerSummary, "utf8");
    expect(second.split(CHECKLIST_HEADING)).toHaveLength(2);
    expect(tableRows(second)).toHaveLength(12);
    expect(tableRows(second)[10]).toMatch(/\| 11 \| .* \| reviewer \| done \| reviewer@example\.test \|/);
    expect(second.replace(/\| 11 \|.*\n/, "")).toBe(
      first.replace(/\| 11 \|.*\n/, "").replace("4 of 12", "5 of 12"),
    );
  });

  it("creates the file with its title when it does not exist", async () => {
    await setStep(actor("operator"), { step: 4, checked: true });
    const text = await readFile(paths.observerSummary, "utf8");
    expect(text).toMatch(
      /^# Auto observer summary\n\n## Handbook checklist\n\nEvent `ev\d+`: 4 of 12 steps done\./,
    );
  });
});
