import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/inference/errors.js';
import { validateSamplingParams } from '../../../src/inference/sampling/sample.js';

describe('validateSamplingParams', () => {
  it('accepts sensible settings', () => {
    expect(() => validateSamplingParams({ temperature: 0 })).not.toThrow();
    expect(() =>
      validateSamplingParams({ temperature: 0.7, topK: 0, topP: 1, minP: 0, repetitionPenalty: 1 }),
    ).not.toThrow();
    expect(() =>
      validateSamplingParams({ temperature: 2, topK: 50, topP: 0.01, minP: 1, repetitionPenalty: 0.5 }),
    ).not.toThrow();
  });

  it.each([
    [{ temperature: -0.1 }, /temperature/],
    [{ temperature: Number.NaN }, /temperature/],
    [{ temperature: Number.POSITIVE_INFINITY }, /temperature/],
    [{ temperature: 1, topP: 0 }, /top_p/],
    [{ temperature: 1, topP: 1.01 }, /top_p/],
    [{ temperature: 1, topP: -0.5 }, /top_p/],
    [{ temperature: 1, topK: -1 }, /top_k/],
    [{ temperature: 1, topK: 2.5 }, /top_k/],
    [{ temperature: 1, minP: 1.5 }, /min_p/],
    [{ temperature: 1, repetitionPenalty: 0 }, /repetition_penalty/],
    [{ temperature: 1, repetitionPenalty: -1 }, /repetition_penalty/],
  ])('rejects %o', (params, message) => {
    let error: unknown;
    try {
      validateSamplingParams(params);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('bad_request');
    expect((error as Error).message).toMatch(message);
  });
});
