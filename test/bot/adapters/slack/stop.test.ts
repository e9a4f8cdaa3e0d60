import { afterEach, describe, expect, it } from 'vitest';
import { STOP_ACTION, STOP_CONTROL_TEXT } from '../../../../src/bot/adapters/slack/reply/stop-control.js';
import { STOP_SENT } from '../../../../src/bot/commands/stop.js';
import { STOPPED_MARK } from '../../../../src/bot/turns/stopped-mark.js';
import { type FakeMessage, waitFor } from '../../../helpers/fake-slack.js';
import { ScriptedEngine } from '../../../helpers/scripted-engine.js';
import { type Harness, startHarness } from './harness.js';
import { appMention, blockAction, dmMessage, envelope, nextTs, slashCommand } from './payloads.js';

/** A long, slow answer: 400 numbered words, 25 ms apart (10 s in all). */
const WORDS = Array.from({ length: 400 }, (_, i) => `w${i} `);
const FULL = WORDS.join('');

let h: Harness;
let engine: ScriptedEngine;
afterEach(() => h.close());

async function start(): Promise<void> {
  engine = new ScriptedEngine('scripted', [{ chunks: WORDS, delayMs: 25 }]);
  h = await startHarness({ engine, streamIntervalMs: 100 });
}

/** The answer's messages in a place, the Stop button's left out, in order. */
const answerIn = (channel: string, thread?: string) =>
  h.fake.messages.filter(
    (m) =>
      m.channel === channel &&
      m.threadTs === thread &&
      m.kind !== 'ephemeral' &&
      m.text !== STOP_CONTROL_TEXT,
  );
const textOf = (messages: FakeMessage[]) => messages.map((m) => m.text).join('');

/** The button in a Stop control message. */
function stopButtonOf(control: FakeMessage): { action_id: string; value: string } | undefined {
  const actions = control.blocks?.[0] as
    | { elements: Array<{ action_id: string; value: string }> }
    | undefined;
  return actions?.elements[0];
}

/** Checks the answer stopped: what was shown stays, a prefix of the full answer, then the mark. */
function expectStopped(text: string): void {
  expect(text.endsWith(STOPPED_MARK)).toBe(true);
  const shown = text.slice(0, -STOPPED_MARK.length).trimEnd();
  expect(shown.length).toBeGreaterThan(0);
  expect(FULL.startsWith(shown)).toBe(true);
  expect(shown.length).toBeLessThan(FULL.trimEnd().length);
}

