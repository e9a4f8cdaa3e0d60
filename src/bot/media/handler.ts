import { MediaError } from '../../storage/media/errors.js';
import type { MediaService } from '../../storage/media/service.js';
import type { IngestedMedia } from '../../storage/media/types.js';
import type { Answerer } from '../conversation/answer.js';
import type { ConversationMemory } from '../conversation/memory.js';
import type { MediaInput } from '../media-text/extract.js';
import { conversationKey } from '../message.js';
import { hasScope, type MessageContext } from '../pipeline/context.js';
import type { BotVision, MessageImages } from '../vision/vision.js';
import { mediaFactsSection } from './facts.js';
import { type FailedItem, mediaReply, type StoredItem } from './reply.js';

export interface MediaHandlerOptions {
  /** Undefined where no media storage is set up: the sender is told so. */
  service?: MediaService | undefined;
  memory: ConversationMemory;
  answer: Answerer;
  /** MEDIA_URL_TTL_SECONDS: how long links in replies work. */
  linkTtlSeconds: number;
  /**
   * The hook for reading text from media (OCR): called for each stored attachment with the
   * sanitized image bytes or the video keyframes (`toMediaInput`); what it returns joins the
   * facts the model sees and is shown in the reply. Undefined means "nothing to add".
   */
  extraText?: (media: IngestedMedia, ctx: MessageContext) => Promise<MediaExtra | undefined>;
  /** With an engine that sees: images and keyframes go to the model (and OCR only with VISION_WITH_OCR). */
  vision?: BotVision;
}

/** What the extraText hook adds for one attachment: text for the model, and optionally for the reply. */
export interface MediaExtra {
  /** Joins the attachment's facts in the prompt (and in the conversation memory). */
  prompt: string;
  /** Shown in the reply under the stored files; omitted to keep the reply short. */
  reply?: string;
}

/** What the handler did with one message; also left in `ctx.media`. */
export interface MediaHandling {
  stored: StoredItem[];
  failed: FailedItem[];
  /** The facts section given to the model (empty when nothing was stored). */
  facts: string;
}

export const MEDIA_UPLOAD_SCOPE = 'media:upload';
export const MEDIA_UPLOAD_DENIED =
  "You don't have permission to send me files (scope media:upload), so I didn't keep them.";

export const MEDIA_NOT_CONFIGURED = "I received your file, but media storage isn't set up here.";

/** The sanitized image or the keyframes in the shape src/bot/media-text reads (OCR). */
export function toMediaInput(media: IngestedMedia): MediaInput | undefined {
  if (media.kind === 'image' && media.data !== undefined)
    return { kind: 'image', name: media.name, data: media.data };
  if (media.kind === 'video' && media.keyframes !== undefined) {
    return { kind: 'video', name: media.name, keyframes: media.keyframes };
  }
  return undefined;
}

const visual = (media: IngestedMedia) => media.kind === 'image' || media.kind === 'video';

/**
 * The images the model looks at, when it sees and the sender may have media read; undefined
 * otherwise (or when the store cannot keep the keyframes: then the OCR text stands in).
 */
async function imagesFor(
  options: MediaHandlerOptions,
  stored: StoredItem[],
  ctx: MessageContext,
): Promise<MessageImages | undefined> {
  const { vision } = options;
  const media = stored.map((s) => s.media).filter(visual);
  if (vision === undefined || media.length === 0 || !(await vision.looks(ctx))) return undefined;
  try {
    return await vision.imagesOf(media);
  } catch (error) {
    if (ctx.signal.aborted || !(error instanceof MediaError)) throw error;
    ctx.log.warn({ err: error }, 'could not prepare the images for the model; using their text');
    return undefined;
  }
}

/** The hook's text for one attachment; a failing hook is logged and adds nothing. */
async function extraTextOf(
  options: MediaHandlerOptions,
  media: IngestedMedia,
  ctx: MessageContext,
  seen: boolean,
): Promise<MediaExtra | undefined> {
  if (options.extraText === undefined) return undefined;
  // The model looks at it: OCR text only when asked for as well (VISION_WITH_OCR).
  if (seen && visual(media) && options.vision?.withOcr !== true) return undefined;
  try {
    return await options.extraText(media, ctx);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    ctx.log.warn({ err: error, id: media.id }, 'extraText hook failed; answering without it');
    return undefined;
  }
}

