import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useFakeEngine } from '../../../helpers/fake-engine.js';
import { waitFor } from '../../../helpers/fake-lark.js';
import { answered, repliesTo } from './answers.js';
import { type Harness, startHarness } from './harness.js';
import {
  botAddedEvent,
  envelope,
  GROUP_CHAT,
  menuEvent,
  messageEvent,
  nextMessageId,
  P2P_CHAT,
  USER,
} from './payloads.js';

const engine = useFakeEngine();
let h: Harness;

beforeEach(async () => {
  engine.fake.setBehavior({ reply: 'Remembered.' });
  h = await startHarness({ engine: engine.engine });
});
afterEach(() => h.close());

const firstReply = (messageId: string) =>
  waitFor(() => repliesTo(h.fake, messageId)[0], `a reply to ${messageId}`);

describe('Lark commands', () => {
  it.each(['/帮助', '帮助', '/help'])('answers %s with the help card', async (text) => {
    const requestsBefore = engine.fake.requests.length;
    const messageId = nextMessageId();
    await h.sendEvent(messageEvent({ text, messageId }));
    const reply = await firstReply(messageId);
    expect(reply.msgType).toBe('interactive');
    expect(h.fake.textOf(reply)).toContain('/reset');
    expect(engine.fake.requests.length).toBe(requestsBefore);
  });

  it('forgets the conversation on 清除', async () => {
    const first = nextMessageId();
    await h.sendEvent(messageEvent({ text: 'remember the number 7', messageId: first }));
    await answered(h.fake, first, 'Remembered.');
    const reset = nextMessageId();
    await h.sendEvent(messageEvent({ text: '清除', messageId: reset }));
    expect(h.fake.textOf(await firstReply(reset))).toContain('forgotten');
    const after = nextMessageId();
    await h.sendEvent(messageEvent({ text: 'what was the number?', messageId: after }));
    await answered(h.fake, after, 'Remembered.');
    const body = engine.fake.requests.at(-1)?.body as { messages: Array<{ content: string }> };
    expect(body.messages.map((m) => m.content)).not.toContain('remember the number 7');
  });

  it('runs the command of a bot menu item in the user’s 1:1 chat', async () => {
    const first = nextMessageId();
    await h.sendEvent(messageEvent({ text: 'remember the number 7', messageId: first }));
    await answered(h.fake, first, 'Remembered.');
    expect((await h.sendEvent(menuEvent('reset'))).status).toBe(200);
    const reply = await waitFor(() => h.fake.messages.find((m) => m.receiveId === USER), 'the menu answer');
    expect(reply.receiveIdType).toBe('open_id');
    expect(h.fake.textOf(reply)).toContain('forgotten');
    // The menu reset the 1:1 chat's conversation.
    const after = nextMessageId();
    await h.sendEvent(messageEvent({ text: 'and now?', messageId: after, chatId: P2P_CHAT }));
    await answered(h.fake, after, 'Remembered.');
    const body = engine.fake.requests.at(-1)?.body as { messages: Array<{ content: string }> };
    expect(body.messages.map((m) => m.content)).not.toContain('remember the number 7');
  });

  it('ignores a menu item whose key names no command', async () => {
    await h.sendEvent(menuEvent('open_the_pod_bay_doors'));
    await waitFor(() => h.log.lines.find((l) => String(l.msg).includes('names no command')), 'the warning');
    expect(h.fake.messages).toEqual([]);
  });

  it('greets a group it was added to with the help text', async () => {
    await h.sendEvent(botAddedEvent());
    const reply = await waitFor(
      () => h.fake.messages.find((m) => m.receiveId === GROUP_CHAT),
      'the greeting',
    );
    expect(reply.receiveIdType).toBe('chat_id');
    expect(h.fake.textOf(reply)).toContain('Send me a message');
  });

  it('acknowledges a card action at once and runs the command its button names', async () => {
    const action = envelope('card.action.trigger', {
      operator: { open_id: USER },
      token: 'c-card-token',
      action: { tag: 'button', value: { command: 'help' } },
      context: { open_message_id: 'om_card_1', open_chat_id: GROUP_CHAT },
    });
    const response = await h.sendCard(action);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({});
    const reply = await firstReply('om_card_1');
    expect(h.fake.textOf(reply)).toContain('/reset');
    // A button without a command is only acknowledged.
    const plain = envelope('card.action.trigger', {
      operator: { open_id: USER },
      action: { tag: 'button', value: { vote: 'up' } },
      context: { open_message_id: 'om_card_2', open_chat_id: GROUP_CHAT },
    });
    expect((await h.sendCard(plain)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(repliesTo(h.fake, 'om_card_2')).toEqual([]);
  });

  it('treats 帮助我写一封邮件 as a question, not a command', async () => {
    const messageId = nextMessageId();
    await h.sendEvent(messageEvent({ text: '帮助我写一封邮件', messageId }));
    await answered(h.fake, messageId, 'Remembered.');
  });
});
