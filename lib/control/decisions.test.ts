import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/support/test-database";
import { getEventPaths, type EventPaths } from "../config/paths";
import { parseSettings } from "../config/settings";
import type { Database } from "../db";
import { ForbiddenError, InputError } from "../errors";
import { postSlackSummary } from "../notify/slack";
import { generateSampleEvent } from "../sample/generate";
import { runAction } from "./action";
import { getChecklist } from "./checklist";
import { setChecklistStepAction } from "./checklist-actions";
import { evaluateQualityGate } from "./decisions";
import { recordDecisionAction } from "./decisions-actions";
import { CHANGE_LOG_HEADING, DECISION_HEADING, writeDecisionSummary } from "./decisions-markdown";
import { getDecisionStatus, listDecisions } from "./decisions-store";
import { setKillSwitchState } from "./kill-switch";
import { retryGuardAction } from "./retry-guard-action";
import { secretsCheckAction } from "./secrets-check-actions";
import type { Actor, Role } from "./roles";

const person = (role: Role, name: string): Actor => ({
  id: name,
  email: `${name}@example.test`,
  role,
  via: "web",
});
const alice = person("reviewer", "alice");
const bob = person("reviewer", "bob");
const operator = person("operator", "olga");

let root: string;
let paths: EventPaths;
let db: Database;
// One database for the file (opening one costs about a second); each test works on its own event.
let event = "";
let count = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "auditloop-decisions-"));
  paths = getEventPaths(parseSettings({ AUDIT_EVENT: "ev" }), root);
  await generateSampleEvent({ dir: paths.dir, root, event: "ev", runs: 30 });
  db = await openTestDatabase();
});

afterAll(async () => {
  await db.close();
  await rm(root, { recursive: true, force: true });
});

beforeEach(async () => {
  event = `ev${++count}`;
  await rm(paths.phase3Summary, { force: true });
  await rm(paths.observerSummary, { force: true });
});

type DecisionInput = {
  decision: "go" | "no_go";
  rationale?: string;
  override?: boolean;
  requireTwoReviewers?: boolean;
};
const decide = (who: Actor, input: DecisionInput) =>
  runAction(recordDecisionAction, { actor: who, db, input: { event, files: paths, ...input } });

/** Ticks steps 1–11 (the sample event verifies 3, 5 and 6 itself); checklist.test.ts covers the action. */
async function completeChecklist(): Promise<void> {
  await db.query(
    `insert into checklist_state (event, step, checked, source, changed_by)
     select $2, s, true, 'manual', 'alice@example.test' from unnest($1::int[]) s`,
    [[1, 2, 4, 7, 8, 9, 10, 11], event],
  );
  // The gate's KPI checks read the event's runs of the last 7 days: one clean run passes them.
  await db.query(
    `insert into runs (event, run_id, trigger_mode, status, sha_parity, retries, run_started_at_utc,
       run_completed_at_utc, duration_sec)
     values ($1, 'clean-run', 'scheduled', 'success', true, 0, now() - interval '2 hours', now() - interval '1 hour', 60)`,
    [event],
  );
  // Step 7 verifies from the event's last observer run (its KPI snapshot).
  await db.query(
    `insert into kpi_snapshots (event, observer_run_id, as_of, window_days, kpis)
     values ($1, 'obs-clean', now(), 7, '{"total_runs": 1}')`,
    [event],
  );
  // Steps 1 and 9 verify from their evidence: a passing secrets check, a landed upsert, an excerpt.
  // The upsert's retry_history row is step 8's evidence too (no retry outside 5xx/429).
  await runAction(secretsCheckAction(parseSettings({})), { actor: alice, db, input: {} });
  // Step 4 verifies from the event's last collection dry run (lib/collect/checklist-step.ts).
  await db.query(
    `insert into collections (event, run_id, run_attempt, artifact_id, artifact_name, state, actor, dry_run, finished_at)
     values ($1, 'clean-run', 1, '1', 'bundle', 'done', 'olga@example.test', true, now())`,
    [event],
  );
  // Step 2 verifies from the last retry guard run.
  const policy = path.resolve(__dirname, "../../docs/retry-policy.md");
  await runAction(retryGuardAction(policy, "docs/retry-policy.md"), { actor: operator, db, input: {} });
  await db.query(
    "insert into retry_history (service, operation, run_id, attempt, status_code, decision) values ('supabase', 'upsert', 'clean-run', 1, 201, 'success')",
  );
  await postSlackSummary({
    settings: parseSettings({}),
    paths,
    runId: "clean-run",
    status: "success",
    summary: "ok",
  });
}

