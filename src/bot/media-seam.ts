import type { Attachment } from './message.js';
import type { MessageContext } from './pipeline/context.js';

function describe(attachment: Attachment): string {
  const size = attachment.size === undefined ? '' : `, ${formatBytes(attachment.size)}`;
  return `${attachment.kind} "${attachment.name}"${size}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Media seam: acknowledges what arrived until media storage is built. */
export async function acknowledgeMedia(ctx: MessageContext): Promise<void> {
  const list = ctx.message.attachments.map(describe).join('; ');
  await ctx.reply.post(`I received ${list}, but I can't process files yet.`);
}
