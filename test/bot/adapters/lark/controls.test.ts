import { afterEach, describe, expect, it } from 'vitest';
import { conversationKey, type InboundMessage, type Replier } from '../../../../src/bot/message.js';
import type { Pipeline } from '../../../../src/bot/pipeline/pipeline.js';
import { LocalStopSignals } from '../../../../src/bot/turns/local-stop-signals.js';
import { StoppedByUser } from '../../../../src/bot/turns/stop-signals.js';
import { useFakeEngine } from '../../../helpers/fake-engine.js';
import { type FakeCard, type FakeLarkMessage, waitFor } from '../../../helpers/fake-lark.js';
import { RecordingFeedback } from '../../../helpers/recording-feedback.js';
import { answered, repliesTo } from './answers.js';
import { type Harness, startHarness } from './harness.js';
import { envelope, GROUP_CHAT, messageEvent, nextMessageId, P2P_CHAT, TENANT, USER } from './payloads.js';

const engine = useFakeEngine();
let h: Harness;
afterEach(() => h.close());

type Button = { tag: string; element_id?: string; behaviors?: Array<{ value: Record<string, unknown> }> };

/** Every button of a card, nested in columns or not. */
function buttons(card: Record<string, unknown>): Button[] {
  const walk = (elements: unknown[] = []): Button[] =>
    elements.flatMap((e) => {
      const element = e as Button & { elements?: unknown[]; columns?: unknown[] };
      return [
        ...(element.tag === 'button' ? [element] : []),
        ...walk(element.elements),
        ...walk(element.columns),
      ];
    });
  return walk((card.body as { elements?: unknown[] } | undefined)?.elements);
}

const cardOf = (message: FakeLarkMessage): FakeCard => h.fake.cards.get(message.cardId ?? '') as FakeCard;
const shownOf = (message: FakeLarkMessage): string => cardOf(message).elements.get('answer') ?? '';

/** A card.action.trigger press of a button with `value` on the card message `messageId`. */
const press = (messageId: string, value: Record<string, unknown>, chatId = P2P_CHAT, user = USER) =>
  h.sendCard(
    envelope('card.action.trigger', {
      operator: { open_id: user },
      action: { tag: 'button', value },
      context: { open_message_id: messageId, open_chat_id: chatId },
    }),
  );

/**
 * The pipeline as the answerer will run it with stop signals (helper 21s wires the answerer): each
 * message's answer is registered, and its stream ends when a stop for its conversation arrives.
 */
function stoppable(stops: LocalStopSignals) {
  return (pipeline: Pipeline): Pipeline => ({
    handle: (message: InboundMessage, reply: Replier) => {
      const turn = stops.register({
        conversation: conversationKey(message),
        platform: message.platform,
        workspace: message.workspace,
        chat: message.chat.id,
        userId: message.user.id,
      });
      const stream: Replier['stream'] = (chunks) =>
        reply.stream(
          (async function* () {
            for await (const chunk of chunks) {
              if (turn.signal.aborted) return;
              yield chunk;
            }
          })(),
        );
      return pipeline.handle(message, { ...reply, stream }).finally(() => turn.release());
    },
    get inFlight() {
      return pipeline.inFlight;
    },
    drain: (ms) => pipeline.drain(ms),
  });
}

