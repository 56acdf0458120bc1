import { describe, expect, it } from "vitest";
import { InputError } from "../../errors";
import { actorFromSupabaseClaims, roleFromAppMetadata } from "./claims";
import { getSupabaseAuthConfig } from "./config";

const id = "0c4d2f3e-8a1b-4c5d-9e6f-7a8b9c0d1e2f";

describe("Supabase claims to actor", () => {
  it("reads the role from app_metadata", () => {
    expect(
      actorFromSupabaseClaims({ sub: id, email: "rev@example.test", app_metadata: { role: "reviewer" } }),
    ).toEqual({ id, email: "rev@example.test", role: "reviewer", via: "web" });
  });

  it("accepts the user object's id as well as the JWT's sub", () => {
    expect(
      actorFromSupabaseClaims({ id, email: "c@example.test", app_metadata: { role: "commander" } }),
    ).toEqual({
      id,
      email: "c@example.test",
      role: "commander",
      via: "web",
    });
  });

  it("ignores a role in user_metadata, which users set themselves", () => {
    expect(
      actorFromSupabaseClaims({ sub: id, email: "x@example.test", user_metadata: { role: "commander" } }),
    ).toBeNull();
    expect(
      actorFromSupabaseClaims({
        sub: id,
        email: "x@example.test",
        app_metadata: { role: "observer" },
        user_metadata: { role: "commander" },
      }),
    ).toMatchObject({ role: "observer" });
  });

  it("refuses an unknown role, a missing app_metadata and a missing id", () => {
    expect(roleFromAppMetadata({ role: "admin" })).toBeNull();
    expect(roleFromAppMetadata({ role: "service" })).toBeNull();
    expect(roleFromAppMetadata({ roles: ["commander"] })).toBeNull();
    expect(roleFromAppMetadata(null)).toBeNull();
    expect(roleFromAppMetadata("commander")).toBeNull();
    expect(
      actorFromSupabaseClaims({ email: "x@example.test", app_metadata: { role: "observer" } }),
    ).toBeNull();
  });

  it("names a user without an e-mail by id", () => {
    expect(actorFromSupabaseClaims({ sub: id, app_metadata: { role: "observer" } })).toMatchObject({
      email: `supabase:${id}`,
    });
  });
});

describe("sign-in mode", () => {
  it("is local accounts without NEXT_PUBLIC_SUPABASE_URL, Supabase with both variables", () => {
    expect(getSupabaseAuthConfig({})).toBeNull();
    expect(
      getSupabaseAuthConfig({
        NEXT_PUBLIC_SUPABASE_URL: "https://abc.supabase.co",
        NEXT_PUBLIC_SUPABASE_ANON_KEY: "anon",
      }),
    ).toEqual({ url: "https://abc.supabase.co", anonKey: "anon" });
  });

  it("fails fast naming the anon key when only the URL is set", () => {
    expect(() => getSupabaseAuthConfig({ NEXT_PUBLIC_SUPABASE_URL: "https://abc.supabase.co" })).toThrow(
      new InputError(
        "NEXT_PUBLIC_SUPABASE_ANON_KEY: expected the Supabase project's anon key when NEXT_PUBLIC_SUPABASE_URL is set",
      ),
    );
  });
});
