import { RESTART_CHUNK } from '../../../inference/types.js';
import type { Replier } from '../../message.js';

export const BOT_PREFIX = 'teambot> ';

/** Writes answers to a terminal; streamed chunks appear as they arrive. */
export function terminalReplier(output: NodeJS.WritableStream): Replier {
  const line = async (text: string): Promise<void> => {
    output.write(`${BOT_PREFIX}${text}\n`);
  };
  return {
    post: line,
    notice: line,
    async stream(chunks) {
      let text = '';
      try {
        for await (const chunk of chunks) {
          if (chunk === RESTART_CHUNK) {
            if (text !== '') output.write(`\n${BOT_PREFIX}(the model restarted; answering again)\n`);
            text = '';
            continue;
          }
          output.write(text === '' ? `${BOT_PREFIX}${chunk}` : chunk);
          text += chunk;
        }
      } finally {
        if (text !== '') output.write('\n');
      }
      return text;
    },
  };
}
