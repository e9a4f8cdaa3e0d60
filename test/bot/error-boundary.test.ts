import { describe, expect, it } from 'vitest';
import { userMessageFor } from '../../src/bot/pipeline/error-boundary.js';
import { EngineError } from '../../src/inference/errors.js';

describe('userMessageFor', () => {
  it('tells a user of a busy engine when to try again, rounded up to seconds', () => {
    const busy = new EngineError('busy', 'queue full', { retryAfterMs: 2_300 });
    expect(userMessageFor(busy, 'abcd')).toBe(
      "I'm busy with other chats right now. Please try again in about 3 s. (error abcd)",
    );
    expect(busy.retryable).toBe(true);
  });

  it('falls back to five seconds when the engine gave no hint', () => {
    expect(userMessageFor(new EngineError('busy', 'queue full'), 'abcd')).toContain('about 5 s');
  });

  it('tells a user whose answer died with the engine thread or worker to ask again', () => {
    const restarted = new EngineError('restarted', 'engine thread exited');
    expect(userMessageFor(restarted, 'cafe')).toBe(
      'The model restarted while answering. Please ask again. (error cafe)',
    );
    expect(restarted.retryable).toBe(true);
  });

  it('keeps the error id for unexpected failures, and says what to do', () => {
    expect(userMessageFor(new Error('boom'), 'beef')).toBe(
      'Sorry, something went wrong on my side. Please try again; if it keeps happening, tell an admin the error id. (error beef)',
    );
  });

  it('gives every engine failure an error id and something to do', () => {
    const codes = [
      'not_configured',
      'timeout',
      'busy',
      'restarted',
      'unreachable',
      'upstream',
      'rate_limited',
    ] as const;
    for (const code of codes) {
      const text = userMessageFor(new EngineError(code, 'x'), 'f00d');
      expect(text).toMatch(/\(error f00d\)$/);
      expect(text).toMatch(/try again|ask again|tell an admin/i);
    }
  });
});
