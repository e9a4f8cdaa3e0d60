import { afterEach, describe, expect, it } from 'vitest';
import { FEEDBACK_ACTION } from '../../../../src/bot/adapters/slack/reply/feedback-blocks.js';
import { accessStage } from '../../../../src/bot/permissions/access-stage.js';
import { registerAdminCommands } from '../../../../src/bot/permissions/admin/index.js';
import { AuditLog } from '../../../../src/bot/permissions/audit.js';
import { BUILT_IN_PERMISSIONS } from '../../../../src/bot/permissions/defaults.js';
import { PermissionOverrides } from '../../../../src/bot/permissions/overrides.js';
import { PermissionsSource } from '../../../../src/bot/permissions/source.js';
import { MemoryKeyValueStore } from '../../../../src/storage/kv/memory.js';
import { recordingMetrics } from '../../../helpers/bot.js';
import { captureLogger } from '../../../helpers/capture-logger.js';
import { type FakeMessage, waitFor } from '../../../helpers/fake-slack.js';
import { ScriptedEngine } from '../../../helpers/scripted-engine.js';
import { type Harness, startHarness } from './harness.js';
import { blockAction, dmMessage, envelope, nextTs, slashCommand } from './payloads.js';

let h: Harness;
afterEach(() => h.close());

const ANSWER = 'Here is **the** answer, in a few words.';

async function start(): Promise<void> {
  const engine = new ScriptedEngine('scripted', [{ chunks: ANSWER.split(/(?= )/), delayMs: 5 }]);
  const source = PermissionsSource.fixed(
    { ...BUILT_IN_PERMISSIONS, users: { 'slack:UADMIN': 'admin' } },
    captureLogger().logger,
  );
  const kv = new MemoryKeyValueStore({ prefix: 'feedback-test:' });
  const overrides = new PermissionOverrides(kv);
  h = await startHarness({
    engine,
    kv,
    feedback: true,
    permissions: accessStage({ source, overrides, metrics: recordingMetrics() }),
  });
  registerAdminCommands(h.bot.commands, { source, overrides, audit: new AuditLog(kv), feedback: h.feedback });
}

type Element = {
  type: string;
  action_id: string;
  positive_button?: { value: string };
  negative_button?: { value: string };
  elements?: Element[];
  value?: string;
};
const blocksOf = (message: FakeMessage) => (message.blocks ?? []) as Element[];

/** The feedback element under a finished answer. */
function feedbackElement(message: FakeMessage): Element | undefined {
  const block = blocksOf(message).find((b) => b.type === 'context_actions');
  return block?.elements?.find((e) => e.type === 'feedback_buttons');
}

async function click(message: FakeMessage, user: string, action: Record<string, unknown>) {
  const response = await h.sendCommand(
    blockAction(h.fake, { channel: message.channel, messageTs: message.ts, user, action }),
  );
  expect(response.status).toBe(200);
}

