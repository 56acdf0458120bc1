import { describe, expect, it } from "vitest";
import { computeQualityGate, type QualityGateInput } from "./quality-gate";

const clean: QualityGateInput = {
  checklist: { open: [], unverifiedTicks: [] },
  killSwitch: { state: "armed", changedBy: null, changedAt: "2025-11-14T00:00:00.000Z", reason: null },
};

const kpis = {
  observerRunId: "obs-1",
  shaParityPassRate: 1,
  successRate: 0.96,
  retriesExhaustedCount: 0,
  lateHealCount: 0,
};

describe("quality gate", () => {
  it("passes with a complete checklist and an armed kill switch; KPI checks wait for an observer run", () => {
    const gate = computeQualityGate(clean);
    expect(gate.status).toBe("pass");
    expect(gate.reasons.map((r) => r.outcome)).toEqual(["pass", "pass", "not_evaluated"]);
  });

  it("lists every reason and takes the worst outcome", () => {
    const gate = computeQualityGate({
      ...clean,
      checklist: {
        open: [{ step: 11, title: "PHASE3_AUDIT_SUMMARY.md finalised" }],
        unverifiedTicks: [{ step: 6, title: "_manifest.json validated", detail: "manifest check failed: x" }],
      },
      killSwitch: { ...clean.killSwitch, state: "engaged", changedBy: "ic@x.test", reason: "drift" },
    });
    expect(gate.status).toBe("fail");
    expect(gate.reasons.map((r) => [r.check, r.outcome])).toEqual([
      ["checklist.complete", "fail"],
      ["checklist.step6.evidence", "warn"],
      ["killswitch", "fail"],
      ["kpi", "not_evaluated"],
    ]);
    expect(gate.reasons[0]?.message).toBe(
      "Checklist incomplete: 1 step(s) open: 11 (PHASE3_AUDIT_SUMMARY.md finalised)",
    );
    expect(gate.reasons[2]?.message).toMatch(/^Kill switch engaged by ic@x\.test at .*: drift$/);
  });

  it("warns, not fails, on a hand tick the evidence contradicts", () => {
    const gate = computeQualityGate({
      ...clean,
      checklist: { open: [], unverifiedTicks: [{ step: 3, title: "t", detail: "no manual runs" }] },
    });
    expect(gate.status).toBe("warn");
  });

  it("applies the KPI thresholds of DESIGN §6 when the observer supplies KPIs", () => {
    expect(computeQualityGate({ ...clean, kpis }).status).toBe("pass");
    const gate = computeQualityGate({
      ...clean,
      kpis: {
        ...kpis,
        shaParityPassRate: 0.98,
        successRate: 0.9,
        retriesExhaustedCount: 2,
        lateHealCount: 1,
      },
    });
    expect(gate.status).toBe("fail");
    expect(gate.reasons.filter((r) => r.outcome === "fail").map((r) => r.message)).toEqual([
      "SHA parity pass rate 98 % (threshold 100 %)",
      "Success rate 90 % (threshold 95 %)",
      "2 run(s) exhausted their retries",
      "1 run(s) healed later than 24 h",
    ]);
    expect(computeQualityGate({ ...clean, kpis: { ...kpis, successRate: null } }).status).toBe("warn");
  });
});
