import type { webApi } from '@slack/bolt';
import type { Logger } from '../../../../log/logger.js';
import type { KeyValueStore } from '../../../../storage/kv/types.js';
import type { SuggestedPromptsFor } from '../../../assistant/suggested-prompts.js';
import type { FeedbackStore } from '../../../feedback/types.js';
import type { InboundMessage, Replier } from '../../../message.js';
import type { StopSignals } from '../../../turns/stop-signals.js';
import type { InFlight } from '../../shared/in-flight.js';
import type { BotIdentity } from '../identity.js';
import type { FileAccess } from '../inbound/files.js';
import type { AgentSessions } from '../reply/agent-session.js';
import type { StreamLimits } from '../reply/rolling-stream.js';
import type { FollowedThreads } from '../threads.js';
import type { NameLookup } from '../user-names.js';

/** What the Bolt listeners need; built once by the adapter. */
export interface ListenerDeps {
  client: webApi.WebClient;
  /**
   * Starts the pipeline on a message and returns at once: from there the pipeline's own drain
   * covers it at shutdown, while `inFlight` covers the way from the ack to here.
   */
  /** Gives the message to the pipeline; settles once the pipeline accepted it (shared/accept.ts), never rejecting. */
  handOver(message: InboundMessage, reply: Replier): Promise<void>;
  log: Logger;
  inFlight: InFlight;
  identity: () => Promise<BotIdentity>;
  threads: FollowedThreads;
  names: NameLookup;
  files: FileAccess;
  answerBots: boolean;
  intervalMs: number;
  fetch: typeof fetch;
  /** Origins besides Slack's own trusted with the token and with answers (the API URL's). */
  extraOrigins: readonly string[];
  suggestedPrompts: SuggestedPromptsFor;
  loadingMessages: readonly string[];
  streamLimits: StreamLimits;
  sessions: AgentSessions;
  stopSignals: StopSignals;
  feedback: FeedbackStore | undefined;
  kv: KeyValueStore;
  /** How long a thread title is remembered as set (the followed-thread TTL). */
  threadTtlMs: number;
}