const counted = async (value: 'good' | 'bad') => {
  const text = await h.metrics.registry.metrics();
  return Number(new RegExp(`teambot_feedback_total\\{value="${value}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
};

describe('feedback buttons under Slack answers', () => {
  it('a streamed answer ends with feedback_buttons; votes are recorded, counted and listed by /admin feedback', async () => {
    await start();
    const answer = await askInThread();
    const buttons = feedbackElement(answer);
    expect(buttons?.action_id).toBe(FEEDBACK_ACTION);
    const good = {
      type: 'feedback_buttons',
      action_id: FEEDBACK_ACTION,
      value: buttons?.positive_button?.value,
    };
    const bad = {
      type: 'feedback_buttons',
      action_id: FEEDBACK_ACTION,
      value: buttons?.negative_button?.value,
    };

    await click(answer, 'U1', good);
    const votes = await waitForVotes(1);
    expect(votes[0]).toMatchObject({
      platform: 'slack',
      workspace: 'T1',
      chat: 'D1',
      answerId: answer.ts,
      userId: 'U1',
      value: 'good',
      model: 'scripted-model',
      backend: 'scripted',
    });
    expect(await counted('good')).toBe(1);

    // U1 changes their mind; U2 likes it.
    await click(answer, 'U1', bad);
    await click(answer, 'U2', good);
    const counts = await waitForCounts({ good: 1, bad: 1 });
    expect(counts).toEqual({ good: 1, bad: 1 });
    expect(await counted('good')).toBe(2);
    expect(await counted('bad')).toBe(1);

    await h.sendCommand({ ...slashCommand(h.fake, '/teambot', 'admin feedback', 'fb1'), user_id: 'UADMIN' });
    const listed = await waitFor(() => h.fake.responses.find((r) => r.id === 'fb1'), 'the listing');
    const text = String(listed.body.text);
    expect(text).toContain('Feedback: 1 👍, 1 👎.');
    expect(text).toContain('The last 2 votes:');
    expect(text).toContain(`slack:U2 on D1/${answer.ts} (scripted, scripted-model)`);
    expect(text).toContain(`👎 slack:U1 on D1/${answer.ts}`);

    await h.sendCommand(slashCommand(h.fake, '/teambot', 'admin feedback', 'fb2'));
    const refused = await waitFor(() => h.fake.responses.find((r) => r.id === 'fb2'), 'the refusal');
    expect(String(refused.body.text)).toContain('You need the admin:audit scope for /admin feedback');
  });

  it('a posted answer gets them in its last edit, its text kept in section blocks', async () => {
    await start();
    await h.sendEvent(envelope(dmMessage({ text: 'help' })));
    const answer = await waitFor(
      () =>
        h.fake.messages.find(
          (m) => m.channel === 'D1' && m.kind === 'post' && feedbackElement(m) !== undefined,
        ),
      'the answer with its buttons',
    );
    expect(answer.text).toBe('Here is *the* answer, in a few words.');
    expect(blocksOf(answer)[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: answer.text } });
  });

  it('an /ask answer sent through its response_url carries them too', async () => {
    await start();
    await h.sendCommand(slashCommand(h.fake, '/ask', 'help', 'ask1'));
    const answer = await waitFor(() => h.fake.responses.find((r) => r.id === 'ask1'), 'the answer');
    expect(answer.body).toMatchObject({
      response_type: 'in_channel',
      text: 'Here is *the* answer, in a few words.',
    });
    const blocks = answer.body.blocks as Element[];
    expect(blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: answer.body.text } });
    expect(blocks[1]?.elements?.[0]).toMatchObject({ type: 'feedback_buttons', action_id: FEEDBACK_ACTION });
  });

  it('where Slack refuses context_actions, plain buttons stand in and their votes count the same', async () => {
    await start();
    h.fake.fail('chat.stopStream', 'invalid_blocks', 1);
    const answer = await askInThread();
    const actions = blocksOf(answer).find((b) => b.type === 'actions');
    const bad = actions?.elements?.find((e) => e.action_id === `${FEEDBACK_ACTION}:bad`);
    expect(bad).toBeDefined();
    await click(answer, 'U1', { type: 'button', ...bad });
    const votes = await waitForVotes(1);
    expect(votes[0]).toMatchObject({ answerId: answer.ts, userId: 'U1', value: 'bad' });
  });
});

/** Asks in an assistant thread; resolves with the finished streamed answer. */
async function askInThread(): Promise<FakeMessage> {
  const thread = nextTs();
  await h.sendEvent(envelope(dmMessage({ text: 'help', ts: nextTs(), threadTs: thread })));
  const answer = await waitFor(
    () => h.fake.messages.find((m) => m.threadTs === thread && m.kind === 'stream' && !m.streaming),
    'the answer',
  );
  expect(answer.text).toBe(ANSWER);
  return answer;
}

/** Reads the store until `ok` holds (or 5 s pass); resolves with the last reading. */
async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const waitForVotes = (n: number) =>
  eventually(
    async () => (await h.feedback?.recent(10)) ?? [],
    (v) => v.length >= n,
  );
const waitForCounts = (expected: { good: number; bad: number }) =>
  eventually(
    async () => h.feedback?.counts(),
    (c) => c?.good === expected.good && c.bad === expected.bad,
  );