describe("quality gate at the moment of decision", () => {
  it("fails while steps are open, listing each one, and passes the kill switch check when armed", async () => {
    const { gate } = await evaluateQualityGate(db, event, paths);
    expect(gate.status).toBe("fail");
    expect(gate.reasons.map((r) => [r.check, r.outcome])).toEqual([
      ["checklist.complete", "fail"],
      ["killswitch", "pass"],
      ["kpi", "not_evaluated"],
    ]);
    expect(gate.reasons[0]?.message).toMatch(
      /^Checklist incomplete: 8 step\(s\) open: 1 \(Secrets check.*, 11 \(PHASE3/,
    );
  });

  it("passes once steps 1–11 are ticked (step 12 is the decision itself)", async () => {
    await completeChecklist();
    const { gate } = await evaluateQualityGate(db, event, paths);
    expect(gate.status).toBe("pass");
    expect(gate.reasons[0]).toMatchObject({
      outcome: "pass",
      message: "Checklist complete (steps 1–11 ticked)",
    });
  });

  it("fails while the kill switch is engaged, naming who and why", async () => {
    await completeChecklist();
    const commander = person("commander", "ic");
    await setKillSwitchState(db, commander, "engaged", "parity drift");
    const { gate } = await evaluateQualityGate(db, event, paths).finally(() =>
      setKillSwitchState(db, commander, "released", "test over"),
    );
    expect(gate.status).toBe("fail");
    expect(gate.reasons[1]).toMatchObject({
      outcome: "fail",
      message: expect.stringMatching(/^Kill switch engaged by ic@example\.test at \S+: parity drift$/),
    });
  });

  it("warns when a step is ticked by hand although its evidence does not verify it", async () => {
    await completeChecklist();
    const other = getEventPaths(
      parseSettings({ AUDIT_EVENT: "ev" }),
      await mkdtemp(path.join(root, "bare-")),
    );
    // Step 9's excerpts live in the event folder: the bare one gets its own.
    await postSlackSummary({
      settings: parseSettings({}),
      paths: other,
      runId: "r1",
      status: "success",
      summary: "ok",
    });
    for (const step of [3, 5, 6]) {
      await runAction(setChecklistStepAction, {
        actor: alice,
        db,
        input: { event, files: other, step, checked: true },
      });
    }
    const { gate } = await evaluateQualityGate(db, event, other);
    expect(gate.status).toBe("warn");
    expect(gate.reasons.filter((r) => r.outcome === "warn").map((r) => r.check)).toEqual([
      "checklist.step3.evidence",
      "checklist.step5.evidence",
      "checklist.step6.evidence",
    ]);
  });
});

describe("recording a decision", () => {
  it("records go when the gate passes, stores the gate, ticks step 12 and writes the audit log", async () => {
    await completeChecklist();
    const { decision, gate, warnings } = await decide(alice, { decision: "go" });
    expect(warnings).toEqual([]);
    expect(gate.status).toBe("pass");
    expect(decision).toMatchObject({
      decision: "go",
      gateStatus: "pass",
      override: false,
      decidedBy: "alice@example.test",
      decidedRole: "reviewer",
      state: "effective",
      supersedes: null,
    });
    const step12 = (await getChecklist(db, event, paths)).steps[11];
    expect(step12).toMatchObject({ checked: true, source: "auto" });
    const { rows } = await db.query<{ action: string; target: string }>(
      "select action, target from audit_log where action = 'decision.record' and detail->>'event' = $1",
      [event],
    );
    expect(rows).toEqual([{ action: "decision.record", target: `decision #${decision.id}` }]);
  });

  it("requires a rationale for no_go", async () => {
    await expect(decide(alice, { decision: "no_go" })).rejects.toThrow(
      /rationale: expected a rationale for no_go/,
    );
    await expect(decide(alice, { decision: "no_go", rationale: "   " })).rejects.toThrow(InputError);
    const { decision } = await decide(alice, {
      decision: "no_go",
      rationale: "parity failures not explained",
    });
    expect(decision).toMatchObject({ decision: "no_go", gateStatus: "fail", override: false });
  });

  it("refuses go on a failing gate unless overridden with a rationale, then records the override", async () => {
    await expect(decide(alice, { decision: "go" })).rejects.toThrow(
      /override: the quality gate fails \(Checklist incomplete: .*\); to record go anyway/,
    );
    await expect(decide(alice, { decision: "go", override: true })).rejects.toThrow(
      /rationale: expected a rationale for overriding the failing quality gate/,
    );
    expect(await listDecisions(db, event)).toEqual([]);
    const { decision } = await decide(alice, {
      decision: "go",
      override: true,
      rationale: "steps 7–9 wait for the observer; accepted",
    });
    expect(decision).toMatchObject({ decision: "go", gateStatus: "fail", override: true });
  });

  it("refuses roles other than reviewer with a 403", async () => {
    for (const role of ["observer", "operator", "commander"] as const) {
      await expect(decide(person(role, role), { decision: "no_go", rationale: "x" })).rejects.toThrow(
        ForbiddenError,
      );
    }
    expect(await listDecisions(db, event)).toEqual([]);
  });

  it("never edits a decision: each new one supersedes the current one, history newest first", async () => {
    const first = await decide(alice, { decision: "no_go", rationale: "one" });
    const second = await decide(bob, { decision: "no_go", rationale: "two" });
    await completeChecklist();
    const third = await decide(alice, { decision: "go" });
    const history = await listDecisions(db, event);
    expect(history.map((d) => [d.id, d.supersedes])).toEqual([
      [third.decision.id, second.decision.id],
      [second.decision.id, first.decision.id],
      [first.decision.id, null],
    ]);
    await expect(
      db.query("update decisions set rationale = 'changed' where event = $1", [event]),
    ).rejects.toThrow(/append-only/);
    expect((await getDecisionStatus(db, event)).standing?.id).toBe(third.decision.id);
  });
});

describe("two distinct reviewers for go", () => {
  const go = { decision: "go" as const, requireTwoReviewers: true };

  beforeEach(async () => {
    await completeChecklist();
  });

  it("records the first reviewer's go as awaiting, and the second reviewer's go confirms it", async () => {
    const first = await decide(alice, go);
    expect(first.decision).toMatchObject({
      state: "awaiting_second_reviewer",
      confirms: null,
      twoReviewerRule: true,
    });
    let status = await getDecisionStatus(db, event);
    expect(status).toMatchObject({ awaitingSecondReviewer: true, standing: null });
    expect((await getChecklist(db, event, paths)).steps[11]).toMatchObject({
      checked: false,
      verification: { detail: expect.stringMatching(/awaits a second reviewer/) },
    });

    const second = await decide(bob, go);
    expect(second.decision).toMatchObject({ state: "effective", confirms: first.decision.id });
    status = await getDecisionStatus(db, event);
    expect(status).toMatchObject({ awaitingSecondReviewer: false });
    expect(status.standing?.id).toBe(second.decision.id);
  });

  it("does not count the same reviewer twice (whatever the e-mail's case)", async () => {
    await decide(alice, go);
    const again = await decide({ ...alice, email: "ALICE@example.test" }, go);
    expect(again.decision.state).toBe("awaiting_second_reviewer");
  });

  it("does not confirm across another decision in between, and the standing no_go holds meanwhile", async () => {
    await decide(alice, go);
    const noGo = await decide(bob, { decision: "no_go", rationale: "wait for the re-run" });
    const late = await decide(alice, go);
    expect(late.decision.state).toBe("awaiting_second_reviewer");
    expect((await getDecisionStatus(db, event)).standing?.id).toBe(noGo.decision.id);
  });

  it("reads the setting from true/1 and defaults to off", () => {
    const rule = (value?: string) =>
      parseSettings({ AUDIT_GO_REQUIRES_TWO_REVIEWERS: value }).AUDIT_GO_REQUIRES_TWO_REVIEWERS;
    expect([rule(), rule(""), rule("false"), rule("0"), rule("true"), rule("1"), rule(" TRUE ")]).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
      true,
    ]);
    expect(() => rule("yes please")).toThrow(/AUDIT_GO_REQUIRES_TWO_REVIEWERS: expected true, 1, false or 0/);
  });

  it("counts a single go at once when the setting is off", async () => {
    const { decision } = await decide(alice, { decision: "go" });
    expect(decision).toMatchObject({ state: "effective", twoReviewerRule: false });
  });
});

