const SLACK_HOST_SUFFIXES = ['.slack.com', '.slack-edge.com', '.slack-gov.com'];

/**
 * Whether the bot token (or a response) may be sent to `url`: https on a Slack host, or any URL
 * under one of `extraOrigins` (the configured API URL's origin, for fakes and proxies). Event
 * payloads are signed, but a token should still never leave for a host Slack does not own.
 */
export function isTrustedSlackUrl(url: string, extraOrigins: readonly string[] = []): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (extraOrigins.includes(parsed.origin)) return true;
  if (parsed.protocol !== 'https:') return false;
  const host = parsed.hostname.toLowerCase();
  return host === 'slack.com' || SLACK_HOST_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

/** The origin of SLACK_API_URL when one is configured, as the list `isTrustedSlackUrl` takes. */
export function extraOriginsFor(apiUrl: string | undefined): string[] {
  if (apiUrl === undefined) return [];
  try {
    return [new URL(apiUrl).origin];
  } catch {
    return [];
  }
}
