import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../../src/inference/model/errors.js';
import { loadTokenizer } from '../../../src/inference/text/load-tokenizer.js';
import { copyModel, GPT2, QWEN, readJson, writeJson } from './fixtures.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function gpt2Copy(files?: string[]): Promise<string> {
  const copy = await copyModel(GPT2, files);
  cleanups.push(copy.cleanup);
  return copy.dir;
}

async function editConfig(dir: string, edit: (config: Record<string, unknown>) => void): Promise<void> {
  const path = join(dir, 'tokenizer_config.json');
  const config = await readJson(path);
  edit(config);
  await writeJson(path, config);
}

describe('loadTokenizer', () => {
  it('reads the GPT-2 fixture: tokens, special ids, BOS/EOS', async () => {
    const loaded = await loadTokenizer(GPT2);
    expect(loaded.bosToken).toBe('<|endoftext|>');
    expect(loaded.eosToken).toBe('<|endoftext|>');
    expect(loaded.bosTokenId).toBe(50256);
    expect(loaded.eosTokenIds).toEqual([50256]);
    expect(loaded.addBosToken).toBe(false);
    expect(loaded.chatTemplate).toBeUndefined();
    const { tokenizer } = loaded;
    expect(tokenizer.size).toBe(50295);
    expect(tokenizer.specialIds.has(50256)).toBe(true);
    expect(tokenizer.encode('Hello world')).toEqual([15496, 995]);
    expect(tokenizer.decode([15496, 995])).toBe('Hello world');
  });

  it('takes the chat template from tokenizer_config.json', async () => {
    const loaded = await loadTokenizer(QWEN);
    const config = await readJson(join(QWEN, 'tokenizer_config.json'));
    expect(loaded.chatTemplate).toBe(config.chat_template);
  });

  it('prefers chat_template.jinja over the config', async () => {
    const copy = await copyModel(QWEN);
    cleanups.push(copy.cleanup);
    await writeFile(join(copy.dir, 'chat_template.jinja'), '{{ messages[0].content }}');
    expect((await loadTokenizer(copy.dir)).chatTemplate).toBe('{{ messages[0].content }}');
  });

  it('picks the "default" template from a list of named ones', async () => {
    const dir = await gpt2Copy();
    await editConfig(dir, (config) => {
      config.chat_template = [
        { name: 'tool_use', template: 'TOOLS' },
        { name: 'default', template: 'DEFAULT' },
      ];
    });
    expect((await loadTokenizer(dir)).chatTemplate).toBe('DEFAULT');
  });

  it('reads chat_template.json when there is no .jinja file', async () => {
    const dir = await gpt2Copy();
    await writeJson(join(dir, 'chat_template.json'), { chat_template: 'FROM JSON' });
    expect((await loadTokenizer(dir)).chatTemplate).toBe('FROM JSON');
  });

  it('accepts tokens as {content} objects and falls back to special_tokens_map.json', async () => {
    const dir = await gpt2Copy();
    await editConfig(dir, (config) => {
      config.bos_token = { content: '<|endoftext|>', lstrip: false, rstrip: false, special: true };
      delete config.eos_token;
    });
    await writeJson(join(dir, 'special_tokens_map.json'), { eos_token: { content: '<|endoftext|>' } });
    const loaded = await loadTokenizer(dir);
    expect(loaded.bosToken).toBe('<|endoftext|>');
    expect(loaded.eosToken).toBe('<|endoftext|>');
    expect(loaded.eosTokenIds).toEqual([50256]);
  });

  it('takes EOS ids from generation_config.json (a list or a number), then config.json', async () => {
    const dir = await gpt2Copy();
    await writeJson(join(dir, 'config.json'), { eos_token_id: 7, bos_token_id: 6 });
    expect((await loadTokenizer(dir)).eosTokenIds).toEqual([7]);
    await writeJson(join(dir, 'generation_config.json'), { eos_token_id: [50256, 13] });
    expect((await loadTokenizer(dir)).eosTokenIds).toEqual([50256, 13]);
    await writeJson(join(dir, 'generation_config.json'), { eos_token_id: 13 });
    expect((await loadTokenizer(dir)).eosTokenIds).toEqual([13]);
  });

  it('follows add_bos_token', async () => {
    const dir = await gpt2Copy();
    await editConfig(dir, (config) => {
      config.add_bos_token = true;
    });
    expect((await loadTokenizer(dir)).addBosToken).toBe(true);
  });

  it("without add_bos_token, wants a BOS when the tokenizer's post-processor adds one (Llama 3 style)", async () => {
    const dir = await gpt2Copy();
    const path = join(dir, 'tokenizer.json');
    const tokenizer = await readJson(path);
    tokenizer.post_processor = {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<|endoftext|>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
      special_tokens: { '<|endoftext|>': { id: '<|endoftext|>', ids: [50256], tokens: ['<|endoftext|>'] } },
    };
    await writeJson(path, tokenizer);
    const loaded = await loadTokenizer(dir);
    expect(loaded.addBosToken).toBe(true);
    expect(loaded.tokenizer.encode('Hello world')).toEqual([50256, 15496, 995]);
    expect(loaded.tokenizer.encode('Hello world', { addSpecialTokens: false })).toEqual([15496, 995]);
  });

  it('reads files under other names', async () => {
    const dir = await gpt2Copy();
    await writeFile(join(dir, 'custom.jinja'), 'CUSTOM');
    expect((await loadTokenizer(dir, { chatTemplate: 'custom.jinja' })).chatTemplate).toBe('CUSTOM');
  });

  it('says which directory lacks tokenizer.json', async () => {
    const dir = await gpt2Copy(['tokenizer_config.json']);
    const error = await loadTokenizer(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).code).toBe('missing_file');
    expect((error as Error).message).toContain(dir);
    expect((error as Error).message).toContain('tokenizer.json');
  });

  it('works without tokenizer_config.json', async () => {
    const dir = await gpt2Copy(['tokenizer.json']);
    const loaded = await loadTokenizer(dir);
    expect(loaded.bosToken).toBeUndefined();
    expect(loaded.eosTokenIds).toEqual([]);
    expect(loaded.tokenizer.decode(loaded.tokenizer.encode('Hi there'))).toBe('Hi there');
  });

  it.each(['tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'special_tokens_map.json'])(
    'names %s when it is malformed JSON',
    async (file) => {
      const dir = await gpt2Copy();
      await writeFile(join(dir, file), '{ "oops": ');
      const error = await loadTokenizer(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelError);
      expect((error as Error).message).toContain(file);
      expect((error as Error).message).toContain('not valid JSON');
    },
  );

  it('says when tokenizer.json is JSON but not a tokenizer', async () => {
    const dir = await gpt2Copy();
    await writeJson(join(dir, 'tokenizer.json'), { hello: 'world' });
    await expect(loadTokenizer(dir)).rejects.toThrow(/tokenizer\.json .*not a tokenizer/);
  });

  it('leaves the fixture untouched', async () => {
    const before = await readFile(join(GPT2, 'tokenizer_config.json'), 'utf8');
    const dir = await gpt2Copy();
    await rm(join(dir, 'tokenizer_config.json'));
    expect(await readFile(join(GPT2, 'tokenizer_config.json'), 'utf8')).toBe(before);
  });
});