describe("PHASE3_AUDIT_SUMMARY.md", () => {
  it("replaces the Go/No-Go section in place and appends one change-log line per decision", async () => {
    await writeFile(paths.phase3Summary, "# Phase 3 audit summary\n\n## KPIs\n\nsuccess_rate 0.97\n");
    const first = await decide(alice, { decision: "no_go", rationale: "line one\nline two" });
    await completeChecklist();
    const second = await decide(bob, { decision: "go", requireTwoReviewers: true });
    const text = await readFile(paths.phase3Summary, "utf8");
    expect(text.split(DECISION_HEADING)).toHaveLength(2);
    expect(text.split(CHANGE_LOG_HEADING)).toHaveLength(2);
    expect(text).toMatch(/^# Phase 3 audit summary\n\n## KPIs\n\nsuccess_rate 0\.97\n\n## Go\/No-Go\n/);
    expect(text.indexOf(DECISION_HEADING)).toBeLessThan(text.indexOf(CHANGE_LOG_HEADING));
    expect(text).toContain(`**Awaiting a second reviewer: GO** — decision #${second.decision.id}`);
    expect(text).toContain(`Standing decision until then: **NO-GO** (decision #${first.decision.id}`);
    expect(text).toContain("Quality gate at the decision: **PASS**");
    expect(text).not.toContain("line one");
    const log = text
      .slice(text.indexOf(CHANGE_LOG_HEADING))
      .split("\n")
      .filter((l) => l.startsWith("- "));
    expect(log).toHaveLength(2);
    expect(log[0]).toMatch(
      new RegExp(
        `^- \\S+Z Go/No-Go decision #${first.decision.id}: NO-GO by alice@example\\.test \\(reviewer\\), gate fail, effective$`,
      ),
    );
    expect(log[1]).toMatch(
      /GO by bob@example\.test \(reviewer\), gate pass, awaiting a second reviewer, supersedes #/,
    );
  });

  it("writes the same decision twice without changing the file", async () => {
    const { decision } = await decide(alice, { decision: "no_go", rationale: "hold | wait" });
    const before = await readFile(paths.phase3Summary, "utf8");
    expect(before).toContain("> hold | wait");
    const again = await writeDecisionSummary(paths.phase3Summary, decision, () => listDecisions(db, event));
    expect(again.changed).toBe(false);
    expect(await readFile(paths.phase3Summary, "utf8")).toBe(before);
  });

  it("keeps the decision when the summary cannot be written, and says so", async () => {
    // A path under a regular file cannot be created: the write fails after the record is made.
    const files = { ...paths, phase3Summary: path.join(paths.runsSummary, "PHASE3_AUDIT_SUMMARY.md") };
    const result = await runAction(recordDecisionAction, {
      actor: alice,
      db,
      input: { event, files, decision: "no_go", rationale: "blocked file" },
    });
    expect(result.warnings).toEqual([
      expect.stringMatching(/^Recorded, but PHASE3_AUDIT_SUMMARY\.md was not updated: /),
    ]);
    expect(await listDecisions(db, event)).toHaveLength(1);
  });
});
