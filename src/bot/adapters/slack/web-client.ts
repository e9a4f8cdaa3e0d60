import { type Logger as SlackLogger, webApi } from '@slack/bolt';

/** How many times one call waits out a 429 and tries again. */
export const RATE_LIMIT_RETRIES = 5;

/** Give up on a Web API call that has not answered by then (a network failure is never retried). */
export const WEB_API_TIMEOUT_MS = 30_000;

/**
 * The Web API client waits `Retry-After` itself on a 429, then throws a plain Error ("A rate
 * limit was exceeded …") so that its retry loop (p-retry, configured by `retryConfig`) tries
 * again. That Error is thrown inside the request's own try block, so it comes out wrapped in a
 * WebAPIRequestError, exactly like a network failure: the wrapped message is the only
 * difference. (Non-200 answers are WebAPIHTTPErrors and go through the same retry loop.)
 */
export function isRateLimitRetry(error: unknown): boolean {
  return (
    error instanceof webApi.WebAPIRequestError &&
    error.original.message.startsWith('A rate limit was exceeded')
  );
}

/**
 * Retries only rate-limited calls: a request that failed on the network or with a 5xx may
 * still have been carried out (a posted message, an appended chunk), and trying it again
 * could post the same answer twice. `onFailedAttempt` is p-retry's hook: throwing there
 * ends the retries and rejects the call with that error.
 */
export const retryRateLimitsOnly: webApi.RetryOptions = Object.assign(
  { retries: RATE_LIMIT_RETRIES, factor: 1, minTimeout: 0, maxTimeout: 0 },
  {
    onFailedAttempt: (error: Error): void => {
      if (!isRateLimitRetry(error)) throw error;
    },
  },
);

export interface WebClientSettings {
  apiUrl?: string | undefined;
  logger: SlackLogger;
}

/** Options for every WebClient the adapter makes (its own and Bolt's). */
export function webClientOptions(settings: WebClientSettings): webApi.WebClientOptions {
  return {
    ...(settings.apiUrl === undefined ? {} : { slackApiUrl: settings.apiUrl }),
    logger: settings.logger,
    rejectRateLimitedCalls: false,
    retryConfig: retryRateLimitsOnly,
    timeout: WEB_API_TIMEOUT_MS,
  };
}
