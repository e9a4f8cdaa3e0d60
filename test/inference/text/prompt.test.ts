import { describe, expect, it } from 'vitest';
import { type LoadedTokenizer, loadTokenizer } from '../../../src/inference/text/load-tokenizer.js';
import { encodePrompt, fallbackPrompt, formatPrompt } from '../../../src/inference/text/prompt.js';
import { CONVERSATION, GPT2, QWEN, templateFixture } from './fixtures.js';

describe('formatPrompt', () => {
  it('raw: a single user message is just its text; several are concatenated', async () => {
    const loaded = await loadTokenizer(QWEN);
    expect(formatPrompt(loaded, [{ role: 'user', content: 'Once upon a time' }], { raw: true })).toBe(
      'Once upon a time',
    );
    const messages = [
      { role: 'user' as const, content: 'The capital of France is' },
      { role: 'assistant' as const, content: ' Paris' },
    ];
    expect(formatPrompt(loaded, messages, { raw: true })).toBe('The capital of France is Paris');
  });

  it("uses the model's template (the Qwen fixture's Q/A one)", async () => {
    const loaded = await loadTokenizer(QWEN);
    expect(formatPrompt(loaded, CONVERSATION)).toBe(
      'You are a helpful assistant.\nQ: Hello!\nA: Hi there. How can I help?\nQ: Tell me a joke.\nA:',
    );
    expect(formatPrompt(loaded, CONVERSATION, { addGenerationPrompt: false })).toBe(
      'You are a helpful assistant.\nQ: Hello!\nA: Hi there. How can I help?\nQ: Tell me a joke.\n',
    );
  });

  it('falls back to a simple labelled format without a template', async () => {
    const loaded = await loadTokenizer(GPT2);
    const expected =
      'System: You are a helpful assistant.\nUser: Hello!\nAssistant: Hi there. How can I help?\n' +
      'User: Tell me a joke.\nAssistant:';
    expect(formatPrompt(loaded, CONVERSATION)).toBe(expected);
    expect(fallbackPrompt(CONVERSATION, false)).toBe(expected.slice(0, -'\nAssistant:'.length));
  });
});

describe('encodePrompt', () => {
  async function gpt2With(overrides: Partial<LoadedTokenizer>): Promise<LoadedTokenizer> {
    return { ...(await loadTokenizer(GPT2)), ...overrides };
  }

  it('adds nothing when the model does not want a BOS', async () => {
    const loaded = await loadTokenizer(QWEN);
    const text = formatPrompt(loaded, [{ role: 'user', content: 'I do not like it' }]);
    expect(encodePrompt(loaded, text)).toEqual(loaded.tokenizer.encode(text, { addSpecialTokens: false }));
  });

  it('adds a BOS when the model wants one and the text has none', async () => {
    const loaded = await gpt2With({ addBosToken: true });
    expect(encodePrompt(loaded, 'Hello world')).toEqual([50256, 15496, 995]);
  });

  it('never doubles a BOS the template already wrote', async () => {
    const loaded = await gpt2With({
      addBosToken: true,
      chatTemplate: await templateFixture('llama-3-instruct.jinja'),
    });
    const text = formatPrompt(loaded, [{ role: 'user', content: 'Hello' }]);
    expect(text.startsWith('<|endoftext|><|start_header_id|>')).toBe(true);
    const ids = encodePrompt(loaded, text);
    expect(ids[0]).toBe(50256);
    expect(ids[1]).not.toBe(50256);
    expect(ids.filter((id) => id === 50256)).toHaveLength(1);
  });

  it('turns special tokens written in the text into their ids', async () => {
    const loaded = await loadTokenizer(GPT2);
    expect(encodePrompt(loaded, 'Hi<|endoftext|>')).toEqual([17250, 50256]);
  });
});
