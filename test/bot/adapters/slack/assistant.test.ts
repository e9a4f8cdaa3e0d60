import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_LOADING_MESSAGES,
  DEFAULT_SUGGESTED_PROMPTS,
} from '../../../../src/bot/adapters/slack/options.js';
import { suggestedPromptsFrom } from '../../../../src/bot/assistant/suggested-prompts.js';
import { BUILT_IN_PERMISSIONS } from '../../../../src/bot/permissions/defaults.js';
import { permissionsSchema } from '../../../../src/bot/permissions/schema.js';
import { channelsOver } from '../../../helpers/channels.js';
import { useFakeEngine } from '../../../helpers/fake-engine.js';
import { waitFor } from '../../../helpers/fake-slack.js';
import { type Harness, startHarness } from './harness.js';
import { dmMessage, envelope, nextTs } from './payloads.js';

const engine = useFakeEngine();
let h: Harness;

beforeEach(async () => {
  engine.fake.setBehavior({ reply: 'Happy to help.', delayMs: 20 });
  h = await startHarness({ engine: engine.engine });
});
afterEach(() => h.close());

describe('Slack assistant threads', () => {
  it('offers suggested prompts when a thread starts', async () => {
    const thread = nextTs();
    const response = await h.sendEvent(
      envelope({
        type: 'assistant_thread_started',
        assistant_thread: {
          user_id: 'U1',
          context: { channel_id: 'C1', team_id: 'T1', enterprise_id: null },
          channel_id: 'D1',
          thread_ts: thread,
        },
        ts: nextTs(),
      }),
    );
    expect(response.status).toBe(200);
    const call = await waitFor(
      () => h.fake.callsTo('assistant.threads.setSuggestedPrompts')[0],
      'the prompts',
    );
    expect(call.args).toMatchObject({ channel_id: 'D1', thread_ts: thread });
    expect(call.args.prompts).toEqual(
      expect.arrayContaining([expect.objectContaining({ title: 'Summarise text' })]),
    );
    expect(h.bot.metrics.seen).toEqual([]);
  });

  it('shows "is thinking…" and then streams the answer into the thread', async () => {
    engine.fake.setBehavior({ reply: 'Happy to help.', delayMs: 20, firstDelayMs: 600 });
    const thread = nextTs();
    await h.sendEvent(envelope(dmMessage({ text: 'help me', ts: nextTs(), threadTs: thread })));
    const answer = await waitFor(
      () => h.fake.messages.find((m) => m.threadTs === thread && !m.streaming && m.kind === 'stream'),
      'the answer',
    );
    expect(answer).toMatchObject({ channel: 'D1', text: 'Happy to help.' });
    const status = h.fake.callsTo('assistant.threads.setStatus');
    expect(status[0]?.args).toEqual({
      channel_id: 'D1',
      thread_ts: thread,
      status: 'is thinking…',
      loading_messages: DEFAULT_LOADING_MESSAGES,
    });
    expect(status[0]?.at).toBeLessThanOrEqual(h.fake.callsTo('chat.startStream')[0]?.at ?? 0);
    // Posting the answer clears the status; it is not cleared by hand.
    expect(status).toHaveLength(1);
  });

  it('shows no status for an answer refused at once, only the notice', async () => {
    engine.fake.setBehavior({ error: { status: 500, message: 'model down' } });
    const thread = nextTs();
    await h.sendEvent(envelope(dmMessage({ text: 'help me', ts: nextTs(), threadTs: thread })));
    await waitFor(() => h.fake.messages.find((m) => m.kind === 'ephemeral'), 'the error notice');
    expect(h.fake.callsTo('assistant.threads.setStatus')).toEqual([]);
  });

  it('clears the status when a slow answer fails', async () => {
    engine.fake.setBehavior({ error: { status: 500, message: 'model down' }, firstDelayMs: 600 });
    const thread = nextTs();
    await h.sendEvent(envelope(dmMessage({ text: 'help me', ts: nextTs(), threadTs: thread })));
    await waitFor(() => h.fake.messages.find((m) => m.kind === 'ephemeral'), 'the error notice');
    const statuses = await waitFor(() => {
      const calls = h.fake.callsTo('assistant.threads.setStatus');
      return calls.length === 2 && calls.map((c) => c.args.status);
    }, 'the status cleared');
    expect(statuses).toEqual(['is thinking…', '']);
  });

  it('titles an assistant thread after its first question, once', async () => {
    const thread = nextTs();
    await h.sendEvent(
      envelope(
        dmMessage({
          text: 'How do I rotate the staging database credentials?\nDetails follow.',
          ts: nextTs(),
          threadTs: thread,
        }),
      ),
    );
    await waitFor(() => h.fake.callsTo('assistant.threads.setTitle')[0], 'the title');
    await h.sendEvent(envelope(dmMessage({ text: 'and production?', ts: nextTs(), threadTs: thread })));
    await waitFor(() => h.fake.callsTo('chat.stopStream').length === 2, 'both answers');
    const titles = h.fake.callsTo('assistant.threads.setTitle');
    expect(titles.map((c) => c.args)).toEqual([
      { channel_id: 'D1', thread_ts: thread, title: 'How do I rotate the staging database credentials?' },
    ]);
  });

  it('offers the prompts permissions.json sets for the channel being viewed, else the workspace’s', async () => {
    const file = permissionsSchema.parse({
      ...BUILT_IN_PERMISSIONS,
      chats: {
        'slack:C9': { suggestedPrompts: [{ title: 'Triage an incident', message: 'Help me triage:' }] },
      },
      workspaces: {
        'slack:T1': { suggestedPrompts: [{ title: 'Ask about T1', message: 'In our workspace,' }] },
      },
    });
    await h.close();
    h = await startHarness({
      engine: engine.engine,
      adapter: {
        suggestedPrompts: suggestedPromptsFrom(
          () => file,
          channelsOver(() => file),
          DEFAULT_SUGGESTED_PROMPTS,
        ),
      },
    });
    const started = (viewing: string) =>
      envelope({
        type: 'assistant_thread_started',
        assistant_thread: {
          user_id: 'U1',
          context: { channel_id: viewing, team_id: 'T1', enterprise_id: null },
          channel_id: 'D1',
          thread_ts: nextTs(),
        },
        ts: nextTs(),
      });
    await h.sendEvent(started('C9'));
    await h.sendEvent(started('C1'));
    const calls = await waitFor(() => {
      const all = h.fake.callsTo('assistant.threads.setSuggestedPrompts');
      return all.length === 2 && all;
    }, 'both threads’ prompts');
    const titles = calls.map((c) => (c.args.prompts as Array<{ title: string }>).map((p) => p.title));
    expect(titles).toEqual(expect.arrayContaining([['Triage an incident'], ['Ask about T1']]));
  });
});
