import type { Logger } from '../../log/logger.js';
import type { ChannelSettings } from '../channels/types.js';
import type { GcraCheck } from '../limits/types.js';
import type { UsageCharger } from '../limits/usage.js';
import type { MediaHandling } from '../media/handler.js';
import type { InboundMessage, Replier } from '../message.js';
import type { ResolvedAccess } from '../permissions/resolve.js';

/** What every stage sees for one message. */
export interface MessageContext {
  readonly message: InboundMessage;
  readonly reply: Replier;
  /** A child logger carrying the message's context (platform, chat, user, ids; never its text). */
  readonly log: Logger;
  /** Aborted when the bot shuts down past its deadline. */
  readonly signal: AbortSignal;
  /** The sender's role, set by the permissions stage. */
  role: string;
  /** The sender's bot scopes (chat:ask, media:upload, …), set by the permissions stage; see hasScope. */
  scopes: ReadonlySet<string>;
  /**
   * Everything the permissions stage resolved (role, scopes, the role's limits, the chat's windows); set by
   * accessStage, read by the rate-limit stage and /limits through accessOf. Unset before that stage.
   */
  access?: ResolvedAccess;
  /**
   * Charges a finished generation's tokens to the sender's daily budget; set by the rate-limit stage,
   * called by the answerer through chargeUsage. Unset where no rate-limit stage ran.
   */
  chargeUsage?: UsageCharger;
  /**
   * The chat's settings (permissions.json merged with admins' overrides: mention rule, system prompt,
   * backend, thinking, burst strategy, suggested prompts); set by accessStage, read by the answerer.
   */
  channel?: ChannelSettings;
  /** The daily token budget `chargeUsage` charges, as data: a durable turn carries it to the replica that answers. */
  usageBudget?: GcraCheck;
  /** What the media handler did with this message's attachments; set by that handler. */
  media?: MediaHandling;
  /** True once the sender was told they lack `media:read` (the OCR hook tells them once per message). */
  mediaReadDeniedTold?: boolean;
}

export function messageLogFields(message: InboundMessage): Record<string, unknown> {
  return {
    messageId: message.id,
    platform: message.platform,
    workspace: message.workspace,
    chat: `${message.chat.kind}:${message.chat.id}`,
    thread: message.thread,
    user: message.user.id,
    command: message.command?.name,
    attachments: message.attachments.length,
  };
}

/** Whether the sender holds a bot scope (e.g. `media:upload`), as the permissions stage decided. */
export function hasScope(ctx: Pick<MessageContext, 'scopes'>, scope: string): boolean {
  return ctx.scopes.has(scope);
}
