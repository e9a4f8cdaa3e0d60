import type { Logger } from '../../../../log/logger.js';
import type { ChannelRef } from '../../../channels/types.js';
import type { FeedbackStore } from '../../../feedback/types.js';
import type { InboundMessage, Replier } from '../../../message.js';
import type { StopSignals } from '../../../turns/stop-signals.js';
import type { BotInfo, LarkApi, MessageTarget } from '../api/lark-api.js';
import type { EventClaims } from '../events/claims.js';
import type { MediaAccess } from '../inbound/attachments.js';
import type { P2pChats } from '../inbound/p2p-chats.js';
import type { StopMarks } from '../reply/stop-marks.js';

/** What the event handlers need; built once by the adapter. */
export interface ListenerDeps {
  api: LarkApi;
  identity: () => Promise<BotInfo>;
  /** Starts the pipeline on a message and returns at once (the pipeline's drain covers it from there). */
  /** Gives the message to the pipeline; settles once the pipeline accepted it (shared/accept.ts), never rejecting. */
  handOver(message: InboundMessage, reply: Replier): Promise<void>;
  /** The Replier answering `message` at `target` (its id seeds the uuids, its conversation the Stop button). */
  replier(target: MessageTarget, message: InboundMessage, log: Logger): Replier;
  /** Where a Stop button's press goes; without it, no Stop buttons. */
  stopSignals?: StopSignals | undefined;
  /** Where Stop presses are marked for the replica streaming the card. */
  stopMarks: StopMarks;
  /** Where a feedback button's vote goes; without it, no feedback buttons. */
  feedback?: FeedbackStore | undefined;
  log: Logger;
  claims: EventClaims;
  p2pChats: P2pChats;
  media: MediaAccess;
  answerBots: boolean;
  /** Whether a group's messages must mention the bot (its channel settings). */
  mentionRequired(chat: ChannelRef): Promise<boolean>;
  now: () => number;
  /** Events (and messages) older than this are dropped: replays after a reconnect, late retries. */
  staleAfterMs: number;
  /** Counts a dropped stale event by type. */
  onStale(type: string): void;
}
