import type { FakeSlack } from '../../../helpers/fake-slack.js';

let sequence = 0;

/** A fresh Slack ts ("seconds.micros"), unique within the run. */
export function nextTs(): string {
  sequence += 1;
  return `${Math.floor(Date.now() / 1000)}.${String(100_000 + sequence).padStart(6, '0')}`;
}

/** An Events API delivery around `event`. */
export function envelope(event: Record<string, unknown>, eventId = `Ev${nextTs().replace('.', '')}`) {
  return {
    token: 'legacy-token',
    team_id: 'T1',
    api_app_id: 'A1',
    event: { event_ts: event.ts, ...event },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: 'T1', user_id: 'UBOT', is_bot: true }],
  };
}

export interface MessageFields {
  channel?: string;
  user?: string;
  text: string;
  ts?: string;
  threadTs?: string;
  [extra: string]: unknown;
}

function fields({ channel, user, text, ts, threadTs, ...extra }: MessageFields, channelDefault: string) {
  return {
    channel: channel ?? channelDefault,
    user: user ?? 'U1',
    text,
    ts: ts ?? nextTs(),
    team: 'T1',
    ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    ...extra,
  };
}

export const appMention = (f: MessageFields) => ({ type: 'app_mention', ...fields(f, 'C1') });
export const channelMessage = (f: MessageFields) => ({
  type: 'message',
  channel_type: 'channel',
  ...fields(f, 'C1'),
});
export const dmMessage = (f: MessageFields) => ({ type: 'message', channel_type: 'im', ...fields(f, 'D1') });

/** A slash command's form fields, answered through the fake's response_url `id`. */
export function slashCommand(fake: FakeSlack, command: string, text: string, id: string) {
  return {
    token: 'legacy-token',
    team_id: 'T1',
    team_domain: 'fake',
    channel_id: 'C1',
    channel_name: 'general',
    user_id: 'U1',
    user_name: 'ada',
    command,
    text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: fake.responseUrl(id),
    trigger_id: `trigger-${id}-${nextTs()}`,
  };
}

/** An interactivity delivery (block_actions) for a click on `action` in message `messageTs`, as form fields. */
export function blockAction(
  fake: FakeSlack,
  click: { channel: string; messageTs: string; user?: string; action: Record<string, unknown> },
): Record<string, string> {
  const user = click.user ?? 'U1';
  const payload = {
    type: 'block_actions',
    team: { id: 'T1', domain: 'fake' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy-token',
    container: {
      type: 'message',
      message_ts: click.messageTs,
      channel_id: click.channel,
      is_ephemeral: false,
    },
    trigger_id: `trigger-${nextTs()}`,
    channel: { id: click.channel, name: 'general' },
    message: { type: 'message', ts: click.messageTs, text: '' },
    response_url: fake.responseUrl(`action-${click.messageTs}`),
    actions: [{ block_id: 'b1', action_ts: nextTs(), ...click.action }],
  };
  return { payload: JSON.stringify(payload) };
}
