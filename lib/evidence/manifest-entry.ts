import { z } from "zod";
import { hasSecretShape, hasUrl } from "../notify/patterns";

/** Evidence entries of _manifest.json (DESIGN §3). */
export const EVIDENCE_TYPES = ["artifact", "provenance", "log", "supabase"] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

const utcTimestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/, "an ISO 8601 UTC timestamp ending in Z")
  .refine(isRealDateTime, "a real calendar date and time");

/** Date.parse rolls 2025-02-30 over to March 2, so the fields are checked (cheaply: hot path). */
function isRealDateTime(v: string): boolean {
  const year = Number(v.slice(0, 4));
  const month = Number(v.slice(5, 7));
  const day = Number(v.slice(8, 10));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  const hour = Number(v.slice(11, 13));
  const minute = Number(v.slice(14, 16));
  const second = Number(v.slice(17, 19));
  return month >= 1 && month <= 12 && day >= 1 && day <= days && hour <= 23 && minute <= 59 && second <= 59;
}

export const artifactPathSchema = z
  .string()
  .min(1, "a path relative to the repository root")
  .refine((p) => !p.startsWith("/") && !/^[A-Za-z]:/.test(p) && !p.startsWith("\\"), {
    message: "a path relative to the repository root, not an absolute path",
  })
  .refine((p) => !p.split(/[\\/]/).includes(".."), { message: "a path without '..'" })
  .refine((p) => !p.includes("\0"), { message: "a path without NUL bytes" });

export const manifestNotesSchema = z
  .string()
  .max(200, "at most 200 characters")
  .refine((n) => !hasUrl(n), { message: "no URLs" })
  .refine((n) => !hasSecretShape(n), { message: "no secret-shaped strings (tokens, JWTs)" });

export const manifestEntrySchema = z.object({
  run_id: z.string().min(1, "a non-empty run id").max(100),
  artifact_path: artifactPathSchema,
  evidence_type: z.enum(EVIDENCE_TYPES),
  recorded_at_utc: utcTimestamp,
  sha_parity: z.union([z.boolean(), z.literal("unknown")]),
  notes: manifestNotesSchema,
});

export type ManifestEntry = z.infer<typeof manifestEntrySchema>;

export const manifestSchema = z.object({
  generated_at_utc: utcTimestamp,
  entries: z.array(manifestEntrySchema),
});

export type Manifest = z.infer<typeof manifestSchema>;
