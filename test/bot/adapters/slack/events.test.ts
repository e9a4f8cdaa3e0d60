import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STOP_CONTROL_TEXT } from '../../../../src/bot/adapters/slack/reply/stop-control.js';
import { useFakeEngine } from '../../../helpers/fake-engine.js';
import { waitFor } from '../../../helpers/fake-slack.js';
import { type Harness, startHarness } from './harness.js';
import { appMention, channelMessage, dmMessage, envelope, nextTs } from './payloads.js';

const engine = useFakeEngine();
let h: Harness;

beforeEach(async () => {
  engine.fake.setBehavior({ reply: 'The answer is 42.' });
  h = await startHarness({ engine: engine.engine });
});
afterEach(() => h.close());

const finishedStreams = (thread: string) =>
  h.fake.messages.filter((m) => m.threadTs === thread && m.kind === 'stream' && !m.streaming);
const answered = (thread: string) =>
  waitFor(() => finishedStreams(thread)[0], `an answer in thread ${thread}`);
const lastQuestion = () => {
  const body = engine.fake.requests.at(-1)?.body as { messages: Array<{ content: string }> } | undefined;
  return body?.messages.at(-1)?.content;
};

describe('Slack events over HTTP', () => {
  it('answers the url_verification challenge', async () => {
    const response = await h.sendEvent({ token: 't', challenge: 'abc123', type: 'url_verification' });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ challenge: 'abc123' });
  });

  it('acks a channel mention at once, then streams one answer in a new thread under it', async () => {
    engine.fake.setBehavior({ reply: 'The answer is 42.', delayMs: 100 });
    const requestsBefore = engine.fake.requests.length;
    const ts = nextTs();
    const response = await h.sendEvent(envelope(appMention({ text: '<@UBOT> what is the answer?', ts })));
    expect(response.status).toBe(200);
    expect(response.ms).toBeLessThan(500);
    // The answer takes ~500 ms to generate: the ack did not wait for it.
    expect(finishedStreams(ts)).toHaveLength(0);

    const message = await answered(ts);
    expect(message.text).toBe('The answer is 42.');
    expect(message.channel).toBe('C1');
    expect(h.fake.callsTo('chat.startStream')[0]?.args).toMatchObject({
      channel: 'C1',
      thread_ts: ts,
      recipient_user_id: 'U1',
      recipient_team_id: 'T1',
    });
    expect(h.fake.callsTo('chat.stopStream')).toHaveLength(1);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);
    expect(h.fake.messages.filter((m) => m.kind !== 'ephemeral')).toHaveLength(1);
    const status = h.fake.callsTo('assistant.threads.setStatus')[0];
    expect(status?.args).toMatchObject({ channel_id: 'C1', thread_ts: ts, status: 'is thinking…' });
    expect(status?.at).toBeLessThanOrEqual(h.fake.callsTo('chat.startStream')[0]?.at ?? 0);
    expect(engine.fake.requests.length).toBe(requestsBefore + 1);
    expect(lastQuestion()).toBe('what is the answer?');
  });

  it('answers a DM by posting, then editing at most about once a second', async () => {
    const reply =
      'Counting slowly: one, two, three, four, five, six, seven, eight, nine, ten, eleven, twelve.';
    engine.fake.setBehavior({ reply, chunkSize: 3, delayMs: 80 }); // ~2.5 s of chunks
    await h.close();
    h = await startHarness({ engine: engine.engine, streamIntervalMs: 1_000 });
    const response = await h.sendEvent(envelope(dmMessage({ text: 'count for me' })));
    expect(response.status).toBe(200);
    await waitFor(
      () => h.fake.messages.find((m) => m.channel === 'D1' && m.text === reply),
      'the full DM answer',
    );

    // An answer that runs this long gets a Stop button beside it (a message of its own).
    const posts = h.fake.callsTo('chat.postMessage').filter((c) => c.args.text !== STOP_CONTROL_TEXT);
    const updates = h.fake.callsTo('chat.update');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args.thread_ts).toBeUndefined();
    expect(h.fake.callsTo('chat.startStream')).toHaveLength(0);
    expect(updates.length).toBeGreaterThanOrEqual(2);
    const times = [posts[0]?.at ?? 0, ...updates.map((u) => u.at)];
    // Every edit but the final one waits a full interval; the final one comes when the text ends.
    for (let i = 1; i < times.length - 1; i++) {
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(950);
    }
    expect(updates.at(-1)?.args.text).toBe(reply);
  });

  it('answers a Slack Connect user from another team with post-and-edit, not a stream', async () => {
    const ts = nextTs();
    await h.sendEvent(
      envelope(appMention({ text: '<@UBOT> hello from afar', ts, user_team: 'T2', team: 'T2' })),
    );
    const answer = await waitFor(
      () => h.fake.messages.find((m) => m.threadTs === ts && m.text === 'The answer is 42.'),
      'the answer',
    );
    expect(answer.kind).toBe('post');
    expect(h.fake.callsTo('chat.startStream')).toEqual([]);
  });

  it('answers follow-ups in a thread it was mentioned in, without a new mention', async () => {
    const root = nextTs();
    await h.sendEvent(envelope(appMention({ text: '<@UBOT> remember 7', ts: root })));
    await answered(root);
    engine.fake.setBehavior({ reply: 'Still here.' });
    await h.sendEvent(envelope(channelMessage({ text: 'and what now?', threadTs: root })));
    await waitFor(() => finishedStreams(root)[1], 'the second answer');
    expect(finishedStreams(root).map((m) => m.text)).toEqual(['The answer is 42.', 'Still here.']);
    // The follow-up was answered with the thread's history.
    const body = engine.fake.requests.at(-1)?.body as { messages: Array<{ role: string; content: string }> };
    expect(body.messages.map((m) => m.content)).toContain('remember 7');
  });

  it('looks up the names of mentioned users only: a question costs no users.info call', async () => {
    h.fake.addUser('U1', 'ada');
    h.fake.addUser('U2', 'grace');
    const ts = nextTs();
    await h.sendEvent(envelope(appMention({ text: '<@UBOT> what is the answer?', ts })));
    await answered(ts);
    expect(h.fake.callsTo('users.info')).toEqual([]);

    const second = nextTs();
    await h.sendEvent(envelope(appMention({ text: '<@UBOT> ask <@U2> about it', ts: second })));
    await answered(second);
    expect(lastQuestion()).toBe('ask @grace about it');
    expect(h.fake.callsTo('users.info').map((c) => c.args.user)).toEqual(['U2']);
  });

  it('ignores a message in a thread it was never mentioned in', async () => {
    const requestsBefore = engine.fake.requests.length;
    await h.sendEvent(envelope(channelMessage({ text: 'people talking', threadTs: nextTs() })));
    await h.sendEvent(envelope(channelMessage({ text: 'a top-level message' })));
    await waitFor(
      () => h.log.lines.filter((l) => l.msg === 'Slack message not for the bot').length === 2,
      'both messages passed over',
    );
    expect(h.bot.metrics.seen).toEqual([]);
    expect(engine.fake.requests.length).toBe(requestsBefore);
    expect(h.fake.messages).toEqual([]);
  });

  it("ignores its own messages, edits, joins and other bots' messages", async () => {
    await h.sendEvent(envelope(dmMessage({ text: 'my own answer', user: 'UBOT', bot_id: 'BBOT' })));
    await h.sendEvent(
      envelope({
        type: 'message',
        subtype: 'message_changed',
        channel: 'D1',
        channel_type: 'im',
        ts: nextTs(),
      }),
    );
    await h.sendEvent(envelope(channelMessage({ text: 'joined', subtype: 'channel_join' })));
    await h.sendEvent(
      envelope(dmMessage({ text: 'beep', subtype: 'bot_message', bot_id: 'BOTHER', user: undefined })),
    );
    await waitFor(
      () => h.log.lines.filter((l) => l.msg === 'Slack message ignored').length === 4,
      'four ignored',
    );
    const reasons = h.log.lines.filter((l) => l.msg === 'Slack message ignored').map((l) => l.reason);
    expect(reasons.sort()).toEqual([
      'other_bot',
      'own_message',
      'subtype_channel_join',
      'subtype_message_changed',
    ]);
    expect(h.bot.metrics.seen).toEqual([]);
  });

  it('answers once when Slack redelivers an event, and once for the app_mention + message pair', async () => {
    const ts = nextTs();
    const mention = envelope(appMention({ text: '<@UBOT> hi', ts }), 'EvSAME');
    const message = envelope(channelMessage({ text: '<@UBOT> hi', ts }));
    await Promise.all([
      h.sendEvent(mention),
      h.sendEvent(message),
      h.sendEvent(mention, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } }),
    ]);
    await answered(ts);
    await waitFor(
      () => h.bot.metrics.seen.filter((s) => s === 'dedup/duplicate').length === 2,
      'two duplicates dropped',
    );
    expect(h.bot.metrics.seen.filter((s) => s === 'dedup/passed')).toHaveLength(1);
    expect(h.fake.callsTo('chat.startStream')).toHaveLength(1);
    expect(finishedStreams(ts)).toHaveLength(1);
  });

  it('answers other bots when answerBots is set', async () => {
    await h.close();
    h = await startHarness({ engine: engine.engine, adapter: { answerBots: true } });
    await h.sendEvent(
      envelope(dmMessage({ text: 'beep', subtype: 'bot_message', bot_id: 'BOTHER', user: undefined })),
    );
    const answer = await waitFor(
      () => h.fake.messages.find((m) => m.text === 'The answer is 42.'),
      'the answer to the bot',
    );
    expect(answer.channel).toBe('D1');
  });
});
