import type { Attachment } from '../../../message.js';
import type { LarkApi } from '../api/lark-api.js';
import type { LarkResource } from './content.js';
import { AttachmentTooLargeError, limitedStream } from './limited-stream.js';

export interface MediaAccess {
  api: LarkApi;
  /** Largest attachment read before failing. */
  maxBytes: number;
}

async function open(
  messageId: string,
  resource: LarkResource,
  access: MediaAccess,
  signal?: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  signal?.throwIfAborted();
  const what = `Lark ${resource.kind} ${resource.key}`;
  const { stream, headers } = await access.api.resource(messageId, resource.key, resource.type);
  const length = Number(headers['content-length']);
  if (Number.isFinite(length) && length > access.maxBytes) {
    stream.destroy();
    throw new AttachmentTooLargeError(what, access.maxBytes);
  }
  return limitedStream(stream, access.maxBytes, what, signal);
}

/**
 * A message's files as attachments whose `open()` streams im.v1.messageResource.get (with the
 * tenant access token, through the SDK's client), at most `maxBytes` of it.
 */
export function toAttachments(
  messageId: string,
  resources: readonly LarkResource[],
  access: MediaAccess,
): Attachment[] {
  return resources.map((resource) => ({
    kind: resource.kind,
    name: resource.name,
    open: (signal?: AbortSignal) => open(messageId, resource, access, signal),
  }));
}
