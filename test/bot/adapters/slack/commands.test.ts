import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSlashCommand } from '../../../../src/bot/adapters/slack/inbound/command.js';
import { useFakeEngine } from '../../../helpers/fake-engine.js';
import { waitFor } from '../../../helpers/fake-slack.js';
import { type Harness, startHarness } from './harness.js';
import { slashCommand } from './payloads.js';

const engine = useFakeEngine();
let h: Harness;

beforeEach(async () => {
  engine.fake.setBehavior({ reply: 'Paris is the capital of France.' });
  h = await startHarness({ engine: engine.engine });
});
afterEach(() => h.close());

const responsesTo = (id: string) => h.fake.responses.filter((r) => r.id === id);
const firstResponse = (id: string) => waitFor(() => responsesTo(id)[0], `a response to ${id}`);

describe('Slack slash commands', () => {
  it('acks /ask at once while a slow model answers, then answers in the channel via response_url', async () => {
    // ~1.6 s to generate: 8 chunks, 200 ms apart.
    engine.fake.setBehavior({ reply: 'Paris is the capital of France.', chunkSize: 4, delayMs: 200 });
    const started = Date.now();
    const ack = await h.sendCommand(slashCommand(h.fake, '/ask', 'What is the capital of France?', 'ask1'));
    expect(ack.status).toBe(200);
    expect(ack.ms).toBeLessThan(1_000);
    expect(JSON.parse(ack.body)).toMatchObject({ response_type: 'ephemeral' });
    expect(responsesTo('ask1')).toEqual([]);

    const answer = await firstResponse('ask1');
    expect(answer.at - started).toBeGreaterThanOrEqual(1_400);
    expect(answer.body).toEqual({ response_type: 'in_channel', text: 'Paris is the capital of France.' });
    const request = engine.fake.requests.at(-1)?.body as { messages: Array<{ content: string }> };
    expect(request.messages.at(-1)?.content).toBe('What is the capital of France?');
    expect(h.fake.callsTo('chat.postMessage')).toEqual([]);
  });

  it('answers /teambot help (and /teambot alone) privately', async () => {
    const ack = await h.sendCommand(slashCommand(h.fake, '/teambot', 'help', 'help1'));
    expect(ack.status).toBe(200);
    expect(ack.body).toBe('');
    const help = await firstResponse('help1');
    expect(help.body.response_type).toBe('ephemeral');
    expect(String(help.body.text)).toContain('/reset');

    await h.sendCommand(slashCommand(h.fake, '/teambot', '', 'help2'));
    expect((await firstResponse('help2')).body.text).toBe(help.body.text);
  });

  it('runs /teambot reset and whoami, and explains unknown subcommands, all ephemeral', async () => {
    await h.sendCommand(slashCommand(h.fake, '/teambot', 'reset', 'reset1'));
    expect((await firstResponse('reset1')).body).toEqual({
      response_type: 'ephemeral',
      text: 'Done: I have forgotten this conversation.',
    });
    await h.sendCommand(slashCommand(h.fake, '/teambot', 'whoami', 'who1'));
    const who = await firstResponse('who1');
    expect(who.body.response_type).toBe('ephemeral');
    expect(String(who.body.text)).toContain('ada (U1) on slack, workspace T1');
    await h.sendCommand(slashCommand(h.fake, '/teambot', 'frobnicate now', 'bad1'));
    const bad = await firstResponse('bad1');
    expect(bad.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(bad.body.text)).toContain('Unknown command /frobnicate');
  });
});

describe('what the adapter does not handle', () => {
  it('acks button clicks and unknown commands at once', async () => {
    const payload = {
      type: 'block_actions',
      team: { id: 'T1', domain: 'fake' },
      user: { id: 'U1', name: 'ada' },
      api_app_id: 'A1',
      token: 'legacy-token',
      trigger_id: 't1',
      channel: { id: 'C1', name: 'general' },
      actions: [{ action_id: 'vote', block_id: 'b1', type: 'button', value: '1', action_ts: '1.2' }],
      response_url: h.fake.responseUrl('btn'),
    };
    const click = await h.sendCommand({ payload: JSON.stringify(payload) });
    expect(click.status).toBe(200);
    expect(click.ms).toBeLessThan(1_000);
    const unknown = await h.sendCommand(slashCommand(h.fake, '/weather', 'today', 'w1'));
    expect(unknown.status).toBe(200);
    expect(JSON.parse(unknown.body)).toEqual({
      response_type: 'ephemeral',
      text: 'I do not know /weather. Try /teambot help.',
    });
    expect(h.bot.metrics.seen).toEqual([]);
  });
});

describe('parseSlashCommand', () => {
  it('maps /ask and /teambot subcommands to pipeline commands', () => {
    expect(parseSlashCommand('/ask', ' why? ')).toEqual({ name: 'ask', args: 'why?' });
    expect(parseSlashCommand('/teambot', '')).toEqual({ name: 'help', args: '' });
    expect(parseSlashCommand('/teambot', 'Reset')).toEqual({ name: 'reset', args: '' });
    expect(parseSlashCommand('/teambot', 'admin  grant  @bob')).toEqual({
      name: 'admin',
      args: 'grant  @bob',
    });
    expect(parseSlashCommand('/teambot', 'limits')).toEqual({ name: 'limits', args: '' });
  });
});
