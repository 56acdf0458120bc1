import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../lib/db";
import { withClaims, type JwtClaims } from "../lib/db/as-user";
import { startPostgres, type PostgresServer } from "./support/postgres-server";

/**
 * Row-level security as Supabase runs it (roles anon/authenticated, auth.jwt() from
 * request.jwt.claims), on the embedded database and on a PostgreSQL server.
 */
const ROLES = ["observer", "operator", "reviewer", "commander"] as const;
type Role = (typeof ROLES)[number];

const claims = (role: string, where: "app_metadata" | "user_metadata" = "app_metadata"): JwtClaims => ({
  sub: "00000000-0000-4000-8000-000000000001",
  email: `${role}@example.test`,
  role: "authenticated",
  [where]: { role },
});

async function attempt(
  db: Database,
  who: JwtClaims | null,
  sql: string,
  params: unknown[] = [],
): Promise<"ok" | "refused"> {
  try {
    await withClaims(db, who, (tx) => tx.query(sql, params));
    return "ok";
  } catch {
    return "refused";
  }
}

const WRITES: { what: string; sql: string; params?: unknown[]; allowed: Role[] }[] = [
  {
    what: "insert a metrics row",
    sql: "insert into phase4_audit_metrics (run_id, status) values ($1, 'success')",
    params: [`m-${Math.random()}`],
    allowed: ["operator"],
  },
  {
    what: "tick checklist step 1 (an operator step)",
    sql: "insert into checklist_state (event, step, checked, source, changed_by) values ($1, 1, true, 'manual', 'x') on conflict (event, step) do update set checked = excluded.checked",
    params: [`e-${Math.random()}`],
    allowed: ["operator", "reviewer"],
  },
  {
    what: "tick checklist step 11 (a reviewer step)",
    sql: "insert into checklist_state (event, step, checked, source, changed_by) values ($1, 11, true, 'manual', 'x')",
    params: [`e-${Math.random()}`],
    allowed: ["reviewer"],
  },
  {
    what: "record a decision",
    sql: "insert into decisions (event, decision, gate_status, decided_by, decided_role) values ('e', 'go', 'pass', 'x', 'reviewer')",
    allowed: ["reviewer"],
  },
  {
    what: "record a runs mirror's bookkeeping",
    sql: "insert into runs_mirror_state (event, digest) values ($1, 'd')",
    params: [`e-${Math.random()}`],
    allowed: ["operator"],
  },
  {
    what: "engage the kill switch",
    sql: "update kill_switch set state = 'armed', changed_by = 'x' where id returning id",
    allowed: ["commander"],
  },
];

function suite(name: string, open: () => Promise<Database>) {
  describe(`row-level security on ${name}`, () => {
    let db: Database;
    beforeAll(async () => {
      db = await open();
    }, 60_000);
    afterAll(async () => {
      await db?.close();
    });

    for (const role of ROLES) {
      it(`lets ${role} read every table`, async () => {
        for (const table of [
          "runs",
          "runs_mirror_state",
          "phase4_audit_metrics",
          "checklist_state",
          "decisions",
          "kill_switch",
          "audit_log",
        ]) {
          expect(await attempt(db, claims(role), `select * from ${table}`), table).toBe("ok");
        }
      });
    }

    it("shows nothing to anon and to a role held only in user_metadata", async () => {
      for (const who of [null, claims("commander", "user_metadata")]) {
        const rows = await withClaims(db, who, (tx) => tx.query("select * from kill_switch")).catch(() => ({
          rows: [],
        }));
        expect(rows.rows).toEqual([]);
      }
    });

    for (const write of WRITES) {
      it(`allows only ${write.allowed.join(", ")} to ${write.what}`, async () => {
        const outcome = async (who: JwtClaims): Promise<"ok" | "refused"> => {
          try {
            const result = await withClaims(db, who, (tx) => tx.query(write.sql, write.params ?? []));
            // An UPDATE that RLS filters to no rows "succeeds" with 0 rows: that is a refusal.
            return write.sql.startsWith("update") && result.rows.length === 0 ? "refused" : "ok";
          } catch {
            return "refused";
          }
        };
        for (const role of ROLES) {
          expect(await outcome(claims(role)), `${role} ${write.what}`).toBe(
            write.allowed.includes(role) ? "ok" : "refused",
          );
          // A role that users can set themselves (user_metadata) grants nothing.
          expect(await outcome(claims(role, "user_metadata")), `user_metadata ${role}`).toBe("refused");
        }
      });
    }

    it("refuses UPDATE and DELETE on the audit log for every client role", async () => {
      await withClaims(db, claims("operator"), (tx) =>
        tx.query(
          "insert into audit_log (actor, role, action) values ('operator@example.test', 'operator', 'test')",
        ),
      );
      for (const role of ROLES) {
        expect(await attempt(db, claims(role), "update audit_log set action = 'x'")).toBe("refused");
        expect(await attempt(db, claims(role), "delete from audit_log")).toBe("refused");
      }
    });

    it("refuses an audit row claiming another role", async () => {
      expect(
        await attempt(
          db,
          claims("observer"),
          "insert into audit_log (actor, role, action) values ('o', 'commander', 'x')",
        ),
      ).toBe("refused");
    });
  });
}

suite("PGlite (embedded)", () => openDatabase({ DATABASE_URL: undefined, AUDIT_DATA_DIR: "memory://" }));

let server: PostgresServer | undefined;
afterAll(async () => {
  await server?.stop();
});
suite("PostgreSQL (DATABASE_URL)", async () => {
  server = await startPostgres();
  return openDatabase({ DATABASE_URL: server.url, AUDIT_DATA_DIR: ".data" });
});
