"use server";

import { redirect } from "next/navigation";
import { assertSameOriginRequest } from "../action-client";
import { endSession } from "../session";

/** The header's sign-out button (a plain form: works without JavaScript). */
export async function signOut(): Promise<void> {
  await assertSameOriginRequest();
  await endSession();
  redirect("/login");
}
