import { afterEach, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../../../src/bot/message.js';
import { useFakeEngine } from '../../../helpers/fake-engine.js';
import { waitFor } from '../../../helpers/fake-lark.js';
import { png } from '../../../helpers/media-fixtures.js';
import { fsMedia } from '../../../helpers/media-service.js';
import { repliesTo } from './answers.js';
import { type Harness, recording, startHarness } from './harness.js';
import { botMention, messageEvent, nextMessageId } from './payloads.js';

const engine = useFakeEngine();
let h: Harness;
afterEach(() => h.close());

const readAll = (stream: ReadableStream<Uint8Array>) => new Response(stream).text();

describe('Lark media', () => {
  it('stores an image from messageResource.get and replies with what it is', async () => {
    h = await startHarness({ engine: engine.engine, media: await fsMedia() });
    const messageId = nextMessageId();
    h.fake.addResource(messageId, 'img_v3_cat', await png(40, 30), 'image/png');
    await h.sendEvent(
      messageEvent({ messageId, messageType: 'image', content: { image_key: 'img_v3_cat' } }),
    );
    const reply = await waitFor(() => repliesTo(h.fake, messageId)[0], 'the media reply');
    expect(h.fake.textOf(reply)).toMatch(/^Stored image `img_v3_cat`: PNG, 40×30, /);
    expect(reply.msgType).toBe('interactive');
  });

  it('gives attachments an open() that streams messageResource.get with the tenant token', async () => {
    const seen: InboundMessage[] = [];
    h = await startHarness({ engine: engine.engine, pipeline: recording(seen) });
    const messageId = nextMessageId();
    h.fake.addResource(messageId, 'img_v3_cat', 'not really a png', 'image/png');
    h.fake.addResource(messageId, 'file_v3_doc', 'hello file', 'application/pdf');
    await h.sendEvent(
      messageEvent({ messageId, messageType: 'image', content: { image_key: 'img_v3_cat' } }),
    );
    const message = await waitFor(() => seen[0], 'the message');
    expect(message.attachments).toHaveLength(1);
    const [image] = message.attachments;
    expect(image).toMatchObject({ kind: 'image', name: 'img_v3_cat' });
    expect(await readAll(await (image?.open() ?? Promise.reject(new Error('none'))))).toBe(
      'not really a png',
    );
    expect(h.fake.downloads).toEqual([
      { messageId, fileKey: 'img_v3_cat', type: 'image', authorization: `Bearer ${h.fake.tenantToken}` },
    ]);

    const fileMessage = nextMessageId();
    h.fake.addResource(fileMessage, 'file_v3_doc', 'hello file', 'application/pdf');
    await h.sendEvent(
      messageEvent({
        messageId: fileMessage,
        messageType: 'file',
        content: { file_key: 'file_v3_doc', file_name: 'doc.pdf' },
      }),
    );
    const file = (await waitFor(() => seen[1], 'the file message')).attachments[0];
    expect(file).toMatchObject({ kind: 'file', name: 'doc.pdf' });
    expect(await readAll(await (file?.open() ?? Promise.reject(new Error('none'))))).toBe('hello file');
    expect(h.fake.downloads.at(-1)).toMatchObject({ fileKey: 'file_v3_doc', type: 'file' });
  });

  it('stops reading an attachment past the size limit', async () => {
    const seen: InboundMessage[] = [];
    h = await startHarness({
      engine: engine.engine,
      pipeline: recording(seen),
      adapter: { maxAttachmentBytes: 1000 },
    });
    const messageId = nextMessageId();
    h.fake.addResource(messageId, 'file_big', Buffer.alloc(5000, 1), 'application/octet-stream');
    await h.sendEvent(
      messageEvent({
        messageId,
        messageType: 'file',
        content: { file_key: 'file_big', file_name: 'big.bin' },
      }),
    );
    const [big] = (await waitFor(() => seen[0], 'the message')).attachments;
    await expect(big?.open()).rejects.toThrow(/larger than 1000 bytes/);
  });

  it('reads audio, video and the images and videos of a rich-text post', async () => {
    const seen: InboundMessage[] = [];
    h = await startHarness({ engine: engine.engine, pipeline: recording(seen) });
    await h.sendEvent(
      messageEvent({ messageType: 'audio', content: { file_key: 'file_voice', duration: 2000 } }),
    );
    await h.sendEvent(
      messageEvent({
        messageType: 'media',
        content: { file_key: 'file_clip', image_key: 'img_cover', file_name: 'clip.mp4' },
      }),
    );
    const post = {
      title: 'Look',
      content: [
        [
          { tag: 'at', user_id: '@_user_1', user_name: '' },
          { tag: 'text', text: ' what is in these?' },
        ],
        [{ tag: 'img', image_key: 'img_in_post' }],
        [{ tag: 'media', file_key: 'file_in_post', image_key: 'img_cover2' }],
      ],
    };
    await h.sendEvent(
      messageEvent({ chatType: 'group', messageType: 'post', content: post, mentions: [botMention] }),
    );
    await waitFor(() => seen.length === 3, 'three messages');
    const byKind = seen.map((m) => m.attachments.map((a) => `${a.kind}:${a.name}`));
    expect(byKind).toContainEqual(['audio:file_voice']);
    expect(byKind).toContainEqual(['video:clip.mp4']);
    const postMessage = seen.find((m) => m.chat.kind === 'group');
    expect(postMessage?.text).toBe('Look\nwhat is in these?');
    expect(postMessage?.mentionsBot).toBe(true);
    expect(postMessage?.attachments.map((a) => `${a.kind}:${a.name}`)).toEqual([
      'image:img_in_post',
      'video:file_in_post',
    ]);
  });
});
