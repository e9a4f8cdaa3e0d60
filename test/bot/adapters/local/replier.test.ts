import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BOT_PREFIX, terminalReplier } from '../../../../src/bot/adapters/local/replier.js';
import { RESTART_CHUNK } from '../../../../src/inference/types.js';

async function* chunks(parts: string[]) {
  for (const part of parts) yield part;
}

describe('the terminal replier', () => {
  it('streams chunks after the prefix, and says so when the answer starts over', async () => {
    const output = new PassThrough();
    let printed = '';
    output.on('data', (data: Buffer) => {
      printed += data.toString('utf8');
    });
    const text = await terminalReplier(output).stream(chunks(['old ', 'text', RESTART_CHUNK, 'new']));
    expect(text).toBe('new');
    expect(printed).toBe(
      `${BOT_PREFIX}old text\n${BOT_PREFIX}(the model restarted; answering again)\n${BOT_PREFIX}new\n`,
    );
  });
});
