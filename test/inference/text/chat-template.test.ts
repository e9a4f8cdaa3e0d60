import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChatTemplateError, renderChatTemplate } from '../../../src/inference/text/chat-template.js';
import { loadTokenizer } from '../../../src/inference/text/load-tokenizer.js';
import { CONVERSATION, copyModel, GPT2, readJson, templateFixture, writeJson } from './fixtures.js';

const LLAMA = { bosToken: '<|begin_of_text|>', eosToken: '<|eot_id|>' };

describe('renderChatTemplate: real templates', () => {
  it('Qwen2.5 (ChatML)', async () => {
    const template = await templateFixture('qwen2.5-instruct.jinja');
    const body =
      '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' +
      '<|im_start|>user\nHello!<|im_end|>\n' +
      '<|im_start|>assistant\nHi there. How can I help?<|im_end|>\n' +
      '<|im_start|>user\nTell me a joke.<|im_end|>\n';
    const options = { bosToken: '', eosToken: '<|im_end|>' };
    expect(renderChatTemplate(template, CONVERSATION, options)).toBe(`${body}<|im_start|>assistant\n`);
    expect(renderChatTemplate(template, CONVERSATION, { ...options, addGenerationPrompt: false })).toBe(body);
  });

  it('Qwen2.5 puts in its default system prompt when there is none', async () => {
    const template = await templateFixture('qwen2.5-instruct.jinja');
    expect(renderChatTemplate(template, [{ role: 'user', content: 'Hi' }])).toBe(
      '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n' +
        '<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n',
    );
  });

  it('Llama 3', async () => {
    const template = await templateFixture('llama-3-instruct.jinja');
    const body =
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a helpful assistant.<|eot_id|>' +
      '<|start_header_id|>user<|end_header_id|>\n\nHello!<|eot_id|>' +
      '<|start_header_id|>assistant<|end_header_id|>\n\nHi there. How can I help?<|eot_id|>' +
      '<|start_header_id|>user<|end_header_id|>\n\nTell me a joke.<|eot_id|>';
    expect(renderChatTemplate(template, CONVERSATION, LLAMA)).toBe(
      `${body}<|start_header_id|>assistant<|end_header_id|>\n\n`,
    );
    expect(renderChatTemplate(template, CONVERSATION, { ...LLAMA, addGenerationPrompt: false })).toBe(body);
  });

  it('Llama 3 trims message contents (the filter binds tighter than +)', async () => {
    const template = await templateFixture('llama-3-instruct.jinja');
    expect(renderChatTemplate(template, [{ role: 'user', content: '  Hi \n' }], LLAMA)).toBe(
      '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\n',
    );
  });

  it('Llama 3.1', async () => {
    const template = await templateFixture('llama-3.1-instruct.jinja');
    const body =
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n' +
      'Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n' +
      'You are a helpful assistant.<|eot_id|>' +
      '<|start_header_id|>user<|end_header_id|>\n\nHello!<|eot_id|>' +
      '<|start_header_id|>assistant<|end_header_id|>\n\nHi there. How can I help?<|eot_id|>' +
      '<|start_header_id|>user<|end_header_id|>\n\nTell me a joke.<|eot_id|>';
    expect(renderChatTemplate(template, CONVERSATION, LLAMA)).toBe(
      `${body}<|start_header_id|>assistant<|end_header_id|>\n\n`,
    );
    expect(renderChatTemplate(template, CONVERSATION, { ...LLAMA, addGenerationPrompt: false })).toBe(body);
  });

  it('Llama 3.1 takes extra variables (date_string)', async () => {
    const template = await templateFixture('llama-3.1-instruct.jinja');
    const out = renderChatTemplate(template, [{ role: 'user', content: 'Hi' }], {
      ...LLAMA,
      extra: { date_string: '01 Jan 2026' },
    });
    expect(out).toContain('Today Date: 01 Jan 2026\n\n<|eot_id|>');
  });

  it('Llama 3.1 renders the same from tokenizer_config.json', async () => {
    const copy = await copyModel(GPT2);
    try {
      const template = await templateFixture('llama-3.1-instruct.jinja');
      const path = join(copy.dir, 'tokenizer_config.json');
      await writeJson(path, { ...(await readJson(path)), chat_template: template });
      const loaded = await loadTokenizer(copy.dir);
      expect(loaded.chatTemplate).toBe(template);
      expect(renderChatTemplate(loaded.chatTemplate ?? '', CONVERSATION, LLAMA)).toBe(
        renderChatTemplate(template, CONVERSATION, LLAMA),
      );
    } finally {
      await copy.cleanup();
    }
  });
});

describe('renderChatTemplate: globals and errors', () => {
  const noSystem =
    "{% for m in messages %}{% if m.role == 'system' %}{{ raise_exception('System role not supported') }}" +
    '{% endif %}{{ m.content }}{% endfor %}';

  it('turns raise_exception into a ChatTemplateError with the template’s message', () => {
    let error: unknown;
    try {
      renderChatTemplate(noSystem, CONVERSATION);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ChatTemplateError);
    expect((error as ChatTemplateError).raised).toBe(true);
    expect((error as Error).message).toBe(
      "The model's chat template rejected the conversation: System role not supported",
    );
    expect(renderChatTemplate(noSystem, CONVERSATION.slice(1))).toBe(
      'Hello!Hi there. How can I help?Tell me a joke.',
    );
  });

  it('reports a template that does not parse', () => {
    expect(() => renderChatTemplate('{% for m in messages %}', CONVERSATION)).toThrow(
      /^The model's chat template failed/,
    );
  });

  it('reports a template that fails while rendering', () => {
    let error: unknown;
    try {
      renderChatTemplate('{{ messages | nosuchfilter }}', CONVERSATION);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ChatTemplateError);
    expect((error as ChatTemplateError).raised).toBe(false);
    expect((error as Error).message).toMatch(/^The model's chat template failed: .*nosuchfilter/);
  });

  it('gives strftime_now the injected clock, in English', () => {
    const now = () => new Date(2024, 6, 26, 9, 5, 3);
    expect(
      renderChatTemplate('{{ strftime_now("%d %b %Y") }} {{ strftime_now("%B %H:%M") }}', [], { now }),
    ).toBe('26 Jul 2024 July 09:05');
  });

  it('provides bos_token, eos_token, add_generation_prompt, range and the boolean names', () => {
    const template =
      '{{ bos_token }}|{{ eos_token }}|{% if add_generation_prompt %}yes{% else %}no{% endif %}|' +
      '{% for i in range(3) %}{{ i }}{% endfor %}{% for i in range(5, 0, -2) %}{{ i }}{% endfor %}|' +
      '{% if true and True and not false and not False and none is none and None is none %}ok{% endif %}';
    expect(
      renderChatTemplate(template, [], { bosToken: '<s>', eosToken: '</s>', addGenerationPrompt: false }),
    ).toBe('<s>|</s>|no|012531|ok');
  });
});