describe('Lark answer controls', () => {
  it('stops a streaming answer with the Stop button; what was shown stays, the button goes', async () => {
    const stops = new LocalStopSignals();
    const aborted: unknown[] = [];
    const register = stops.register.bind(stops);
    stops.register = (turn) => {
      const registration = register(turn);
      registration.signal.addEventListener('abort', () => aborted.push(registration.signal.reason));
      return registration;
    };
    engine.fake.setBehavior({ reply: 'word '.repeat(400), chunkSize: 5, delayMs: 10 });
    h = await startHarness({
      engine: engine.engine,
      adapter: { stopSignals: stops, feedback: new RecordingFeedback() },
      pipeline: stoppable(stops),
    });
    const messageId = nextMessageId();
    await h.sendEvent(messageEvent({ text: 'talk a lot', messageId }));
    const [card] = await waitFor(() => {
      const replies = repliesTo(h.fake, messageId);
      return replies.length > 0 && (cardOf(replies[0] as FakeLarkMessage).elements.get('answer') ?? '') !== ''
        ? replies
        : undefined;
    }, 'the streaming card');
    const stop = buttons(cardOf(card as FakeLarkMessage).card).find((b) => b.element_id === 'stop');
    const value = stop?.behaviors?.[0]?.value as Record<string, unknown>;
    expect(value).toEqual({ action: 'stop', conversation: `lark:${TENANT}:${P2P_CHAT}:-` });

    expect((await press(card?.messageId ?? '', value)).status).toBe(200);
    await waitFor(() => (cardOf(card as FakeLarkMessage).streaming ? undefined : true), 'the card finished');
    expect(aborted).toHaveLength(1);
    expect(aborted[0]).toBeInstanceOf(StoppedByUser);
    expect((aborted[0] as StoppedByUser).by).toBe(USER);
    const finished = cardOf(card as FakeLarkMessage);
    const shown = (finished.elements.get('answer') ?? '').replace(/\n*<font[\s\S]*$/, '');
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan('word '.repeat(400).trim().length);
    expect(buttons(finished.card).some((b) => b.element_id === 'stop')).toBe(false);
    // Marked as stopped (by whichever replica streamed it), and no feedback is asked for.
    await waitFor(
      () => (shownOf(card as FakeLarkMessage).endsWith('⏹ Stopped</font>') ? true : undefined),
      'the stopped mark',
    );
    expect(buttons(cardOf(card as FakeLarkMessage).card)).toEqual([]);

    // A Stop button's value naming another chat's conversation stops nothing there.
    await press('om_other', { action: 'stop', conversation: `lark:${TENANT}:oc_elsewhere:-` });
    await waitFor(
      () => h.log.lines.find((l) => String(l.msg).includes('another chat')),
      'the foreign stop refused',
    );
    expect(aborted).toHaveLength(1);
  });

  it('records a 👍 / 👎 vote from the buttons under a finished answer', async () => {
    const feedback = new RecordingFeedback();
    engine.fake.setBehavior({ reply: 'A fine answer.', chunkSize: 4 });
    h = await startHarness({
      engine: engine.engine,
      adapter: { feedback, answerOrigin: () => ({ model: 'fake-model', backend: 'openai' }) },
    });
    const messageId = nextMessageId();
    await h.sendEvent(
      messageEvent({
        text: 'hi',
        messageId,
        chatType: 'group',
        chatId: GROUP_CHAT,
        mentions: [{ key: '@_user_1', openId: 'ou_bot', name: 'teambot' }],
      }),
    );
    const [card] = await answered(h.fake, messageId, 'A fine answer.');
    const votes = await waitFor(() => {
      const found = buttons(cardOf(card as FakeLarkMessage).card).filter(
        (b) => b.behaviors?.[0]?.value.action === 'feedback',
      );
      return found.length === 2 ? found : undefined;
    }, 'the feedback buttons');
    const down = votes.find((b) => b.behaviors?.[0]?.value.value === 'bad');
    expect((await press(card?.messageId ?? '', down?.behaviors?.[0]?.value ?? {}, GROUP_CHAT)).status).toBe(
      200,
    );
    await waitFor(() => feedback.votes[0], 'the vote');
    expect(feedback.votes).toEqual([
      {
        platform: 'lark',
        workspace: TENANT,
        chat: GROUP_CHAT,
        answerId: card?.messageId,
        userId: USER,
        value: 'bad',
        model: 'fake-model',
        backend: 'openai',
        at: expect.any(Number),
      },
    ]);
    // No Stop button is left on the finished card.
    expect(buttons(cardOf(card as FakeLarkMessage).card).some((b) => b.element_id === 'stop')).toBe(false);
  });

  it('tells the sender what went wrong with an error id that finds the log line, and what to do', async () => {
    engine.fake.setBehavior({ error: { status: 400, message: 'bad request from upstream' } });
    h = await startHarness({ engine: engine.engine });
    const messageId = nextMessageId();
    await h.sendEvent(messageEvent({ text: 'fail please', messageId }));
    const [reply] = await waitFor(() => {
      const replies = repliesTo(h.fake, messageId);
      return replies.length > 0 ? replies : undefined;
    }, 'the error reply');
    const text = h.fake.textOf(reply as FakeLarkMessage);
    const id = /\(error ([0-9a-f]+)\)$/.exec(text)?.[1];
    expect(id).toBeDefined();
    expect(text).toMatch(/Please try again|tell an admin/);
    const logged = h.bot.log.lines.find((l) => l.errorId === id);
    expect(logged?.msg).toBe('message handling failed');
    engine.fake.setBehavior({});
  });
});
