import type { ReplySink } from '../../shared/stream/reply-sink.js';
import type { LarkApi, MessageTarget } from '../api/lark-api.js';
import { interactiveCard } from '../format/index.js';
import { Pacer } from './pacer.js';

export interface PatchSettings {
  target: MessageTarget;
  nextUuid: () => string;
  intervalMs: number;
}

/**
 * The fallback without CardKit: an interactive card (update_multi) sent as a reply, then replaced
 * with im.v1.message.patch as the text grows, paced under Lark's 5 updates a second per message.
 */
export function patchSink(api: LarkApi, settings: PatchSettings): ReplySink {
  const pacer = new Pacer(settings.intervalMs);
  let messageId: string | undefined;
  let shown = '';

  async function show(text: string): Promise<void> {
    if (messageId !== undefined && text === shown) return;
    const content = JSON.stringify(interactiveCard(text));
    const id = messageId;
    if (id === undefined) {
      messageId = await pacer.run(() =>
        api.send(settings.target, { msgType: 'interactive', content, uuid: settings.nextUuid() }),
      );
    } else {
      await pacer.run(() => api.patchCard(id, content));
    }
    shown = text;
  }

  return { show, finish: show, abandon: async () => {} };
}
