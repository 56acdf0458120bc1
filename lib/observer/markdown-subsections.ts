import { upsertMarkdownSection, type SectionPlacement } from "../evidence/event-summaries";

/**
 * What the observer report needs beyond event-summaries.ts: a `##` section created only when
 * missing (the manual sections, the change log), and `###` subsections inside a `##` section
 * replaced in place (one per observer run), the others kept in their order.
 */
const lines = (text: string) => text.replace(/\r\n/g, "\n").trimEnd().split("\n");
const isTopSection = (line: string) => /^#{1,2} /.test(line);
const isSubsection = (line: string) => /^#{1,3} /.test(line);

export function hasHeading(text: string, heading: string): boolean {
  return lines(text).some((line) => line.trimEnd() === heading);
}

/** Adds the section with `body` when the heading is missing; an existing section is left as it is. */
export function ensureMarkdownSection(
  text: string,
  heading: string,
  body: string,
  placement: SectionPlacement,
): string {
  return hasHeading(text, heading) ? text : upsertMarkdownSection(text, heading, body, placement);
}

/**
 * Replaces the subsection `subheading` (`### …`) of `parent` (`## …`) with `body`; a new one is
 * appended at the end of the parent, which is created per `placement` when missing.
 */
export function upsertMarkdownSubsection(
  text: string,
  parent: string,
  subheading: string,
  body: string,
  placement: SectionPlacement,
): string {
  const withParent = ensureMarkdownSection(text, parent, "", placement);
  const all = lines(withParent);
  const start = all.findIndex((line) => line.trimEnd() === parent);
  let end = start + 1;
  while (end < all.length && !isTopSection(all[end] ?? "")) end++;
  const block = [subheading, "", ...lines(body), ""];

  const at = all.findIndex((line, i) => i > start && i < end && line.trimEnd() === subheading);
  if (at >= 0) {
    let stop = at + 1;
    while (stop < end && !isSubsection(all[stop] ?? "")) stop++;
    all.splice(at, stop - at, ...block);
  } else {
    let last = end;
    while (last > start + 1 && (all[last - 1] ?? "").trim() === "") last--;
    all.splice(last, 0, "", ...block);
  }
  return `${all
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}
