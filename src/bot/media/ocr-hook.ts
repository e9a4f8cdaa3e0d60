import type { ImageTextReader } from '../../inference/ocr/types.js';
import type { IngestedMedia } from '../../storage/media/types.js';
import { extractMediaText } from '../media-text/extract.js';
import { mediaTextSection } from '../media-text/prompt.js';
import { mediaOnlyReply } from '../media-text/reply.js';
import { canReadMedia, MEDIA_READ_DENIED } from '../media-text/scope.js';
import type { MessageContext } from '../pipeline/context.js';
import { type MediaExtra, toMediaInput } from './handler.js';

export interface MediaTextSettings {
  /** OCR_IMAGE_REPLY: answer an image sent alone with the text it shows. */
  imageReply: boolean;
  /** OCR_PROMPT_MAX_CHARS: most characters of attachment text put into a prompt. */
  promptMaxChars: number;
}

/**
 * The media handler's extraText hook backed by OCR: the text read from a stored image or from a
 * video's keyframes joins the attachment's facts in the prompt (marked as coming from it), and,
 * for media sent without a question, the reply shows it when OCR_IMAGE_REPLY is on. Senders
 * without `media:read` are told once per message and get no OCR.
 */
export function ocrMediaText(
  reader: ImageTextReader,
  settings: MediaTextSettings,
): (media: IngestedMedia, ctx: MessageContext) => Promise<MediaExtra | undefined> {
  return async (media, ctx) => {
    const input = toMediaInput(media);
    if (input === undefined) return undefined;
    if (!canReadMedia(ctx.scopes)) {
      if (ctx.mediaReadDeniedTold !== true) {
        ctx.mediaReadDeniedTold = true;
        await ctx.reply.notice(MEDIA_READ_DENIED);
      }
      return undefined;
    }
    const started = performance.now();
    const read = await extractMediaText(reader, [input], ctx.signal);
    ctx.log.info(
      { kind: media.kind, lines: read[0]?.lines.length ?? 0, ms: Math.round(performance.now() - started) },
      'media text read',
    );
    const alone = ctx.message.text.trim() === '';
    return {
      prompt: mediaTextSection(read, settings.promptMaxChars),
      ...(alone && settings.imageReply ? { reply: mediaOnlyReply(read) } : {}),
    };
  };
}
