import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSdkClient } from '../../../../../src/bot/adapters/lark/api/client.js';
import { fetchHttpInstance } from '../../../../../src/bot/adapters/lark/api/http-instance.js';
import { createLarkApi } from '../../../../../src/bot/adapters/lark/api/lark-api.js';
import { cardkitSink } from '../../../../../src/bot/adapters/lark/reply/cardkit-sink.js';
import { uuidSequence } from '../../../../../src/bot/adapters/lark/reply/uuids.js';
import { captureLogger } from '../../../../helpers/capture-logger.js';
import { type FakeLark, startFakeLark } from '../../../../helpers/fake-lark.js';

let lark: FakeLark;
beforeAll(async () => {
  lark = await startFakeLark();
});
afterAll(async () => {
  await lark.close();
});

describe('a CardKit answer card continued by a later run (a durable turn on another replica)', () => {
  it('puts a card the earlier run had finished back in streaming mode and rewrites it: one message, the new text', async () => {
    const { logger } = captureLogger();
    const api = createLarkApi(
      createSdkClient({
        appId: lark.appId,
        appSecret: lark.appSecret,
        baseUrl: lark.url,
        httpInstance: fetchHttpInstance(globalThis.fetch),
        logger,
      }),
      { retries: 0, delayMs: 1 },
    );
    const target = { kind: 'reply' as const, messageId: 'om_user_resume_1', inThread: false };
    const record: { cardId?: string; sequence: number } = { sequence: 0 };
    const sink = (earlier?: { cardId: string; sequence: number }) =>
      cardkitSink(api, {
        target,
        // Both runs number their messages from the same seed, as two replicas of one reply do.
        nextUuid: uuidSequence('om_user_resume_1'),
        intervalMs: 0,
        log: logger,
        card: {
          earlier,
          created: async (cardId) => {
            record.cardId = cardId;
          },
        },
      });

    // The first run answers in full (the card leaves streaming mode), then its replica dies.
    await sink().finish('Answer, first run.');
    const cardId = record.cardId as string;
    expect(lark.cards.get(cardId)?.streaming).toBe(false);

    // The run that continues it streams its own answer into the same card.
    const second = sink({ cardId, sequence: lark.cards.get(cardId)?.sequence ?? 0 });
    await second.show('Answer,');
    expect(lark.cards.get(cardId)?.streaming).toBe(true);
    await second.finish('Answer, second run.');

    const replies = lark.messages.filter((m) => m.replyTo === 'om_user_resume_1');
    expect(replies).toHaveLength(1);
    expect(lark.textOf(replies[0] as (typeof replies)[number])).toBe('Answer, second run.');
    expect(lark.cards.get(cardId)?.streaming).toBe(false);
  });
});
