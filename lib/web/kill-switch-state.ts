import "server-only";
import { connection } from "next/server";
import { cache } from "react";
import { getSettings } from "../config/settings";
import { getKillSwitchStatus, type KillSwitchStatus } from "../control/kill-switch";
import { getDatabase } from "../db";

/**
 * The kill switch as pages show it: the banner on every page, and whether mutating controls are
 * disabled. Read once per request (the layout and the page share it) and at request time only.
 */
export type KillSwitchBanner =
  | { state: "engaged"; by: string; at: string; reason: string }
  | { state: "armed" | "released" }
  | { state: "unknown"; error: string };

export const getKillSwitchBanner = cache(async (): Promise<KillSwitchBanner> => {
  await connection();
  let status: KillSwitchStatus;
  try {
    status = await getKillSwitchStatus(await getDatabase(getSettings()));
  } catch (error) {
    console.error("kill switch state could not be read:", error);
    return { state: "unknown", error: "the database could not be reached" };
  }
  if (status.state !== "engaged") return { state: status.state };
  return {
    state: "engaged",
    by: status.changedBy ?? "unknown",
    at: status.changedAt,
    reason: status.reason ?? "no reason given",
  };
});

/**
 * For pages with mutating controls: disable them while this is true. The server refuses the
 * action anyway (runAction); this only keeps the UI honest.
 */
export async function isKillSwitchEngaged(): Promise<boolean> {
  return (await getKillSwitchBanner()).state === "engaged";
}
