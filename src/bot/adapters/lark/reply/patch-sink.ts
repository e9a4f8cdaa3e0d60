import type { LarkApi, MessageTarget } from '../api/lark-api.js';
import { type ActionElement, feedbackButtons, interactiveCard } from '../format/index.js';
import { type LarkCardSink, STOPPED_LINE } from './card-sink.js';
import { Pacer } from './pacer.js';

export interface PatchSettings {
  target: MessageTarget;
  nextUuid: () => string;
  intervalMs: number;
  /** Buttons while the answer grows (Stop); patched away when it is finished. */
  actions?: ActionElement[];
}

/**
 * The fallback without CardKit: an interactive card (update_multi) sent as a reply, then replaced
 * with im.v1.message.patch as the text grows, paced under Lark's 5 updates a second per message.
 */
export function patchSink(api: LarkApi, settings: PatchSettings): LarkCardSink {
  const pacer = new Pacer(settings.intervalMs);
  const actions = settings.actions ?? [];
  let messageId: string | undefined;
  let shown = '';
  let below: ActionElement[] = [];

  async function put(text: string, next: ActionElement[]): Promise<void> {
    const content = JSON.stringify(interactiveCard(text, next));
    const id = messageId;
    if (id === undefined) {
      messageId = await pacer.run(() =>
        api.send(settings.target, { msgType: 'interactive', content, uuid: settings.nextUuid() }),
      );
    } else {
      await pacer.run(() => api.patchCard(id, content));
    }
    shown = text;
    below = next;
  }

  return {
    async show(text) {
      if (messageId !== undefined && text === shown) return;
      await put(text, actions);
    },
    async finish(text) {
      if (messageId !== undefined && text === shown && below.length === 0) return;
      await put(text, []);
    },
    abandon: async () => {},
    async offerFeedback(origin) {
      if (messageId === undefined) return;
      await put(shown, [feedbackButtons(origin)]);
    },
    async markStopped() {
      if (messageId === undefined) return;
      await put(shown + STOPPED_LINE, []);
    },
    get messageId() {
      return messageId;
    },
  };
}
