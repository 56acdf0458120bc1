import { parse as parseAst, type ValueNode } from "@humanwhocodes/momoa";
import { InputError } from "../errors";

/**
 * JSON.parse keeps the last of two equal keys without a word; the evidence files must refuse
 * them instead (DESIGN §3, §7: "parses with no duplicate keys"). Generic: RUNS_SUMMARY uses it too.
 *
 * Fast path: JSON.parse, then compare the number of members in the text with the number of keys
 * parsed — equal exactly when no object repeats a key. Only a mismatch (or a syntax error) pays
 * for momoa's AST, which names the line and the key. This keeps a 1,000-entry manifest at ~2 ms
 * instead of ~13 ms per read (DESIGN §11 budget).
 */
export function parseJsonStrict(text: string, file: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw syntaxError(text, file, error);
  }
  assertNoDuplicateKeys(text, value, file);
  return value;
}

/** The duplicate-key half of parseJsonStrict, for a caller that ran JSON.parse on `text` itself. */
export function assertNoDuplicateKeys(text: string, value: unknown, file: string): void {
  if (countMemberNames(text) !== countParsedKeys(value)) {
    const duplicate = findDuplicateKey(text);
    if (duplicate) {
      throw new InputError(
        `${file}: duplicate key "${duplicate.key}" at line ${duplicate.line}, column ${duplicate.column} ` +
          `in ${duplicate.path} (first at line ${duplicate.firstLine}); expected each key once per object`,
      );
    }
  }
}

export interface DuplicateKey {
  key: string;
  /** A JSONPath-like location of the object holding the key, e.g. `$.entries[3]`. */
  path: string;
  line: number;
  column: number;
  firstLine: number;
}

/** The first repeated key in document order, or null. `text` must be valid JSON. */
export function findDuplicateKey(text: string): DuplicateKey | null {
  const document = parseAst(text, { mode: "json" });
  // Iterative walk: a deeply nested file must not overflow the stack here.
  const stack: { node: ValueNode; path: string }[] = [{ node: document.body, path: "$" }];
  while (stack.length > 0) {
    const { node, path } = stack.pop() as { node: ValueNode; path: string };
    if (node.type === "Object") {
      const seen = new Map<string, number>();
      for (const member of node.members) {
        const key = member.name.type === "String" ? member.name.value : member.name.name;
        const firstLine = seen.get(key);
        if (firstLine !== undefined) {
          const { line, column } = member.name.loc.start;
          return { key, path, line, column, firstLine };
        }
        seen.set(key, member.name.loc.start.line);
      }
      for (let i = node.members.length - 1; i >= 0; i--) {
        const member = node.members[i];
        if (member) stack.push({ node: member.value, path: `${path}.${memberLabel(member.name)}` });
      }
    } else if (node.type === "Array") {
      for (let i = node.elements.length - 1; i >= 0; i--) {
        const element = node.elements[i];
        if (element) stack.push({ node: element.value, path: `${path}[${i}]` });
      }
    }
  }
  return null;
}

function memberLabel(name: { type: string; value?: string; name?: string }): string {
  const key = name.value ?? name.name ?? "";
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

function syntaxError(text: string, file: string, cause: unknown): InputError {
  let where = "";
  try {
    parseAst(text, { mode: "json" });
  } catch (error) {
    const { line, column } = error as { line?: unknown; column?: unknown };
    if (typeof line === "number" && typeof column === "number") where = ` at line ${line}, column ${column}`;
  }
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new InputError(`${file}: not valid JSON${where} (${reason})`, { cause });
}

/** Counts strings followed by ':' — in valid JSON exactly the object member names. */
function countMemberNames(text: string): number {
  let count = 0;
  let open = text.indexOf('"');
  while (open !== -1) {
    // The closing quote is the next one not escaped by an odd run of backslashes.
    let close = text.indexOf('"', open + 1);
    while (close !== -1 && isEscaped(text, close)) close = text.indexOf('"', close + 1);
    if (close === -1) break;
    let next = close + 1;
    let c = text.charCodeAt(next);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++next);
    if (c === 58 /* : */) count++;
    open = text.indexOf('"', next);
  }
  return count;
}

function isEscaped(text: string, quote: number): boolean {
  let backslashes = 0;
  for (let i = quote - 1; text.charCodeAt(i) === 92 /* \ */; i--) backslashes++;
  return backslashes % 2 === 1;
}

function countParsedKeys(value: unknown): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (Array.isArray(current)) {
      for (const item of current) stack.push(item);
    } else if (current !== null && typeof current === "object") {
      // JSON.parse defines "__proto__" as an own key, so Object.keys sees it too.
      for (const key of Object.keys(current)) {
        count++;
        stack.push((current as Record<string, unknown>)[key]);
      }
    }
  }
  return count;
}
