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
    expect(keysForTable("kill_switch")).toEqual([["auditloop", "kill-switch", "state"]]);
    expect(keysForTable("kill_switch_events")).toEqual([["auditloop", "kill-switch", "events"]]);
    // A mutation invalidating the prefix reaches both.
    expect(queryKeys.killSwitchState().slice(0, 2)).toEqual(queryKeys.killSwitch());
  });

  it("makes everything stale for a table it does not know", () => {
    expect(keysForTable("somewhere_else")).toEqual([queryKeys.all]);
  });
});
