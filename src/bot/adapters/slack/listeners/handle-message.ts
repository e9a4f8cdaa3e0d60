import { conversationKey } from '../../../message.js';
import { chatKindOf } from '../inbound/chat.js';
import { decide, needsFollowCheck } from '../inbound/decide.js';
import type { SlackMessageEvent } from '../inbound/event-shape.js';
import { toAttachments } from '../inbound/files.js';
import { ignoreReason } from '../inbound/filter.js';
import { toInboundMessage } from '../inbound/message.js';
import { mentionedUsers, mentionsUser, plainText } from '../inbound/text.js';
import { threadReplier } from '../reply/thread-replier.js';
import type { ListenerDeps } from './deps.js';
import { titleThread } from './thread-title.js';

/**
 * One `message` or `app_mention` event, after Slack was answered: decides whether it is for the
 * bot, follows the thread of a mention, and hands the message to the pipeline.
 */
export async function handleMessageEvent(
  event: SlackMessageEvent,
  teamId: string | undefined,
  deps: ListenerDeps,
): Promise<void> {
  const self = await deps.identity();
  const log = deps.log.child({ channel: event.channel, ts: event.ts });
  const skip = ignoreReason(event, self, deps.answerBots);
  if (skip !== undefined) {
    log.debug({ reason: skip }, 'Slack message ignored');
    return;
  }
  const workspace = teamId ?? self.teamId;
  const kind = chatKindOf(event.channel, event.channelType);
  const mentioned = event.type === 'app_mention' || mentionsUser(event.text, self.userId);
  const followed =
    needsFollowCheck(event, kind, mentioned) &&
    (await deps.threads.isFollowed(workspace, event.channel, event.threadTs ?? '').catch((error: unknown) => {
      log.warn({ err: error }, 'could not tell whether the thread is followed; not answering');
      return false;
    }));
  const decision = decide(event, kind, mentioned, followed);
  if (!decision.answer) {
    log.debug('Slack message not for the bot');
    return;
  }
  if (decision.follow && decision.thread !== undefined) {
    await deps.threads.follow(workspace, event.channel, decision.thread).catch((error: unknown) => {
      log.warn({ err: error }, 'could not remember the thread; later messages there need a mention');
    });
  }
  // Names of the users mentioned in the text; the sender's is shown only by slash commands, whose
  // payload carries it: a question costs no users.info call.
  const names = await deps.names(mentionedUsers(event.text, self.userId));
  const message = toInboundMessage(event, {
    workspace,
    kind,
    thread: decision.thread,
    text: plainText(event.text, self.userId, names),
    mentionsBot: mentioned,
    attachments: toAttachments(event.files, deps.files),
  });
  const team = event.userTeam ?? workspace;
  const reply = threadReplier(
    deps.client,
    {
      channel: event.channel,
      thread: decision.thread,
      user: message.user.id,
      team,
      // Slack Connect users belong to another team: streams to them fail (user_not_found).
      native: decision.thread !== undefined && team === workspace,
      status: decision.thread !== undefined,
      conversation: conversationKey(message),
      after: event.ts,
    },
    {
      intervalMs: deps.intervalMs,
      log,
      loadingMessages: deps.loadingMessages,
      streamLimits: deps.streamLimits,
      sessions: deps.sessions,
      feedback: deps.feedback !== undefined,
    },
  );
  // An assistant thread (a DM with the app) is titled after its first question.
  if (kind === 'dm' && decision.thread !== undefined && message.command === undefined) {
    void titleThread(deps, { workspace, channel: event.channel, thread: decision.thread }, message.text);
  }
  await deps.handOver(message, reply);
}
