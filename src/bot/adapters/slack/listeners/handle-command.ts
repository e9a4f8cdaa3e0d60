import { commandMessage, type SlashCommand } from '../inbound/command.js';
import { responseUrlReplier } from '../reply/response-url.js';
import type { ListenerDeps } from './deps.js';

/** A slash command, after it was acknowledged: the pipeline answers through its response_url. */
export async function handleCommand(
  payload: SlashCommand,
  visibility: 'in_channel' | 'ephemeral',
  deps: ListenerDeps,
): Promise<void> {
  const self = await deps.identity();
  const log = deps.log.child({ command: payload.command, channel: payload.channel_id });
  const reply = responseUrlReplier({
    url: payload.response_url,
    visibility,
    fetch: deps.fetch,
    extraOrigins: deps.extraOrigins,
    log,
  });
  deps.handOver(commandMessage(payload, self.userId), reply);
}
