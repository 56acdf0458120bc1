import { z } from "zod";
import { hasSecretShape, hasUrl } from "../notify/patterns";
import { utcTimestampZ as utcTimestamp } from "./utc-timestamp";

/** Evidence entries of _manifest.json (DESIGN §3). */
export const EVIDENCE_TYPES = ["artifact", "provenance", "log", "supabase"] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

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
