import { commandMessage, type SlashCommand } from '../inbound/command.js';
import { responseUrlReplier } from '../reply/response-url.js';
import { isTrustedSlackUrl } from '../trusted-url.js';
import type { ListenerDeps } from './deps.js';

/** A slash command, after it was acknowledged: the pipeline answers through its response_url. */
export async function handleCommand(
  payload: SlashCommand,
  visibility: 'in_channel' | 'ephemeral',
  deps: ListenerDeps,
): Promise<void> {
  const log = deps.log.child({ command: payload.command, channel: payload.channel_id });
  if (!isTrustedSlackUrl(payload.response_url, deps.extraOrigins)) {
    // Signed, so from Slack, yet with nowhere safe to answer: nothing to do but say so.
    log.warn('ignored a slash command whose response_url is not on a Slack host');
    return;
  }
  const self = await deps.identity();
  const reply = responseUrlReplier({
    url: payload.response_url,
    visibility,
    fetch: deps.fetch,
    extraOrigins: deps.extraOrigins,
    log,
    feedback: deps.feedback !== undefined,
  });
  // Acknowledged already (a command's answer goes to its response_url): nothing to wait for.
  void deps.handOver(commandMessage(payload, self.userId), reply);
}
