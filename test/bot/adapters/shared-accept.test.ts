/**
 * The platforms' acks come after the pipeline accepted the message (with durable turns: its job is
 * queued), so a replica that dies just after acking loses nothing; a pipeline that takes long only
 * holds the ack up to ACCEPT_WAIT_MS.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Pipeline } from '../../../src/bot/pipeline/pipeline.js';
import { useFakeEngine } from '../../helpers/fake-engine.js';
import { startHarness as startLark } from './lark/harness.js';
import { messageEvent, nextMessageId } from './lark/payloads.js';
import { startHarness as startSlack } from './slack/harness.js';
import { appMention, envelope, nextTs } from './slack/payloads.js';

const engine = useFakeEngine();
const closing: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((close) => close()));
});

/** A pipeline that accepts each message only when `open` is called (or never), noting the order. */
function gatedPipeline(events: string[]) {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const wrap = (inner: Pipeline): Pipeline => ({
    handle: async () => {
      await gate;
      events.push('accepted');
    },
    get inFlight() {
      return inner.inFlight;
    },
    drain: (ms) => inner.drain(ms),
  });
  return { wrap, open: () => open() };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each([
  {
    platform: 'Slack',
    start: async (pipeline: (p: Pipeline) => Pipeline) => {
      const h = await startSlack({ engine: engine.engine, pipeline });
      closing.push(() => h.close());
      return () => h.sendEvent(envelope(appMention({ text: '<@UBOT> is it safe?', ts: nextTs() })));
    },
  },
  {
    platform: 'Lark (webhook)',
    start: async (pipeline: (p: Pipeline) => Pipeline) => {
      const h = await startLark({ engine: engine.engine, pipeline });
      closing.push(() => h.close());
      return () => h.sendEvent(messageEvent({ text: 'is it safe?', messageId: nextMessageId() }));
    },
  },
])('$platform: the ack and the accepted message', ({ start }) => {
  it('answers the platform only after the pipeline accepted the message', async () => {
    const events: string[] = [];
    const gated = gatedPipeline(events);
    const send = await start(gated.wrap);
    const response = send().then((r) => {
      events.push('acked');
      return r;
    });
    await sleep(300);
    expect(events).toEqual([]);
    gated.open();
    expect((await response).status).toBe(200);
    expect(events).toEqual(['accepted', 'acked']);
  });

  it('still answers the platform in time when the pipeline never accepts', async () => {
    const gated = gatedPipeline([]);
    const send = await start(gated.wrap);
    const response = await send();
    expect(response.status).toBe(200);
    // Held at most ACCEPT_WAIT_MS (2 s), well inside the platforms' 3 s.
    expect(response.ms).toBeLessThan(2_900);
  });
});
