import { afterEach, describe, expect, it } from 'vitest';
import { useFakeEngine } from '../../../helpers/fake-engine.js';
import { waitFor } from '../../../helpers/fake-slack.js';
import { testTurns, whileAnswering } from '../../../helpers/turns.js';
import { type Harness, startHarness } from './harness.js';
import { dmMessage, envelope, nextTs } from './payloads.js';

const engine = useFakeEngine();
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const answerTo = (question: string) => `Answer to ${question}.`;
const QUEUED = 'Queued — 1 message ahead of yours…';

describe('Slack: a queued message shows a status line until its answer', () => {
  it('in an assistant thread, the thread status says it is queued until its own answer takes over', async () => {
    engine.fake.setBehavior({ reply: answerTo, firstDelayMs: 4_000 });
    h = await startHarness({ engine: engine.engine, turns: await testTurns() });
    const fake = h.fake;
    const thread = nextTs();
    await whileAnswering(
      engine.fake,
      h.sendEvent(envelope(dmMessage({ text: 'one', ts: nextTs(), threadTs: thread }))),
    );
    await h.sendEvent(envelope(dmMessage({ text: 'two', ts: nextTs(), threadTs: thread })));
    const answers = () => fake.messages.filter((m) => m.threadTs === thread && m.kind === 'stream');
    await waitFor(
      () => answers().length === 2 && answers().every((m) => !m.streaming),
      'both answers',
      15_000,
    );
    expect(answers().map((m) => m.text)).toEqual([answerTo('one'), answerTo('two')]);
    // The thread's status calls and answer streams, in the order Slack saw them.
    const events = fake.calls
      .filter((c) => c.args.thread_ts === thread || c.args.channel === 'D1')
      .flatMap((c) => {
        if (c.method === 'assistant.threads.setStatus') return [`status:${String(c.args.status)}`];
        if (c.method === 'chat.startStream') return ['answer'];
        return [];
      });
    // The second's queued line replaced the first's "is thinking…" (Slack clears a status when an
    // answer is posted); its own answer's status replaced it in turn, and posting that answer cleared it.
    // (How the first answer's own status falls against the queued line depends on the machine's speed.)
    const statuses = events.filter((e) => e.startsWith('status:'));
    expect(statuses.filter((e) => e === `status:${QUEUED}`)).toHaveLength(1);
    expect(statuses.slice(statuses.indexOf(`status:${QUEUED}`) + 1)).toContain('status:is thinking…');
    expect(events.at(-1)).toBe('answer');
    expect(events.at(-2)).toBe('status:is thinking…');
    expect(fake.messages.filter((m) => m.kind === 'ephemeral')).toEqual([]);
  }, 45_000);

  it('in an assistant thread, a queued message whose answer fails has its status cleared after the notice', async () => {
    engine.fake.setBehavior({ reply: answerTo, firstDelayMs: 4_000 });
    h = await startHarness({ engine: engine.engine, turns: await testTurns() });
    const fake = h.fake;
    const thread = nextTs();
    const statuses = () =>
      fake
        .callsTo('assistant.threads.setStatus')
        .filter((c) => c.args.thread_ts === thread)
        .map((c) => c.args.status);
    await whileAnswering(
      engine.fake,
      h.sendEvent(envelope(dmMessage({ text: 'one', ts: nextTs(), threadTs: thread }))),
    );
    await h.sendEvent(envelope(dmMessage({ text: 'two', ts: nextTs(), threadTs: thread })));
    await waitFor(() => statuses().includes(QUEUED), 'the queued status', 10_000);
    // The running answer goes on; the queued one is refused when its turn comes.
    engine.fake.setBehavior({ error: { status: 500, message: 'model down' } });
    await waitFor(() => fake.messages.find((m) => m.kind === 'ephemeral'), 'the error notice', 15_000);
    await waitFor(() => statuses().at(-1) === '', 'the status cleared', 5_000);
    expect(statuses().filter((status) => status === QUEUED)).toHaveLength(1);
    expect(statuses().indexOf('')).toBeGreaterThan(statuses().indexOf(QUEUED));
    await waitFor(
      () => fake.messages.find((m) => m.kind === 'stream' && !m.streaming && m.text === answerTo('one')),
      'the first answer',
    );
  }, 45_000);

  it('outside threads, the sender alone is told, with a notice', async () => {
    engine.fake.setBehavior({ reply: answerTo, firstDelayMs: 4_000 });
    h = await startHarness({ engine: engine.engine, turns: await testTurns() });
    const fake = h.fake;
    await whileAnswering(engine.fake, h.sendEvent(envelope(dmMessage({ text: 'one', ts: nextTs() }))));
    await h.sendEvent(envelope(dmMessage({ text: 'two', ts: nextTs() })));
    const notice = await waitFor(
      () => fake.messages.find((m) => m.kind === 'ephemeral'),
      'the notice',
      15_000,
    );
    expect(notice).toMatchObject({ channel: 'D1', user: 'U1', text: QUEUED });
    // Each answer's Stop button message is deleted when it ends.
    const answers = () => fake.messages.filter((m) => m.kind !== 'ephemeral' && m.deleted !== true);
    await waitFor(
      () =>
        answers()
          .map((m) => m.text)
          .join('|') === `${answerTo('one')}|${answerTo('two')}`,
      'both answers',
      15_000,
    );
    expect(fake.messages.filter((m) => m.kind === 'ephemeral')).toHaveLength(1);
    expect(fake.callsTo('assistant.threads.setStatus')).toEqual([]);
  }, 45_000);
});
