import type { webApi } from '@slack/bolt';
import type { Logger } from '../../../../log/logger.js';

/** Shown under the thread as "<bot> is thinking…" until the answer is posted (Slack clears it then). */
export const THINKING_STATUS = 'is thinking…';

/**
 * assistant.threads.setStatus (with the loading messages Slack rotates while it shows), best effort: a status that cannot be shown (an old workspace,
 * a missing scope) never stops the answer. Resolves true when it was shown.
 */
export async function setThreadStatus(
  client: webApi.WebClient,
  place: { channel: string; thread: string },
  status: string,
  log: Logger,
  loadingMessages: readonly string[] = [],
): Promise<boolean> {
  try {
    await client.assistant.threads.setStatus({
      channel_id: place.channel,
      thread_ts: place.thread,
      status,
      // Slack rotates these while the status shows (at most 10); a clearing call sends none.
      ...(status === '' || loadingMessages.length === 0
        ? {}
        : { loading_messages: loadingMessages.slice(0, 10) }),
    });
    return true;
  } catch (error) {
    log.debug({ err: error, status }, 'could not set the thread status');
    return false;
  }
}
