import type { IngestedMedia } from '../../storage/media/types.js';
import { describeMedia, safeName } from './facts.js';

export interface StoredItem {
  media: IngestedMedia;
  link: string;
  previewLink?: string | undefined;
}

export interface FailedItem {
  name: string;
  message: string;
}

/**
 * The short answer to an attachment: kind, facts, a link to the stored object and its thumbnail
 * or poster, and the id an admin can delete it by; then one line per refused attachment.
 * Without links (what the conversation memory keeps): the facts only, so no URL fills the context.
 */
export function mediaReply(stored: StoredItem[], failed: FailedItem[], withLinks = true): string {
  const lines = stored.map(({ media, link, previewLink }) => {
    const preview =
      previewLink === undefined
        ? ''
        : ` · [${media.kind === 'video' ? 'poster' : 'thumbnail'}](${previewLink})`;
    const again = media.stored ? '' : ' (already stored)';
    if (!withLinks)
      return `Stored ${media.kind} \`${safeName(media.name)}\`: ${describeMedia(media)}${again}`;
    return `Stored ${media.kind} \`${safeName(media.name)}\`: ${describeMedia(media)}${again} · [open](${link})${preview} · id \`${media.id}\``;
  });
  for (const item of failed) lines.push(`I couldn't keep \`${safeName(item.name)}\`: ${item.message}`);
  return lines.join('\n');
}
