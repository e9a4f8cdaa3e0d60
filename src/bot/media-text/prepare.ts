import type { ImageTextReader } from '../../inference/ocr/types.js';
import { extractMediaText, type MediaInput, type MediaText } from './extract.js';
import { questionWithMediaText } from './prompt.js';
import { mediaOnlyReply } from './reply.js';
import { canReadMedia, MEDIA_READ_DENIED } from './scope.js';

export interface MediaTextSettings {
  /** OCR_IMAGE_REPLY: answer an image sent alone with the text it shows. */
  imageReply: boolean;
  /** OCR_PROMPT_MAX_CHARS: most characters of attachment text put into a prompt. */
  promptMaxChars: number;
}

export type MediaAnswer =
  /** The sender lacks media:read: tell them; a question, if any, is answered without the media. */
  | { kind: 'denied'; notice: string; question: string }
  /** Media sent alone: post this. */
  | { kind: 'reply'; text: string; media: MediaText[] }
  /** Media with a question: give this question to the answerer. */
  | { kind: 'ask'; question: string; media: MediaText[] }
  /** Media sent alone with OCR_IMAGE_REPLY off: nothing to say about it. */
  | { kind: 'none' };

/**
 * What to do with a message carrying images or videos: check `media:read`, read their text, and
 * either put it into the question's prompt or, for media alone, reply with what it says.
 */
export async function prepareMediaAnswer(options: {
  reader: ImageTextReader;
  media: MediaInput[];
  question: string;
  scopes: Iterable<string>;
  settings: MediaTextSettings;
  signal?: AbortSignal;
}): Promise<MediaAnswer> {
  const question = options.question.trim();
  if (!canReadMedia(options.scopes)) return { kind: 'denied', notice: MEDIA_READ_DENIED, question };
  if (question === '' && !options.settings.imageReply) return { kind: 'none' };
  const media = await extractMediaText(options.reader, options.media, options.signal);
  if (question === '') return { kind: 'reply', text: mediaOnlyReply(media), media };
  return {
    kind: 'ask',
    question: questionWithMediaText(question, media, options.settings.promptMaxChars),
    media,
  };
}
