import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ObjectStore } from '../../storage/object/types.js';
import type { Attachment, InboundMessage } from '../message.js';
import type { StashedAttachment } from './payload.js';

/** Where a turn's attachments wait for the replica that answers it (deleted once it is answered). */
export function stashPrefix(message: Pick<InboundMessage, 'platform' | 'workspace' | 'id'>): string {
  const id = createHash('sha256')
    .update(`${message.platform}:${message.workspace}:${message.id}`)
    .digest('hex');
  return `turn-stash/${id.slice(0, 32)}`;
}

/**
 * Copies a message's attachments to the object store (their `open()` carries the platform's
 * token and cannot go into a job): the job keeps object keys, any replica reads them back.
 */
export async function stashAttachments(
  objects: ObjectStore,
  message: InboundMessage,
  maxBytes: number,
  signal: AbortSignal,
): Promise<StashedAttachment[]> {
  const prefix = stashPrefix(message);
  const stashed: StashedAttachment[] = [];
  for (const [index, attachment] of message.attachments.entries()) {
    const objectKey = `${prefix}/${index}`;
    const body = Readable.fromWeb(
      (await attachment.open(signal)) as import('node:stream/web').ReadableStream,
    );
    await objects.put(objectKey, body, {
      maxBytes,
      ...(attachment.mimeType === undefined ? {} : { contentType: attachment.mimeType }),
    });
    stashed.push({
      kind: attachment.kind,
      name: attachment.name,
      size: attachment.size,
      mimeType: attachment.mimeType,
      objectKey,
    });
  }
  return stashed;
}

/** Opens a stashed attachment. */
export async function openStashed(objects: ObjectStore, key: string): Promise<ReadableStream<Uint8Array>> {
  const found = await objects.get(key);
  if (found === null) throw new Error(`the attachment ${key} is no longer stored`);
  return Readable.toWeb(found.body) as ReadableStream<Uint8Array>;
}

/** Deletes a turn's stashed attachments, best effort. */
export async function dropStash(
  objects: ObjectStore,
  attachments: readonly StashedAttachment[],
): Promise<void> {
  await Promise.allSettled(attachments.map((a) => objects.delete(a.objectKey)));
}

/**
 * Without Redis the turn never leaves this process: attachments stay with their own `open()` here,
 * under `local:` keys, instead of a round trip through the object store.
 */
export class LocalAttachments {
  readonly #kept = new Map<string, Attachment>();

  keep(message: InboundMessage): StashedAttachment[] {
    const prefix = `local:${stashPrefix(message)}`;
    return message.attachments.map((attachment, index) => {
      const objectKey = `${prefix}/${index}`;
      this.#kept.set(objectKey, attachment);
      return {
        kind: attachment.kind,
        name: attachment.name,
        size: attachment.size,
        mimeType: attachment.mimeType,
        objectKey,
      };
    });
  }

  /** Opens a kept or stashed attachment. */
  open(objects: ObjectStore, key: string, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const kept = this.#kept.get(key);
    if (kept !== undefined) return kept.open(signal);
    return openStashed(objects, key);
  }

  /** Forgets kept attachments and deletes stashed ones, best effort. */
  async drop(objects: ObjectStore, attachments: readonly StashedAttachment[]): Promise<void> {
    for (const a of attachments) this.#kept.delete(a.objectKey);
    await dropStash(
      objects,
      attachments.filter((a) => !a.objectKey.startsWith('local:')),
    );
  }
}
