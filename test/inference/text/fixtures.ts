import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChatMessage } from '../../../src/inference/types.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');

/** Real exports from outside the project (see test/fixtures/external-models/README.md). */
export const MODELS = resolve(repoRoot, 'test/fixtures/external-models');
export const GPT2 = join(MODELS, 'tiny-random-gpt2-fp32');
export const QWEN = join(MODELS, 'tiny-qwen35-fp16');

/** A chat template from this folder's fixtures (as the model publishes it). */
export function templateFixture(name: string): Promise<string> {
  return readFile(join(here, 'fixtures', name), 'utf8');
}

/** A temporary copy of a fixture model directory (tokenizer files only), removed by `cleanup`. */
export async function copyModel(
  source: string,
  files = ['tokenizer.json', 'tokenizer_config.json'],
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'teambot-tok-'));
  for (const file of files) await cp(join(source, file), join(dir, file));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function readJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(path, JSON.stringify(value, null, 2));
}

/** system + user + assistant + user: the conversation the template tests render. */
export const CONVERSATION: ChatMessage[] = [
  { role: 'system', content: 'You are a helpful assistant.' },
  { role: 'user', content: 'Hello!' },
  { role: 'assistant', content: 'Hi there. How can I help?' },
  { role: 'user', content: 'Tell me a joke.' },
];
