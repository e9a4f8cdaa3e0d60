import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { messageOf, type TurnPayload } from '../../../src/bot/turns/payload.js';
import { LocalAttachments, stashAttachments } from '../../../src/bot/turns/stash.js';
import { createObjectStore } from '../../../src/storage/object/factory.js';
import { message } from '../../helpers/messages.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const attachment = (name: string, text: string) => ({
  kind: 'file' as const,
  name,
  size: text.length,
  mimeType: 'text/plain',
  open: async () => new Response(text).body as ReadableStream<Uint8Array>,
});

const read = async (stream: ReadableStream<Uint8Array>) => new Response(stream).text();

describe('a turn’s attachments', () => {
  it('are copied to the object store for the job, read back by any replica, and deleted after', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'teambot-stash-'));
    dirs.push(dir);
    const objects = await createObjectStore({
      dataDir: dir,
      publicBaseUrl: 'http://127.0.0.1',
      signingSecret: 's',
    });
    const inbound = message({ attachments: [attachment('a.txt', 'alpha'), attachment('b.txt', 'beta')] });
    const stashed = await stashAttachments(objects, inbound, 1_000, new AbortController().signal);
    expect(stashed.map((s) => s.name)).toEqual(['a.txt', 'b.txt']);
    expect(JSON.stringify(stashed)).not.toContain('open');
    // Another replica: a fresh LocalAttachments knows nothing kept, so it reads the store.
    const elsewhere = new LocalAttachments();
    const payload = {
      message: { ...inbound, attachments: stashed, receivedAt: inbound.receivedAt.toISOString() },
    };
    const rebuilt = messageOf(payload as TurnPayload, (key, signal) => elsewhere.open(objects, key, signal));
    expect(await read(await (rebuilt.attachments[1]?.open() as Promise<ReadableStream<Uint8Array>>))).toBe(
      'beta',
    );
    await elsewhere.drop(objects, stashed);
    expect(await objects.head(stashed[0]?.objectKey ?? '')).toBeNull();
  });

  it('stay as they are in one process (no copy) and are forgotten after the turn', async () => {
    const local = new LocalAttachments();
    const inbound = message({ attachments: [attachment('c.txt', 'gamma')] });
    const kept = local.keep(inbound);
    expect(kept[0]?.objectKey.startsWith('local:')).toBe(true);
    const objects = await createObjectStore({
      dataDir: tmpdir(),
      publicBaseUrl: 'http://127.0.0.1',
      signingSecret: 's',
    });
    expect(await read(await local.open(objects, kept[0]?.objectKey ?? ''))).toBe('gamma');
    await local.drop(objects, kept);
    await expect(local.open(objects, kept[0]?.objectKey ?? '')).rejects.toThrow(
      /invalid object key|no longer stored/,
    );
  });
});
