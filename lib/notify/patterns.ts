/**
 * Shapes of things that must never leave the machine (DESIGN §8). Shared by masking (notify)
 * and by input checks (manifest notes), so the two can never disagree.
 */
export const TOKEN_PATTERNS: readonly RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, // GitHub classic tokens (ghp_, gho_, ghu_, ghs_, ghr_)
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g, // GitHub fine-grained tokens
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, // Slack tokens
  /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\b/g, // JWTs
];

export const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s<>"'`]+/gi;
export const EMAIL_PATTERN = /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g;
export const LONG_HEX_PATTERN = /\b[0-9a-fA-F]{32,}\b/g;

// Non-global twins for tests: a /g pattern's lastIndex would make .test() stateful.
const TOKEN_TESTS = TOKEN_PATTERNS.map((p) => new RegExp(p.source, p.flags.replace("g", "")));
const URL_TEST = new RegExp(URL_PATTERN.source, "i");

/** True when the text holds a token shape (GitHub, Slack, JWT). */
export function hasSecretShape(text: string): boolean {
  return TOKEN_TESTS.some((pattern) => pattern.test(text));
}

/** True when the text holds a URL (scheme://…). */
export function hasUrl(text: string): boolean {
  return URL_TEST.test(text);
}
