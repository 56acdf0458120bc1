import { z } from "zod";
import { defineAction } from "./action";
import { createAccount } from "./accounts";
import { roleSchema } from "./roles";

/**
 * Account management as an action (DESIGN §2): the CLI's `users add` runs it through runAction,
 * so adding a person is authorised (users.manage), refused while the kill switch is engaged and
 * written to the audit log, which names the account and role, never the password.
 */
export const addUserAction = defineAction({
  name: "users.add",
  permission: "users.manage",
  schema: z.object({
    email: z.string().min(1, "an e-mail address"),
    role: roleSchema,
    /** Absent: one is generated and returned once. */
    password: z.string().optional(),
  }),
  run: ({ input, db }) => createAccount(db, input),
  audit: (input, output) => ({
    target: output.account.email,
    detail: { role: input.role, password: input.password === undefined ? "generated" : "given" },
  }),
});
