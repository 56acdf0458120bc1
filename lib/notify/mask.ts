import { SECRET_SETTINGS, type Settings } from "../config/settings";
import { EMAIL_PATTERN, LONG_HEX_PATTERN, TOKEN_PATTERNS, URL_PATTERN } from "./patterns";

/** Masks one piece of text that is about to leave the machine (DESIGN §8). */
export type Mask = (text: string) => string;

/**
 * Secret values shorter than this are not searched for: a 1–3 character value would mask
 * ordinary words and digits everywhere. Such values are still never printed by anyone
 * (they are secrets), they just cannot be recognised inside other text.
 */
export const MIN_SECRET_LENGTH = 4;
// Base64 cores shorter than this would match ordinary words too often.
const MIN_BASE64_CORE_LENGTH = 8;

const toBase64Url = (b64: string): string => b64.replace(/\+/g, "-").replace(/\//g, "_");

/**
 * The base64 characters that depend only on the value's bytes, for each of the 3 alignments
 * the value can have inside a larger base64 blob (e.g. `user:secret` in a Basic auth header).
 * Prefix 0 with the padding kept is the plain encoding of the value on its own.
 */
function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  const forms = [bytes.toString("base64").replace(/=+$/, "")];
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    const core = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    if (core.length >= MIN_BASE64_CORE_LENGTH) forms.push(core);
  }
  return forms.flatMap((form) => [form, toBase64Url(form)]);
}

/** Every form of a secret that could appear in output: raw, base64(url), URL- and JSON-escaped. */
function secretForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  return [value, encodeURIComponent(value), json, ...base64Forms(value)];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Replaces every form until none is left: a replacement can join text into a new occurrence. */
function replaceUntilGone(text: string, forms: readonly string[]): string {
  let result = text;
  for (let changed = true; changed;) {
    changed = false;
    for (const form of forms) {
      if (result.includes(form)) {
        result = result.split(form).join("***");
        changed = true; // each pass shortens the text (forms are ≥ 4 chars), so this ends
      }
    }
  }
  return result;
}

/** Builds the masker for the configured settings, in the order DESIGN §8 implies. */
export function createMasker(settings: Settings): Mask {
  const values = SECRET_SETTINGS.map((name) => settings[name]).filter(
    (v): v is string => typeof v === "string" && v.length >= MIN_SECRET_LENGTH,
  );
  const forms = [...new Set(values.flatMap(secretForms))]
    .filter((form) => form.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length); // longest first, so a value inside another goes with it
  const supabase = [settings.SUPABASE_URL, settings.NEXT_PUBLIC_SUPABASE_URL]
    .filter((v): v is string => v !== undefined)
    .map((v) => v.replace(/\/+$/, ""))
    .filter((v) => v.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length)
    .map((base) => new RegExp(escapeRegExp(base), "gi"));

  return (text) => {
    let result = replaceUntilGone(text, forms);
    for (const pattern of supabase) result = result.replace(pattern, "SUPABASE_URL");
    for (const pattern of TOKEN_PATTERNS) result = result.replace(pattern, "***");
    result = result.replace(URL_PATTERN, "[url]");
    result = result.replace(EMAIL_PATTERN, "[email]");
    result = result.replace(LONG_HEX_PATTERN, (hex) => `${hex.slice(0, 8)}***`);
    // The later replacements could rebuild a secret from neighbouring text: sweep once more.
    return replaceUntilGone(result, forms);
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Masks every string (object keys included) in a JSON-able value; other leaves pass through. */
export function maskDeep<T>(value: T, mask: Mask): T {
  const walk = (node: unknown): unknown => {
    if (typeof node === "string") return mask(node);
    if (Array.isArray(node)) return node.map(walk);
    if (isPlainObject(node)) {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [mask(k), walk(v)]));
    }
    return node;
  };
  return walk(value) as T;
}
