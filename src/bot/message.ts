/**
 * The normalized message model. Adapters translate platform events into an
 * InboundMessage and implement a Replier; nothing platform-specific goes past them.
 */
export type Platform = 'slack' | 'lark' | 'local';
export type ChatKind = 'dm' | 'group' | 'channel';
export type AttachmentKind = 'image' | 'video' | 'audio' | 'file';

export interface Attachment {
  kind: AttachmentKind;
  /** Name as the user gave it: display only, never a path. */
  name: string;
  size?: number;
  mimeType?: string;
  /** Fetches the content with the platform's auth. */
  open(signal?: AbortSignal): Promise<ReadableStream<Uint8Array>>;
}

export interface ParsedCommand {
  /** Lower-case command name without the leading slash, e.g. `reset`. */
  name: string;
  /** Everything after the name, trimmed. */
  args: string;
}

export interface InboundMessage {
  /** The platform's event or message id: the dedup key. */
  id: string;
  platform: Platform;
  /** Slack team id, Lark tenant key, `local` for the terminal. */
  workspace: string;
  chat: { id: string; kind: ChatKind };
  /** Thread id (Slack thread_ts, Lark root id) or undefined outside threads. */
  thread?: string | undefined;
  user: { id: string; name?: string | undefined };
  /** Plain text with mentions resolved (the bot's own mention removed). */
  text: string;
  mentionsBot: boolean;
  command?: ParsedCommand | undefined;
  attachments: Attachment[];
  receivedAt: Date;
  /** Set only by the local terminal channel: the person at the terminal is an admin. */
  trustedAdmin?: boolean;
  /**
   * Set by the adapter whose platform ack waits for it (adapters/shared/accept.ts): called once the
   * pipeline took the message for good, queued as a durable turn or about to be answered here.
   */
  accepted?: (() => void) | undefined;
}

export interface UploadObject {
  name: string;
  contentType: string;
  data: Uint8Array;
}

/** What produced an answer: carried by its feedback buttons, recorded with each vote. */
export interface AnswerMeta {
  model: string;
  /** The engine's name (onnx, openai, chain …). */
  backend: string;
}

export interface StreamOptions {
  /**
   * Offer feedback buttons under the finished answer. Resolves (once the answer is complete) with
   * what produced it, or undefined when the answer failed and no feedback is asked for.
   */
  feedback?: Promise<AnswerMeta | undefined>;
}

/** How the core answers; each adapter implements it with the platform's native means. */
export interface Replier {
  /** Posts a complete message. */
  post(text: string): Promise<void>;
  /**
   * Streams an answer as it is generated (native streaming or post-then-edit). A RESTART_CHUNK
   * (inference/types.ts) voids the text before it: the answer starts over and is shown in place of
   * the old one. Resolves with the full text that was delivered (after the last restart).
   */
  stream(chunks: AsyncIterable<string>, options?: StreamOptions): Promise<string>;
  /** A short notice, only for the sender where the platform allows it (ephemeral). */
  notice(text: string): Promise<void>;
  /**
   * A passing status line instead of silence while an answer waits or works ("Queued…",
   * "Thinking…"): later calls replace it, and it goes away when the answer (or an error notice)
   * arrives, also when another Replier of the same handle (another replica's) sends it. Where a
   * platform has none, callers fall back to `notice`.
   */
  status?(text: string): Promise<void>;
  /**
   * Removes the status line now (this Replier's, or one another Replier of the same handle showed);
   * absent where the platform removes it by itself. Never rejects.
   */
  clearStatus?(): Promise<void>;
  upload?(object: UploadObject): Promise<void>;
  /**
   * Where this reply goes, as plain JSON without secrets: the durable turn queue keeps it so that
   * any replica can answer in the same place (docs/turns.md). Undefined: only this process can.
   */
  readonly handle?: ReplyHandle;
}

/** A Replier's place as plain JSON (Slack: channel, thread, user…; Lark: the message replied to). */
export interface ReplyHandle {
  platform: Platform;
  [field: string]: string | boolean | undefined;
}

/**
 * The conversation a message belongs to: the thread when there is one, else the chat.
 * Adapters that answer a channel mention in a new thread set `thread` to that thread's root.
 */
export function conversationKey(message: InboundMessage): string {
  return [message.platform, message.workspace, message.chat.id, message.thread ?? '-'].join(':');
}