describe('stopping an answer in Slack', () => {
  it('by its Stop button: the answer stops within a second and keeps what it showed, marked', async () => {
    await start();
    await h.sendEvent(envelope(dmMessage({ text: 'count for me' })));
    const control = await waitFor(
      () => h.fake.messages.find((m) => m.channel === 'D1' && m.text === STOP_CONTROL_TEXT),
      'the Stop button',
    );
    const button = stopButtonOf(control);
    expect(button?.action_id).toBe(STOP_ACTION);
    expect(button?.value).toBe('slack:T1:D1:-');
    await waitFor(() => answerIn('D1')[0]?.text.includes('w10 '), 'some answer text');

    const clicked = Date.now();
    const response = await h.sendCommand(
      blockAction(h.fake, { channel: 'D1', messageTs: control.ts, action: { type: 'button', ...button } }),
    );
    expect(response.status).toBe(200);
    const answer = await waitFor(() => {
      const text = textOf(answerIn('D1'));
      return text.endsWith(STOPPED_MARK) && text;
    }, 'the stopped answer');
    expect(Date.now() - clicked).toBeLessThan(1_000);
    expectStopped(answer);
    expect(engine.aborted).toBe(1);
    await waitFor(() => control.deleted, 'the Stop button removed');
    // A stopped answer is not remembered as an exchange.
    expect(await h.bot.memory.load('slack:T1:D1:-')).toEqual([]);
  });

  it('by /stop: a slash command stops the sender’s answers in that channel', async () => {
    await start();
    const ts = nextTs();
    await h.sendEvent(envelope(appMention({ text: '<@UBOT> count for me', ts })));
    await waitFor(() => answerIn('C1', ts)[0]?.text.includes('w10 '), 'the streamed answer');
    const clicked = Date.now();
    await h.sendCommand(slashCommand(h.fake, '/stop', '', 'stop1'));
    const answer = await waitFor(() => {
      const message = answerIn('C1', ts)[0];
      return message !== undefined && !message.streaming && message.text;
    }, 'the stream ended');
    expect(Date.now() - clicked).toBeLessThan(1_000);
    expectStopped(answer);
    const response = await waitFor(() => h.fake.responses.find((r) => r.id === 'stop1'), 'the reply');
    expect(response.body).toEqual({ response_type: 'ephemeral', text: STOP_SENT });
    expect(engine.aborted).toBe(1);
    // In a channel thread the app's agent session shows Slack's own stop control: no button of ours.
    expect(h.fake.messages.some((m) => m.text === STOP_CONTROL_TEXT)).toBe(false);
  });

  it("by Slack's native stop control (agent_session_stopped): nothing shown is lost, the mark follows", async () => {
    await start();
    const thread = nextTs();
    await h.sendEvent(envelope(dmMessage({ text: 'count for me', ts: nextTs(), threadTs: thread })));
    await waitFor(() => answerIn('D1', thread)[0]?.text.includes('w10 '), 'the streamed answer');
    const processing = h.fake.callsTo('agents.sessions.setStatus')[0];
    expect(processing?.args).toMatchObject({ channel_id: 'D1', thread_ts: thread, status: 'processing' });

    // Slack stops the streams itself, then tells the app.
    const stopped = h.fake.stopStreamsIn('D1', thread);
    const clicked = Date.now();
    await h.sendEvent(
      envelope({
        type: 'agent_session_stopped',
        channel: 'D1',
        thread_ts: thread,
        user: 'U1',
        streaming_message_ts: stopped,
        ts: nextTs(),
      }),
    );
    const answer = await waitFor(() => {
      const text = textOf(answerIn('D1', thread));
      return text.endsWith(STOPPED_MARK) && text;
    }, 'the stopped answer');
    expect(Date.now() - clicked).toBeLessThan(1_000);
    expectStopped(answer);
    expect(engine.aborted).toBe(1);
    // The app takes the session out of `processing` itself.
    const statuses = await waitFor(() => {
      const calls = h.fake.callsTo('agents.sessions.setStatus');
      return calls.length === 2 && calls.map((c) => c.args.status);
    }, 'the session ended');
    expect(statuses).toEqual(['processing', 'active']);
  });

  it('where the app is no agent, a streamed thread answer gets our Stop button, and Slack is not asked again', async () => {
    await start();
    h.fake.fail('agents.sessions.setStatus', 'not_allowed_token_type');
    const ts = nextTs();
    await h.sendEvent(envelope(appMention({ text: '<@UBOT> count for me', ts })));
    const control = await waitFor(
      () => h.fake.messages.find((m) => m.threadTs === ts && m.text === STOP_CONTROL_TEXT),
      'the Stop button',
    );
    const button = stopButtonOf(control);
    expect(button?.value).toBe(`slack:T1:C1:${ts}`);
    await h.sendCommand(
      blockAction(h.fake, { channel: 'C1', messageTs: control.ts, action: { type: 'button', ...button } }),
    );
    const answer = await waitFor(() => {
      const message = answerIn('C1', ts)[0];
      return message !== undefined && !message.streaming && message.kind === 'stream' && message.text;
    }, 'the stopped stream');
    expectStopped(answer);
    await waitFor(() => control.deleted, 'the Stop button removed');

    const next = nextTs();
    await h.sendEvent(envelope(appMention({ text: '<@UBOT> again', ts: next })));
    await waitFor(() => answerIn('C1', next)[0]?.text.includes('w3 '), 'the second answer');
    expect(h.fake.callsTo('agents.sessions.setStatus')).toHaveLength(1);
  });
});
