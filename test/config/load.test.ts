import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('gives defaults for an empty environment, including the local engine settings', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      MODELS_DIR: './models',
      MODEL_DTYPE: 'auto',
      INFERENCE_DEVICE: 'auto',
      INFERENCE_THREADS: 0,
      INFERENCE_SPIN: true,
    });
    expect(config.MODEL).toBeUndefined();
  });

  it('reads the engine chain, response cache and API task settings', () => {
    const config = loadConfig({
      ENGINE_CHAIN: ' local , remote ',
      OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1',
    });
    expect(config).toMatchObject({
      ENGINE_CHAIN: ['local', 'remote'],
      ENGINE_RETRY_BASE_MS: 250,
      ENGINE_BREAKER_THRESHOLD: 5,
      RESPONSE_CACHE: true,
      RESPONSE_CACHE_TTL_S: 3600,
      RESPONSE_CACHE_MAX_ENTRIES: 1000,
      API_TASK_TTL_S: 86_400,
    });
    expect(loadConfig({}).ENGINE_CHAIN).toEqual([]);
    expect(problems({ ENGINE_CHAIN: 'local,gpu' })).toEqual([
      'ENGINE_CHAIN: expected local, remote, local,remote or remote,local, got "local,gpu"',
    ]);
    expect(problems({ ENGINE_CHAIN: 'local,local' })).toHaveLength(1);
    expect(problems({ ENGINE_CHAIN: 'remote,local' })).toEqual([
      'OPENAI_BASE_URL: expected a value when ENGINE_CHAIN names remote',
    ]);
  });

  it('names a bad dtype and the accepted ones', () => {
    expect(problems({ MODEL_DTYPE: 'q3' })).toEqual([
      'MODEL_DTYPE: expected auto or one of fp32, fp16, q4, q4f16, int8, uint8, quantized, bnb4, got "q3"',
    ]);
  });

  it('checks the Slack settings that go together', () => {
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([
      'SLACK_SIGNING_SECRET: expected a value when SLACK_BOT_TOKEN is set (or SLACK_APP_TOKEN for Socket Mode)',
    ]);
    expect(problems({ SLACK_SIGNING_SECRET: 's' })).toEqual([
      'SLACK_BOT_TOKEN: expected a value when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set',
    ]);
    expect(problems({ SLACK_APP_TOKEN: 'xapp-1' })).toHaveLength(1);
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' })).toEqual([]);
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toEqual([]);
  });

  it('checks the Lark settings that go together', () => {
    expect(problems({ LARK_APP_ID: 'cli_1' })).toEqual([
      'LARK_APP_SECRET: LARK_APP_ID and LARK_APP_SECRET must be set together',
    ]);
    const app = { LARK_APP_ID: 'cli_1', LARK_APP_SECRET: 's' };
    expect(problems(app)).toEqual([]);
    expect(problems({ ...app, LARK_MODE: 'webhook' })).toEqual([
      'LARK_VERIFICATION_TOKEN: expected a value (or LARK_ENCRYPT_KEY) when LARK_MODE=webhook, so events can be verified',
    ]);
    expect(problems({ ...app, LARK_MODE: 'webhook', LARK_ENCRYPT_KEY: 'k' })).toEqual([]);
  });
});

describe('OCR settings', () => {
  it('has defaults and range checks', () => {
    expect(loadConfig({})).toMatchObject({
      OCR_MAX_SIDE: 960,
      OCR_IMAGE_REPLY: true,
      OCR_PROMPT_MAX_CHARS: 4000,
    });
    expect(loadConfig({ OCR_IMAGE_REPLY: 'false', OCR_MAX_SIDE: '1280' })).toMatchObject({
      OCR_IMAGE_REPLY: false,
      OCR_MAX_SIDE: 1280,
    });
    expect(problems({ OCR_MAX_SIDE: '100' })).toEqual([
      'OCR_MAX_SIDE: expected an integer between 320 and 4096, got "100"',
    ]);
  });
});

describe('vision settings', () => {
  it('has defaults and checks values', () => {
    expect(loadConfig({})).toMatchObject({
      OPENAI_VISION: false,
      OPENAI_IMAGE_TRANSPORT: 'data',
      OPENAI_IMAGE_URL_TTL_S: 900,
      VISION_WITH_OCR: false,
      VISION_HISTORY_IMAGES: 8,
      API_IMAGE_FETCH_ALLOW_PRIVATE: false,
      API_IMAGE_FETCH_TIMEOUT_MS: 10_000,
      API_IMAGE_FETCH_MAX_REDIRECTS: 3,
      API_IMAGES_MAX: 8,
    });
    expect(loadConfig({ OPENAI_VISION: 'true', OPENAI_IMAGE_TRANSPORT: 'url' })).toMatchObject({
      OPENAI_VISION: true,
      OPENAI_IMAGE_TRANSPORT: 'url',
    });
    expect(problems({ OPENAI_IMAGE_TRANSPORT: 'ftp' })).toEqual([
      'OPENAI_IMAGE_TRANSPORT: expected data or url, got "ftp"',
    ]);
  });
});
