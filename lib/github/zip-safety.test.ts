import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkEntryName, EntryPaths, entryKind, refusalFromYauzl, splitEntryName } from "./zip-safety";

// Names built from the characters that matter for escaping, so the property meets the edge cases.
const hostileName = fc
  .array(fc.constantFrom("a", "b", ".", "..", "/", "\\", "C:", ":", "\u0000", " ", "é"), { maxLength: 8 })
  .map((parts) => parts.join(""));

describe("checkEntryName", () => {
  it("passes only names that stay inside any folder they are joined under (property)", () => {
    const root = path.resolve("/srv/target");
    fc.assert(
      fc.property(hostileName, (name) => {
        if (checkEntryName(name) !== null) return;
        const resolved = path.resolve(root, ...splitEntryName(name));
        expect(resolved.startsWith(root + path.sep)).toBe(true);
        expect(name).not.toMatch(/\\|\u0000/);
      }),
    );
  });

  it("refuses every name with a '..' segment, whichever separator it uses (property)", () => {
    fc.assert(
      fc.property(hostileName, hostileName, (before, after) => {
        expect(checkEntryName(`${before}/../${after}`)).not.toBeNull();
        expect(checkEntryName(`${before}\\..\\${after}`)).not.toBeNull();
      }),
    );
  });

  it("accepts ordinary names, folders with their trailing slash and dots inside names", () => {
    for (const name of [
      "a.txt",
      "dir/",
      "dir/sub/file.tar.gz",
      "..hidden",
      "a..b/c",
      "résumé.pdf",
      "notes:v2.txt",
    ]) {
      expect(checkEntryName(name)).toBeNull();
    }
  });
});

describe("entryKind", () => {
  it("reads the type from the Unix mode whatever the platform, else from the name", () => {
    expect(entryKind("link", (0o120777 << 16) >>> 0)).toBe("symlink");
    expect(entryKind("dir/", 0)).toBe("directory");
    expect(entryKind("dir", (0o040755 << 16) >>> 0)).toBe("directory");
    expect(entryKind("f", (0o100644 << 16) >>> 0)).toBe("file");
    expect(entryKind("f", 0x20)).toBe("file"); // DOS archive bit only
    expect(entryKind("fifo", (0o010644 << 16) >>> 0)).toBe("special");
  });
});

describe("EntryPaths", () => {
  it("lets folders repeat but never lets a path be claimed twice as a file or written through a file", () => {
    const paths = new EntryPaths();
    expect(paths.claim(["a", "b.txt"], "file")).toBeNull();
    expect(paths.claim(["a"], "directory")).toBeNull();
    expect(paths.claim(["a", "b.txt"], "file")?.rule).toBe("duplicate");
    expect(paths.claim(["a", "b.txt", "c"], "file")?.detail).toMatch(
      /through the earlier file entry "a\/b.txt"/,
    );
    expect(paths.claim(["a"], "file")?.detail).toMatch(/made this path a folder/);
  });
});

describe("refusalFromYauzl", () => {
  it("turns yauzl's name refusals into ours and keeps its message as the cause", () => {
    const error = new Error("invalid characters in fileName: C:\\x");
    const refusal = refusalFromYauzl("a.zip", error, 1, null);
    expect(refusal).toMatchObject({ entry: "C:\\x", rule: "drive-letter", cause: error });
    expect(refusal.message).toBe(
      'a.zip: refused entry "C:\\x": the name starts with a drive letter (C:) [drive-letter]',
    );
  });
});
