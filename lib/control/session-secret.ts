import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The key that signs embedded-mode session cookies: 32 random bytes kept in AUDIT_DATA_DIR
 * (mode 0600), made on first use. Deleting the file signs everyone out.
 */
export function loadSessionSecret(dataDir: string): Buffer {
  const file = path.join(dataDir, "session-secret");
  try {
    const hex = readFileSync(file, "utf8").trim();
    if (/^[0-9a-f]{64}$/.test(hex)) return Buffer.from(hex, "hex");
  } catch {
    // first start: make one below
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32);
  try {
    writeFileSync(file, secret.toString("hex"), { mode: 0o600, flag: "wx" });
    return secret;
  } catch {
    // Another process made it first: use theirs.
    return Buffer.from(readFileSync(file, "utf8").trim(), "hex");
  }
}
