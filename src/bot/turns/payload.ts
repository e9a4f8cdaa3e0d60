import type { ChannelSettings } from '../channels/types.js';
import type { GcraCheck } from '../limits/types.js';
import type { AttachmentKind, InboundMessage, ReplyHandle } from '../message.js';
import type { ResolvedAccess } from '../permissions/resolve.js';
import type { RoleLimits } from '../permissions/schema.js';
import type { MessageContext } from '../pipeline/context.js';

/** An attachment as a job keeps it: its bytes were copied to the object store under `objectKey`. */
export interface StashedAttachment {
  kind: AttachmentKind;
  name: string;
  size?: number | undefined;
  mimeType?: string | undefined;
  objectKey: string;
}

/**
 * One accepted turn as plain JSON (a BullMQ job's data): the message without its closures, what
 * the permissions and rate-limit stages decided, and where to reply. No token, no secret: a
 * replica rebuilds the Replier from `reply` with its own credentials.
 */
export interface TurnPayload {
  message: Omit<InboundMessage, 'attachments' | 'receivedAt'> & {
    attachments: StashedAttachment[];
    /** ISO time. */
    receivedAt: string;
  };
  access?: { role: string; scopes: string[]; limits: RoleLimits; chatLimits: string[] } | undefined;
  role: string;
  scopes: string[];
  /** The daily token budget the answer's tokens are charged to (the rate-limit stage's check). */
  usage?: GcraCheck | undefined;
  /** The chat's settings as the access stage resolved them (system prompt, thinking, burst, …). */
  channel?: ChannelSettings | undefined;
  reply: ReplyHandle;
}

export function toTurnPayload(
  ctx: MessageContext,
  reply: ReplyHandle,
  attachments: StashedAttachment[],
): TurnPayload {
  const m = ctx.message;
  return {
    message: {
      id: m.id,
      platform: m.platform,
      workspace: m.workspace,
      chat: { id: m.chat.id, kind: m.chat.kind },
      thread: m.thread,
      user: { id: m.user.id, name: m.user.name },
      text: m.text,
      mentionsBot: m.mentionsBot,
      command: m.command === undefined ? undefined : { name: m.command.name, args: m.command.args },
      attachments,
      receivedAt: m.receivedAt.toISOString(),
      trustedAdmin: m.trustedAdmin,
    },
    access:
      ctx.access === undefined
        ? undefined
        : {
            role: ctx.access.role,
            scopes: [...ctx.access.scopes],
            limits: ctx.access.limits,
            chatLimits: ctx.access.chatLimits,
          },
    role: ctx.role,
    scopes: [...ctx.scopes],
    usage: ctx.usageBudget,
    channel: ctx.channel,
    reply,
  };
}

/** The message again, its attachments opened from the object store by `open`. */
export function messageOf(
  payload: TurnPayload,
  open: (key: string, signal?: AbortSignal) => Promise<ReadableStream<Uint8Array>>,
): InboundMessage {
  const { message } = payload;
  return {
    ...message,
    thread: message.thread,
    receivedAt: new Date(message.receivedAt),
    attachments: message.attachments.map((a) => ({
      kind: a.kind,
      name: a.name,
      ...(a.size === undefined ? {} : { size: a.size }),
      ...(a.mimeType === undefined ? {} : { mimeType: a.mimeType }),
      open: (signal?: AbortSignal) => open(a.objectKey, signal),
    })),
    ...(message.trustedAdmin === undefined ? {} : { trustedAdmin: message.trustedAdmin }),
  };
}

export function accessOfPayload(payload: TurnPayload): ResolvedAccess | undefined {
  const access = payload.access;
  return access === undefined ? undefined : { ...access, scopes: new Set(access.scopes) };
}
