import { z } from "zod";

/** The four roles of DESIGN §1 and what each may do; the UI only hides, the server decides. */
export const ROLES = ["observer", "operator", "reviewer", "commander"] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** Who performs an action: a signed-in person, or the CLI acting with the machine's authority. */
export interface Actor {
  id: string;
  email: string;
  /** "service" is the CLI and the scheduled workflow: they hold the machine's credentials. */
  role: Role | "service";
  via: "web" | "cli";
}

export const PERMISSIONS = {
  "runs.import": ["operator"],
  "manifest.update": ["operator"],
  "manifest.rollback": ["operator", "commander"],
  "collect.run": ["operator"],
  "retry.guard": ["operator"],
  "observer.report": ["operator", "observer"],
  "notify.slack": ["operator", "observer"],
  // Reads settings and records only names with present/missing: everyone may run it.
  "secrets.check": ["operator", "observer", "reviewer", "commander"],
  "metrics.upsert": ["operator", "observer"],
  // Observers are refused per step by the checklist action itself, which names who may set it.
  "checklist.set": ["operator", "observer", "reviewer", "commander"],
  "decision.record": ["reviewer"],
  "killswitch.engage": ["commander"],
  "killswitch.release": ["commander"],
  "users.manage": ["commander"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function isAllowed(actor: Pick<Actor, "role">, permission: Permission): boolean {
  if (actor.role === "service") return true;
  return (PERMISSIONS[permission] as readonly Role[]).includes(actor.role);
}
