import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors";
import { findDuplicateKey, parseJsonStrict } from "./json-strict";

const FILE = "docs/reports/x/_manifest.json";

describe("parseJsonStrict", () => {
  it("returns what JSON.parse returns for any JSON without duplicate keys", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value, null, 1);
        expect(parseJsonStrict(text, FILE)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it("refuses a repeated key anywhere in any document", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), fc.integer({ min: 0, max: 3 }), (inner, key, depth) => {
        const k = JSON.stringify(key);
        let text = `{${k}:1,"inner":${JSON.stringify(inner)},${k}:2}`;
        for (let i = 0; i < depth; i++) text = i % 2 === 0 ? `[0,${text}]` : `{"level":${text}}`;
        expect(() => parseJsonStrict(text, FILE)).toThrow(InputError);
      }),
      { numRuns: 300 },
    );
  });

  it("names the file, the key, its line and the object holding it", () => {
    const text = '{\n  "entries": [\n    {"run_id": "1",\n     "notes": "a",\n     "notes": "b"}\n  ]\n}\n';
    expect(() => parseJsonStrict(text, FILE)).toThrow(
      /docs\/reports\/x\/_manifest\.json: duplicate key "notes" at line 5, column 6 in \$\.entries\[0\] \(first at line 4\)/,
    );
  });

  it("treats keys spelled with escapes as the same key", () => {
    expect(() => parseJsonStrict('{"a": 1, "\\u0061": 2}', FILE)).toThrow(/duplicate key "a"/);
  });

  it("refuses a repeated __proto__ key and keeps a single one as a plain key", () => {
    expect(() => parseJsonStrict('{"__proto__": 1, "__proto__": 2}', FILE)).toThrow(
      /duplicate key "__proto__"/,
    );
    const value = parseJsonStrict('{"__proto__": {"polluted": true}}', FILE) as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("accepts equal keys in different objects and key-like text inside string values", () => {
    const text = '[{"a": "x\\": 1, \\"a\\": 2"}, {"a": "\\\\", "b": ":"}, {"a": 3}]';
    expect(parseJsonStrict(text, FILE)).toEqual(JSON.parse(text));
  });

  it("reports a syntax error with the file, line and column", () => {
    expect(() => parseJsonStrict('{\n  "a": 1,\n  "b": \n}', FILE)).toThrow(
      /docs\/reports\/x\/_manifest\.json: not valid JSON at line 4, column 1/,
    );
  });

  it("refuses an empty file", () => {
    expect(() => parseJsonStrict("", FILE)).toThrow(/_manifest\.json: not valid JSON/);
  });
});

describe("findDuplicateKey", () => {
  it("returns null for a document without repeats and the first repeat otherwise", () => {
    expect(findDuplicateKey('{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}]}')).toBeNull();
    expect(findDuplicateKey('{"x": [{"k": 1, "k": 2}], "y": {"k": 1, "k": 2}}')).toMatchObject({
      key: "k",
      path: "$.x[0]",
      line: 1,
    });
  });
});
