import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  appendToMarkdownSection,
  markdownCell,
  updateSummaryFile,
  upsertMarkdownSection,
} from "./event-summaries";

const doc =
  "# Title\n\nIntro.\n\n## KPIs\n\nsuccess 0.97\n\n### Observer Run `a`\n\nok\n\n## Change log\n\n- one\n";

describe("markdown sections", () => {
  it("replaces a section in place up to the next level-2 heading, keeping its subsections' neighbours", () => {
    const once = upsertMarkdownSection(doc, "## KPIs", "success 0.99");
    expect(once).toBe("# Title\n\nIntro.\n\n## KPIs\n\nsuccess 0.99\n\n## Change log\n\n- one\n");
    expect(upsertMarkdownSection(once, "## KPIs", "success 0.99")).toBe(once);
  });

  it("inserts a missing section before the given heading, at the top, or at the end", () => {
    expect(upsertMarkdownSection(doc, "## Go/No-Go", "GO", { before: ["## Change log"] })).toMatch(
      /ok\n\n## Go\/No-Go\n\nGO\n\n## Change log\n/,
    );
    expect(upsertMarkdownSection(doc, "## Handbook checklist", "table", { fallback: "top" })).toMatch(
      /^# Title\n\nIntro\.\n\n## Handbook checklist\n\ntable\n\n## KPIs\n/,
    );
    expect(upsertMarkdownSection("# T\n", "## New", "x")).toBe("# T\n\n## New\n\nx\n");
  });

  it("appends a line to a section once per key", () => {
    const one = appendToMarkdownSection(doc, "## Change log", "- two #2:", "#2:");
    expect(one).toMatch(/## Change log\n\n- one\n- two #2:\n$/);
    expect(appendToMarkdownSection(one, "## Change log", "- two #2: again", "#2:")).toBe(one);
    expect(appendToMarkdownSection("# T\n", "## Change log", "- first", "first")).toBe(
      "# T\n\n## Change log\n\n- first\n",
    );
  });

  it("is idempotent and leaves other sections alone, whatever the body", () => {
    const body = fc
      .array(fc.stringMatching(/^[^#\n][^\n]{0,30}$/), { maxLength: 6 })
      .map((l) => l.join("\n"));
    fc.assert(
      fc.property(body, (text) => {
        const once = upsertMarkdownSection(doc, "## KPIs", text);
        expect(upsertMarkdownSection(once, "## KPIs", text)).toBe(once);
        expect(once).toContain("## Change log\n\n- one\n");
        expect(once.startsWith("# Title\n\nIntro.\n\n## KPIs\n")).toBe(true);
      }),
    );
  });

  it("escapes table cells", () => {
    expect(markdownCell("a | b\nc")).toBe("a \\| b c");
    expect(markdownCell(null)).toBe("–");
  });
});

describe("updateSummaryFile", () => {
  it("creates the file with its title, and does not rewrite an unchanged text", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "auditloop-summary-"));
    try {
      const file = path.join(dir, "PHASE3_AUDIT_SUMMARY.md");
      const change = (t: string) => upsertMarkdownSection(t, "## Go/No-Go", "NO-GO");
      expect(await updateSummaryFile(file, "# Phase 3 audit summary", change)).toEqual({
        file,
        changed: true,
      });
      expect(await readFile(file, "utf8")).toBe("# Phase 3 audit summary\n\n## Go/No-Go\n\nNO-GO\n");
      const inode = (await stat(file)).ino;
      expect(await updateSummaryFile(file, "# Phase 3 audit summary", change)).toEqual({
        file,
        changed: false,
      });
      expect((await stat(file)).ino).toBe(inode);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
