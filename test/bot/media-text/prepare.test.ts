import { beforeAll, describe, expect, it } from 'vitest';
import { prepareMediaAnswer } from '../../../src/bot/media-text/prepare.js';
import { MEDIA_READ_DENIED } from '../../../src/bot/media-text/scope.js';
import { renderText } from '../../../src/inference/ocr/testset/render.js';
import { createRng } from '../../../src/inference/sampling/rng.js';
import { useOcrReader } from '../../inference/ocr/support.js';

const reader = useOcrReader();
const MEMBER = ['chat:ask', 'media:upload', 'media:read'];
const SETTINGS = { imageReply: true, promptMaxChars: 4000 };
const ERROR_LINE = 'Error: connect ECONNREFUSED 127.0.0.1:5432';

let screenshot: Buffer;
let frames: { timestampMs: number; image: Buffer }[];
beforeAll(async () => {
  const random = createRng(5);
  const style = { font: 'DejaVu Sans', size: 24, angle: 0, noise: 0, dark: false };
  screenshot = await renderText([ERROR_LINE], style, random);
  frames = [
    { timestampMs: 0, image: await renderText(['Welcome to the demo'], style, random) },
    {
      timestampMs: 3000,
      image: await renderText(['Welcome to the demo', 'Open the settings page'], style, random),
    },
  ];
});

describe('media with the OCR reader (real sessions)', { timeout: 60_000 }, () => {
  it('puts the text of an image sent with a question into the question, marked as from the image', async () => {
    const answer = await prepareMediaAnswer({
      reader: reader(),
      media: [{ kind: 'image', name: 'error.png', data: screenshot }],
      question: 'what does this error mean?',
      scopes: MEMBER,
      settings: SETTINGS,
    });
    if (answer.kind !== 'ask') throw new Error(`expected ask, got ${answer.kind}`);
    expect(answer.question).toContain(`<image-text name="error.png">\n${ERROR_LINE}\n</image-text>`);
    expect(answer.question.endsWith('\n\nwhat does this error mean?')).toBe(true);
    expect(answer.media).toEqual([{ kind: 'image', name: 'error.png', lines: [{ text: ERROR_LINE }] }]);
  });

  it('replies to an image alone with what it says, or says nothing when OCR_IMAGE_REPLY is off', async () => {
    const media = [{ kind: 'image' as const, name: 'error.png', data: screenshot }];
    const on = await prepareMediaAnswer({
      reader: reader(),
      media,
      question: ' ',
      scopes: MEMBER,
      settings: SETTINGS,
    });
    expect(on).toMatchObject({
      kind: 'reply',
      text: expect.stringContaining(`Text in error.png:\n\`\`\`\n${ERROR_LINE}\n\`\`\``),
    });
    const off = await prepareMediaAnswer({
      reader: reader(),
      media,
      question: '',
      scopes: MEMBER,
      settings: { ...SETTINGS, imageReply: false },
    });
    expect(off).toEqual({ kind: 'none' });
  });

  it('reads video keyframes into lines with their times', async () => {
    const answer = await prepareMediaAnswer({
      reader: reader(),
      media: [{ kind: 'video', name: 'demo.mp4', keyframes: frames }],
      question: '',
      scopes: MEMBER,
      settings: SETTINGS,
    });
    if (answer.kind !== 'reply') throw new Error(`expected reply, got ${answer.kind}`);
    expect(answer.text).toContain('[0:00–0:03] Welcome to the demo\n[0:03] Open the settings page');
  });

  it('does not read media for a sender without media:read, and keeps their question', async () => {
    const answer = await prepareMediaAnswer({
      reader: reader(),
      media: [{ kind: 'image', name: 'error.png', data: screenshot }],
      question: 'and this?',
      scopes: ['chat:ask'],
      settings: SETTINGS,
    });
    expect(answer).toEqual({ kind: 'denied', notice: MEDIA_READ_DENIED, question: 'and this?' });
  });

  it('still answers the question when an attachment is not a readable image, saying so in the prompt', async () => {
    const answer = await prepareMediaAnswer({
      reader: reader(),
      media: [
        { kind: 'image', name: 'notes.txt', data: new TextEncoder().encode('just text, not an image') },
      ],
      question: 'summarize',
      scopes: MEMBER,
      settings: SETTINGS,
    });
    if (answer.kind !== 'ask') throw new Error(`expected ask, got ${answer.kind}`);
    expect(answer.question).toMatch(
      /<image-text name="notes.txt">\n\(could not be read: Cannot read the image: .+\)\n<\/image-text>/,
    );
  });
});
