import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { keysForTable, queryKeys } from "./keys";
import { LIVE_TABLES } from "./tables";

describe("query keys by table", () => {
  it("gives every live table its own keys under the app's root key", () => {
    for (const table of LIVE_TABLES) {
      const keys = keysForTable(table);
      expect(keys.length, table).toBeGreaterThan(0);
      for (const key of keys) expect(key.slice(0, 1)).toEqual(queryKeys.all);
    }
  });

  it("lets the banner's key go stale only when the switch itself changes", () => {
    // (and the KPI view's, whose quality gate reads the switch)
    expect(keysForTable("kill_switch")).toEqual([
      ["auditloop", "kill-switch", "state"],
      ["auditloop", "kpis"],
    ]);
    expect(keysForTable("kill_switch_events")).toEqual([["auditloop", "kill-switch", "events"]]);
    // A mutation invalidating the prefix reaches both.
    expect(queryKeys.killSwitchState().slice(0, 2)).toEqual(queryKeys.killSwitch());
  });

  it("makes everything stale for a table it does not know", () => {
    expect(keysForTable("somewhere_else")).toEqual([queryKeys.all]);
  });

  it("makes every window of the KPI view stale when a run or a metrics row changes, and only then", async () => {
    expect(queryKeys.kpis(7)).toEqual(["auditloop", "kpis", 7]);
    // The live updates' own call, on a real React Query cache.
    const staleAfter = async (table: string) => {
      const client = new QueryClient();
      for (const days of [1, 7, 30]) client.setQueryData(queryKeys.kpis(days), { days });
      client.setQueryData(queryKeys.runs(), []);
      for (const queryKey of keysForTable(table)) await client.invalidateQueries({ queryKey });
      return [1, 7, 30].map((days) => client.getQueryState(queryKeys.kpis(days))?.isInvalidated);
    };
    expect(await staleAfter("runs")).toEqual([true, true, true]);
    expect(await staleAfter("phase4_audit_metrics")).toEqual([true, true, true]);
    expect(await staleAfter("audit_log")).toEqual([false, false, false]);
  });
});
