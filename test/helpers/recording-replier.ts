import type { Replier } from '../../src/bot/message.js';

export interface Recorded {
  kind: 'post' | 'notice' | 'stream';
  text: string;
  /** For streams: the chunks in arrival order. */
  chunks?: string[];
}

/** A Replier that records everything the core sends. */
export function recordingReplier(): Replier & { sent: Recorded[] } {
  const sent: Recorded[] = [];
  return {
    sent,
    async post(text) {
      sent.push({ kind: 'post', text });
    },
    async notice(text) {
      sent.push({ kind: 'notice', text });
    },
    async stream(chunks) {
      const record: Recorded & { chunks: string[] } = { kind: 'stream', text: '', chunks: [] };
      sent.push(record);
      for await (const chunk of chunks) {
        record.chunks.push(chunk);
        record.text += chunk;
      }
      return record.text;
    },
  };
}
