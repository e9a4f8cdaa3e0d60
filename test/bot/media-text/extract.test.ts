import { beforeAll, describe, expect, it } from 'vitest';
import { extractMediaText } from '../../../src/bot/media-text/extract.js';
import { questionWithMediaText } from '../../../src/bot/media-text/prompt.js';
import { mediaOnlyReply } from '../../../src/bot/media-text/reply.js';
import { renderText } from '../../../src/inference/ocr/testset/render.js';
import { createRng } from '../../../src/inference/sampling/rng.js';
import { useOcrReader } from '../../inference/ocr/support.js';

const reader = useOcrReader();
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

describe('attachment text with the OCR reader (real sessions)', { timeout: 60_000 }, () => {
  it('reads an image and marks its text as from the image in front of the question', async () => {
    const media = await extractMediaText(reader(), [{ kind: 'image', name: 'error.png', data: screenshot }]);
    expect(media).toEqual([{ kind: 'image', name: 'error.png', lines: [{ text: ERROR_LINE }] }]);
    const question = questionWithMediaText('what does this error mean?', media, 4000);
    expect(question).toContain(`<image-text name="error.png">\n${ERROR_LINE}\n</image-text>`);
    expect(question.endsWith('\n\nwhat does this error mean?')).toBe(true);
    expect(mediaOnlyReply(media)).toContain(`Text in error.png:\n\`\`\`\n${ERROR_LINE}\n\`\`\``);
  });

  it('reads video keyframes into lines with their times', async () => {
    const media = await extractMediaText(reader(), [{ kind: 'video', name: 'demo.mp4', keyframes: frames }]);
    expect(mediaOnlyReply(media)).toContain('[0:00–0:03] Welcome to the demo\n[0:03] Open the settings page');
  });

  it('an attachment that is not a readable image becomes an entry with its error, not a failure', async () => {
    const media = await extractMediaText(reader(), [
      { kind: 'image', name: 'notes.txt', data: new TextEncoder().encode('just text, not an image') },
    ]);
    expect(media[0]?.lines).toEqual([]);
    expect(questionWithMediaText('summarize', media, 4000)).toMatch(
      /<image-text name="notes.txt">\n\(could not be read: Cannot read the image: .+\)\n<\/image-text>/,
    );
  });
});
