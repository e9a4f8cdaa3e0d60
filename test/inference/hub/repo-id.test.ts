import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isHubId, modelDirFor, parseHubId } from '../../../src/inference/hub/repo-id.js';

describe('hub ids', () => {
  it.each([
    'onnx-community/Qwen2.5-0.5B-Instruct',
    'microsoft/Phi-3-mini-4k-instruct-onnx',
    'a/b',
    'HuggingFaceTB/SmolLM2-135M-Instruct',
  ])('accepts %s', (id) => {
    expect(isHubId(id)).toBe(true);
  });

  it.each([
    '',
    'name-only',
    'a/b/c',
    '/abs/path',
    './models/x',
    '../x',
    'a/..',
    'a/b..c',
    'a/b--c',
    '-a/b',
    'a/b.',
    'a/b c',
    'a\\b',
    `a/${'x'.repeat(97)}`,
  ])('refuses %j', (id) => {
    expect(isHubId(id)).toBe(false);
  });

  it('splits ids and maps them to <modelsDir>/<owner>/<name>', () => {
    expect(parseHubId('org/model')).toEqual({ owner: 'org', name: 'model' });
    expect(modelDirFor('/srv/models', 'org/model')).toBe(join('/srv/models', 'org', 'model'));
    expect(() => modelDirFor('/srv/models', '../../etc')).toThrow(
      /is not a hub model id: expected owner\/name/,
    );
  });
});
