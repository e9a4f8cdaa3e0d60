import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import type { SlackFile } from '../../../../src/bot/adapters/slack/inbound/event-shape.js';
import { toAttachments } from '../../../../src/bot/adapters/slack/inbound/files.js';
import type { InboundMessage } from '../../../../src/bot/message.js';
import type { Pipeline } from '../../../../src/bot/pipeline/pipeline.js';
import { useFakeEngine } from '../../../helpers/fake-engine.js';
import { waitFor } from '../../../helpers/fake-slack.js';
import { fsMedia } from '../../../helpers/media-service.js';
import { type Harness, startHarness } from './harness.js';
import { dmMessage, envelope } from './payloads.js';

const engine = useFakeEngine();
let h: Harness;
afterEach(() => h.close());

/** The bot's pipeline, recording each message it is handed. */
function recording(seen: InboundMessage[]) {
  return (pipeline: Pipeline): Pipeline => ({
    handle: (message, reply) => {
      seen.push(message);
      return pipeline.handle(message, reply);
    },
    get inFlight() {
      return pipeline.inFlight;
    },
    drain: (ms) => pipeline.drain(ms),
  });
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe('Slack files', () => {
  it('stores a shared file, believing its bytes over its name, and replies with a link', async () => {
    h = await startHarness({ engine: engine.engine, media: await fsMedia() });
    const file = h.fake.addFile({
      id: 'F1',
      name: 'cat.png',
      mimetype: 'image/png',
      content: 'not really a png',
    });
    await h.sendEvent(envelope(dmMessage({ text: 'look', subtype: 'file_share', files: [file] })));
    const reply = await waitFor(() => h.fake.messages.find((m) => m.channel === 'D1'), 'the media reply');
    expect(reply.text).toMatch(
      /^Stored file `cat\.png`: BIN, 16 B · <http:\/\/teambot\.test\/files\/media\/slack\/\S+\|open> · id `slack\.[0-9a-f.]+`$/,
    );
    expect(reply.kind).toBe('post');
  });

  it('gives attachments an open() that downloads with the bot token', async () => {
    const seen: InboundMessage[] = [];
    h = await startHarness({ engine: engine.engine, pipeline: recording(seen) });
    const file = h.fake.addFile({
      id: 'F2',
      name: 'notes.txt',
      mimetype: 'text/plain',
      content: 'hello file',
    });
    await h.sendEvent(envelope(dmMessage({ text: 'read this', subtype: 'file_share', files: [file] })));
    const message = await waitFor(() => seen[0], 'the message');
    expect(message.attachments).toHaveLength(1);
    const [attachment] = message.attachments;
    expect(attachment).toMatchObject({ kind: 'file', name: 'notes.txt', size: 10, mimeType: 'text/plain' });
    expect(await readAll(await (attachment?.open() ?? Promise.reject(new Error('none'))))).toBe('hello file');
    expect(h.fake.downloads).toEqual([
      { path: '/files/F2/download/notes.txt', authorization: `Bearer ${h.fake.token}` },
    ]);
  });

  it('asks files.info for the URL when the event leaves it out', async () => {
    const seen: InboundMessage[] = [];
    h = await startHarness({ engine: engine.engine, pipeline: recording(seen) });
    h.fake.addFile({
      id: 'F3',
      name: 'shared.txt',
      mimetype: 'text/plain',
      content: 'from a shared channel',
    });
    const file = { id: 'F3', name: 'shared.txt', mimetype: 'text/plain', file_access: 'check_file_info' };
    await h.sendEvent(envelope(dmMessage({ text: '', subtype: 'file_share', files: [file] })));
    const message = await waitFor(() => seen[0], 'the message');
    const stream = await message.attachments[0]?.open();
    expect(stream && (await readAll(stream))).toBe('from a shared channel');
    expect(h.fake.callsTo('files.info')[0]?.args).toMatchObject({ file: 'F3' });
  });

  it('never sends the bot token to a host outside Slack', async () => {
    const seen: InboundMessage[] = [];
    h = await startHarness({ engine: engine.engine, pipeline: recording(seen) });
    const file = {
      id: 'F4',
      name: 'x.txt',
      mimetype: 'text/plain',
      url_private_download: 'https://evil.example/x',
    };
    await h.sendEvent(envelope(dmMessage({ text: 'x', subtype: 'file_share', files: [file] })));
    const message = await waitFor(() => seen[0], 'the message');
    await expect(message.attachments[0]?.open()).rejects.toThrow(
      /refusing to send the bot token to evil\.example/,
    );
    expect(h.fake.downloads).toEqual([]);
  });

  it('explains a sign-in page instead of the file (a token without files:read)', async () => {
    h = await startHarness({ engine: engine.engine });
    const file = h.fake.addFile({ id: 'F5', name: 'a.txt', mimetype: 'text/plain', content: 'a' });
    const [attachment] = toAttachments([{ ...file, id: 'F5' } as SlackFile], {
      client: new webApi.WebClient('xoxb-wrong', { slackApiUrl: h.fake.apiUrl }),
      botToken: 'xoxb-wrong',
      fetch,
      extraOrigins: [new URL(h.fake.url).origin],
    });
    await expect(attachment?.open()).rejects.toThrow(/sign-in page .* files:read/);
  });
});