/** Where the platform can take files, the thumbnails and posters go along as images too. */
async function uploadPreviews(ctx: MessageContext, stored: StoredItem[]): Promise<void> {
  const { upload } = ctx.reply;
  if (upload === undefined) return;
  for (const { media } of stored) {
    if (media.preview === undefined) continue;
    const name = `${media.kind === 'video' ? 'poster' : 'thumbnail'}-${media.sha256.slice(0, 12)}.webp`;
    await upload
      .call(ctx.reply, { name, contentType: 'image/webp', data: media.preview })
      .catch((error: unknown) => ctx.log.warn({ err: error }, 'could not upload the preview'));
  }
}

/**
 * The pipeline's media route: store every attachment, reply with what was stored (links, facts,
 * ids) and what was refused, and make the facts reach the model: with the message's text as the
 * question when there is one, else as an exchange in the conversation memory for later questions.
 */
export function createMediaHandler(
  options: MediaHandlerOptions,
): (ctx: MessageContext) => Promise<MediaHandling> {
  return async (ctx) => {
    const { service } = options;
    const question = ctx.message.text.trim();
    if (!hasScope(ctx, MEDIA_UPLOAD_SCOPE)) {
      await ctx.reply.notice(MEDIA_UPLOAD_DENIED);
      if (question !== '') await options.answer(ctx, question);
      return { stored: [], failed: [], facts: '' };
    }
    if (service === undefined) {
      await ctx.reply.post(MEDIA_NOT_CONFIGURED);
      if (question !== '') await options.answer(ctx, question);
      return { stored: [], failed: [], facts: '' };
    }
    const { platform, workspace, chat, user } = ctx.message;
    const origin = { platform, workspace, chat: chat.id, user: user.id };
    const stored: StoredItem[] = [];
    const failed: FailedItem[] = [];
    for (const attachment of ctx.message.attachments) {
      try {
        const media = await service.ingest(attachment, origin, ctx.signal);
        const link = await service.link(media.key, options.linkTtlSeconds);
        const previewLink =
          media.previewKey === undefined
            ? undefined
            : await service.link(media.previewKey, options.linkTtlSeconds);
        stored.push({ media, link, previewLink });
        ctx.log.info(
          { kind: media.kind, size: media.size, stored: media.stored, id: media.id },
          'media stored',
        );
      } catch (error) {
        if (!(error instanceof MediaError)) throw error;
        ctx.log.info({ code: error.code, err: error.cause }, 'media refused');
        failed.push({ name: attachment.name, message: error.message });
      }
    }
    const images = await imagesFor(options, stored, ctx);
    const extra = await Promise.all(
      stored.map((s) => extraTextOf(options, s.media, ctx, images !== undefined)),
    );
    const facts =
      stored.length === 0
        ? ''
        : mediaFactsSection(
            stored.map((s) => s.media),
            extra.map((e) => e?.prompt),
          );
    const handling: MediaHandling = { stored, failed, facts };
    ctx.media = handling;
    const text = mediaReply(stored, failed);
    const extras = extra.map((e) => e?.reply).filter((e): e is string => e !== undefined && e.trim() !== '');
    await ctx.reply.post(extras.length === 0 ? text : `${text}\n\n${extras.join('\n\n')}`);
    await uploadPreviews(ctx, stored);
    if (question !== '') {
      await options.answer(ctx, facts === '' ? question : `${facts}\n\n${question}`, { images });
    } else if (facts !== '') {
      const remembered = mediaReply(stored, failed, false);
      await options.memory
        .append(conversationKey(ctx.message), facts, remembered, images?.refs)
        .catch((error: unknown) => {
          ctx.log.warn({ err: error }, 'could not remember the media facts');
        });
    }
    return handling;
  };
}
