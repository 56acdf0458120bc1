import { promises as fs } from "node:fs";
import { withFileLock, writeFileAtomic } from "./atomic-file";

/**
 * Sections of the event's markdown summaries (PHASE3_AUDIT_SUMMARY.md, AUTO_OBSERVER_SUMMARY.md)
 * that several writers share: each owns a `## Heading` section, replaced in place or appended to,
 * so writing the same content twice leaves the file as it was. Writes take the file's lock and
 * replace it atomically, like the manifest.
 */

export const SUMMARY_TITLES = {
  observer: "# Auto observer summary",
  phase3: "# Phase 3 audit summary",
} as const;

export interface SectionPlacement {
  /** Where a missing section goes: before the first of these headings found, else `fallback`. */
  before?: readonly string[];
  /** "top": before the first `##` section (logs appended at the end stay last); "end": at the end. */
  fallback?: "top" | "end";
}

const isSectionStart = (line: string) => /^#{1,2} /.test(line);

/** [start, end) line indexes of the section whose heading line is exactly `heading`. */
function findSection(lines: readonly string[], heading: string): [number, number] | null {
  const start = lines.findIndex((line) => line.trimEnd() === heading);
  if (start < 0) return null;
  let end = start + 1;
  while (end < lines.length && !isSectionStart(lines[end] ?? "")) end++;
  return [start, end];
}

function normalize(text: string): string[] {
  return text.replace(/\r\n/g, "\n").trimEnd().split("\n");
}

function join(lines: readonly string[]): string {
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}

/** The text with `heading`'s section replaced by `body` (or inserted per `placement`). */
export function upsertMarkdownSection(
  text: string,
  heading: string,
  body: string,
  placement: SectionPlacement = {},
): string {
  const lines = normalize(text);
  const section = [heading, "", ...normalize(body), ""];
  const found = findSection(lines, heading);
  if (found) {
    lines.splice(found[0], found[1] - found[0], ...section);
    return join(lines);
  }
  const anchors = (placement.before ?? [])
    .map((h) => lines.findIndex((line) => line.trimEnd() === h))
    .filter((i) => i >= 0);
  let at = anchors.length > 0 ? Math.min(...anchors) : -1;
  if (at < 0 && placement.fallback === "top") at = lines.findIndex((line) => /^## /.test(line));
  if (at < 0) return join([...lines, "", ...section]);
  lines.splice(at, 0, ...section);
  return join(lines);
}

/**
 * Appends `line` to the end of `heading`'s section (created at the end when missing). A line
 * that contains `key` already is not appended again, so a retried write is harmless.
 */
export function appendToMarkdownSection(text: string, heading: string, line: string, key: string): string {
  const lines = normalize(text);
  const found = findSection(lines, heading);
  if (!found) return join([...lines, "", heading, "", line]);
  const [start, end] = found;
  if (lines.slice(start + 1, end).some((l) => l.includes(key))) return join(lines);
  let last = end;
  while (last > start + 1 && (lines[last - 1] ?? "").trim() === "") last--;
  lines.splice(last, 0, ...(last === start + 1 ? ["", line] : [line]));
  return join(lines);
}

/** One table cell: no pipes or line breaks can break the table. */
export function markdownCell(value: string | null | undefined): string {
  const text = (value ?? "").replace(/\s+/g, " ").trim();
  return text === "" ? "–" : text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|");
}

/**
 * Reads `file` (a missing file starts as `title`), applies `change` and writes the result
 * atomically under the file's lock; an unchanged text is not written again.
 */
export async function updateSummaryFile(
  file: string,
  title: string,
  change: (text: string) => string | Promise<string>,
  options: { signal?: AbortSignal } = {},
): Promise<{ file: string; changed: boolean }> {
  return withFileLock(
    file,
    async () => {
      const current = await fs.readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return null;
        throw new Error(`Cannot read ${file}: ${error.message}`, { cause: error });
      });
      const next = await change(current ?? `${title}\n`);
      if (next === current) return { file, changed: false };
      options.signal?.throwIfAborted();
      await writeFileAtomic(file, next, { backup: false });
      return { file, changed: true };
    },
    { signal: options.signal },
  );
}
