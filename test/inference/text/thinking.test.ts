import { describe, expect, it } from 'vitest';
import { QWEN35_TEMPLATE } from '../../../src/inference/demo/hybrid-config.js';
import { formatPrompt } from '../../../src/inference/text/prompt.js';
import {
  promptOpensThinking,
  splitThinking,
  ThinkingSplitter,
} from '../../../src/inference/text/thinking.js';

function streamed(chunks: string[], inside = false) {
  const splitter = new ThinkingSplitter(inside);
  let thinking = '';
  let answer = '';
  const answerChunks: string[] = [];
  for (const chunk of [...chunks.map((c) => splitter.push(c)), splitter.flush()]) {
    thinking += chunk.thinking;
    answer += chunk.answer;
    if (chunk.answer !== '') answerChunks.push(chunk.answer);
  }
  return { thinking, answer, answerChunks };
}

describe('thinking text apart from the answer', () => {
  it('takes <think> … </think> out, with the tags split across chunks', () => {
    const text = '<think>\nThe user wants a summary.\n</think>\n\nThe build failed twice.';
    for (let size = 1; size <= 9; size++) {
      const chunks = text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];
      const got = streamed(chunks);
      expect(got.answer).toBe('The build failed twice.');
      expect(got.thinking.trim()).toBe('The user wants a summary.');
      for (const chunk of got.answerChunks) expect(chunk).not.toContain('<');
    }
  });

  it('starts inside thinking when the prompt opened it, and passes an answer without tags through', () => {
    expect(streamed(['Let me', ' see.</th', 'ink>Yes.'], true)).toMatchObject({
      thinking: 'Let me see.',
      answer: 'Yes.',
    });
    expect(streamed(['Plain ', 'answer <b>bold</b>'])).toMatchObject({
      thinking: '',
      answer: 'Plain answer <b>bold</b>',
    });
    // An empty thinking section (thinking off in the template, echoed by the model) leaves nothing.
    expect(splitThinking('<think>\n\n</think>\n\nHi there')).toEqual({ thinking: '', answer: 'Hi there' });
  });

  it('never shows an unfinished thinking section as the answer', () => {
    expect(splitThinking('<think>still going when the budget ran out')).toEqual({
      thinking: 'still going when the budget ran out',
      answer: '',
    });
    expect(splitThinking('half a thought', true).answer).toBe('');
  });

  it('tells whether a rendered prompt leaves the model thinking', () => {
    expect(promptOpensThinking('<|im_start|>assistant\n<think>\n')).toBe(true);
    expect(promptOpensThinking('<|im_start|>assistant\n<think>\n\n</think>\n\n')).toBe(false);
    expect(promptOpensThinking('<|im_start|>assistant\n')).toBe(false);
  });
});

describe('the chat template variable enable_thinking', () => {
  const loaded = { chatTemplate: QWEN35_TEMPLATE, bosToken: undefined, eosToken: '<|im_end|>' };
  const messages = [{ role: 'user' as const, content: 'hi' }];

  it('is false unless the request asks for thinking', () => {
    expect(formatPrompt(loaded, messages)).toBe(
      '<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n',
    );
    const thinking = formatPrompt(loaded, messages, { extra: { enable_thinking: true } });
    expect(thinking.endsWith('<|im_start|>assistant\n<think>\n')).toBe(true);
    expect(promptOpensThinking(thinking)).toBe(true);
  });
});
