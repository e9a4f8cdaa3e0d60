import type { AttachmentKind } from '../../../message.js';
import { postResources, postToText, textContent } from '../format/index.js';

/** A file a message carries, fetched with im.v1.messageResource.get. */
export interface LarkResource {
  kind: AttachmentKind;
  key: string;
  /** The resource type messageResource.get wants: image for images, file for the rest. */
  type: 'image' | 'file';
  name: string;
}

export interface MessageContent {
  /** Plain text, mention placeholders (`@_user_1`) still in it. */
  text: string;
  resources: LarkResource[];
}

function fields(content: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(content);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function fileResource(kind: AttachmentKind, content: Record<string, unknown>): LarkResource[] {
  const key = str(content.file_key);
  if (key === '') return [];
  return [{ kind, key, type: 'file', name: str(content.file_name) || key }];
}

/** The message types the adapter reads; anything else (stickers, cards, shared chats…) has no content. */
export const SUPPORTED_TYPES = new Set(['text', 'post', 'image', 'file', 'audio', 'media']);

/**
 * A message's text and files by `message_type`: text; post (rich text → plain text, its images and
 * videos as files); image; file; audio; media (video).
 */
export function readContent(messageType: string, content: string): MessageContent {
  const parsed = fields(content);
  switch (messageType) {
    case 'text':
      return { text: textContent(content), resources: [] };
    case 'post':
      return {
        text: postToText(content),
        resources: postResources(content).map((r) => ({
          kind: r.kind,
          key: r.key,
          type: r.type,
          name: r.key,
        })),
      };
    case 'image': {
      const key = str(parsed.image_key);
      return { text: '', resources: key === '' ? [] : [{ kind: 'image', key, type: 'image', name: key }] };
    }
    case 'file':
      return { text: '', resources: fileResource('file', parsed) };
    case 'audio':
      return { text: '', resources: fileResource('audio', parsed) };
    case 'media':
      return { text: '', resources: fileResource('video', parsed) };
    default:
      return { text: '', resources: [] };
  }
}
