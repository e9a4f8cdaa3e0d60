/** What every secret is replaced with, in log lines and anywhere else text is scrubbed. */
export const REDACTED = '[redacted]';

/**
 * Secrets shorter than this are not scrubbed by value: replacing two or three
 * characters everywhere would shred every line (and break its JSON) while
 * hiding nothing worth hiding. Such short values are rejected as secrets anyway.
 */
export const MIN_SECRET_LENGTH = 4;

/** Token-shaped strings that are redacted even when nobody configured them. */
const TOKEN_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  // Slack bot/user/app-level/refresh tokens: xoxb-…, xoxp-…, xoxa-…, xoxr-…, xoxs-…, xoxe.xoxp-…
  [/\bxox[abeprs](?:\.xox[abeprs])?-[A-Za-z0-9-]+/g, REDACTED],
  // Slack app-level tokens.
  [/\bxapp-[A-Za-z0-9-]+/g, REDACTED],
  // Authorization: Bearer <token> (keeps the scheme so the line still reads well).
  [/\b([Bb]earer)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`],
  // OpenAI-style keys: sk-…, sk-proj-… (long enough not to catch words such as "sk-learn").
  [/\bsk-[A-Za-z0-9_-]{16,}/g, REDACTED],
];

/** A function that removes secrets from a piece of text. */
export type Scrubber = (text: string) => string;

/**
 * Builds a scrubber for the given secret values (empty, missing and too-short
 * values are ignored) plus the well-known token shapes. Each secret is also
 * matched in its JSON-escaped form, so the scrubber works on serialized lines.
 */
export function createScrubber(secrets: ReadonlyArray<string | undefined> = []): Scrubber {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) continue;
    needles.add(secret);
    needles.add(JSON.stringify(secret).slice(1, -1));
  }
  // Longest first, so a secret that contains another one is removed whole.
  const ordered = [...needles].sort((a, b) => b.length - a.length);
  const secretPattern = ordered.length > 0 ? new RegExp(ordered.map(escapeRegExp).join('|'), 'g') : undefined;

  return (text) => {
    let out = secretPattern === undefined ? text : text.replace(secretPattern, REDACTED);
    for (const [pattern, replacement] of TOKEN_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
