import type { webApi } from '@slack/bolt';
import type { Attachment, AttachmentKind } from '../../../message.js';
import { callSlack } from '../api-errors.js';
import { isTrustedSlackUrl } from '../trusted-url.js';
import type { SlackFile } from './event-shape.js';

export interface FileAccess {
  client: webApi.WebClient;
  botToken: string;
  fetch: typeof fetch;
  /** Origins besides Slack's own that may receive the token (the configured API URL's). */
  extraOrigins: readonly string[];
}

export function kindOf(mimetype: string | undefined): AttachmentKind {
  if (mimetype?.startsWith('image/')) return 'image';
  if (mimetype?.startsWith('video/')) return 'video';
  if (mimetype?.startsWith('audio/')) return 'audio';
  return 'file';
}

/** The download URL, from the event or, when Slack left it out, from files.info. */
async function downloadUrl(file: SlackFile, access: FileAccess): Promise<string> {
  const given = file.url_private_download ?? file.url_private;
  if (given !== undefined && file.file_access !== 'check_file_info') return given;
  const info = await callSlack('files.info', () => access.client.files.info({ file: file.id }));
  const url = info.file?.url_private_download ?? info.file?.url_private;
  if (url === undefined) throw new Error(`Slack gave no download URL for file ${file.id}`);
  return url;
}

/** The host of a URL for a message, or a placeholder when it does not parse. */
const hostOf = (url: string) => (URL.canParse(url) ? new URL(url).host : 'an invalid URL');

async function open(file: SlackFile, access: FileAccess, signal?: AbortSignal) {
  const url = await downloadUrl(file, access);
  if (!isTrustedSlackUrl(url, access.extraOrigins)) {
    throw new Error(`refusing to send the bot token to ${hostOf(url)} for file ${file.id}`);
  }
  const response = await access.fetch(url, {
    headers: { authorization: `Bearer ${access.botToken}` },
    ...(signal === undefined ? {} : { signal }),
  });
  if (!response.ok) throw new Error(`downloading Slack file ${file.id} failed: HTTP ${response.status}`);
  if (
    (response.headers.get('content-type') ?? '').startsWith('text/html') &&
    !file.mimetype?.includes('html')
  ) {
    await response.body?.cancel();
    throw new Error(
      `Slack answered with a sign-in page instead of file ${file.id}: does the bot token have the files:read scope?`,
    );
  }
  if (response.body === null) throw new Error(`Slack sent no content for file ${file.id}`);
  return response.body;
}

/** A message's files as attachments whose `open()` downloads with the bot token. */
export function toAttachments(files: readonly SlackFile[], access: FileAccess): Attachment[] {
  return files.map((file) => ({
    kind: kindOf(file.mimetype),
    name: file.name ?? file.id,
    ...(file.size === undefined ? {} : { size: file.size }),
    ...(file.mimetype === undefined ? {} : { mimeType: file.mimetype }),
    open: (signal?: AbortSignal) => open(file, access, signal),
  }));
}
