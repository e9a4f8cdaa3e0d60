import { webApi } from '@slack/bolt';
import { isRateLimitRetry } from './web-client.js';

const HINTS: Record<string, string> = {
  not_in_channel: 'the bot is not a member of this channel; invite it with /invite',
  channel_not_found: 'the channel does not exist or the bot cannot see it',
  missing_scope: 'the app lacks a scope; add it in the app settings and reinstall',
  invalid_auth: 'SLACK_BOT_TOKEN is not valid',
  not_authed: 'no token was sent',
  token_revoked: 'the bot token was revoked; reinstall the app',
  account_inactive: 'the bot token belongs to a deactivated app or user',
  user_not_found: 'the user is unknown here (a Slack Connect user from another workspace?)',
  missing_recipient_team_id: 'streaming in a channel needs the recipient team id',
  msg_too_long: 'the message text is too long',
  ratelimited: 'Slack rate-limited the app',
};

/** A Web API call that failed, with Slack's error code and a hint in the message. */
export class SlackApiError extends Error {
  override readonly name = 'SlackApiError';
  constructor(
    readonly method: string,
    /** Slack's `error` (e.g. not_in_channel), `http_<status>`, or `request_failed` for network errors. */
    readonly slackError: string,
    readonly needed: string | undefined,
    cause: unknown,
  ) {
    const hint = HINTS[slackError];
    const scope = needed === undefined ? '' : ` (needed: ${needed})`;
    super(`Slack ${method} failed: ${slackError}${scope}${hint === undefined ? '' : ` — ${hint}`}`, {
      cause,
    });
  }
}

/** Slack's error code for any error the Web API client throws. */
export function slackErrorCode(error: unknown): string {
  if (error instanceof SlackApiError) return error.slackError;
  if (error instanceof webApi.WebAPIPlatformError) return error.data.error;
  if (error instanceof webApi.WebAPIHTTPError) return `http_${error.statusCode}`;
  if (error instanceof webApi.WebAPIRateLimitedError || isRateLimitRetry(error)) return 'ratelimited';
  if (error instanceof webApi.WebAPIRequestError) return 'request_failed';
  return 'unknown';
}

export function toSlackApiError(method: string, error: unknown): SlackApiError {
  if (error instanceof SlackApiError) return error;
  const data = error instanceof webApi.WebAPIPlatformError ? (error.data as { needed?: unknown }) : {};
  const needed = 'needed' in data && typeof data.needed === 'string' ? data.needed : undefined;
  return new SlackApiError(method, slackErrorCode(error), needed, error);
}

/** Runs one Web API call; a failure becomes a SlackApiError that names the method and the code. */
export async function callSlack<T>(method: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toSlackApiError(method, error);
  }
}
