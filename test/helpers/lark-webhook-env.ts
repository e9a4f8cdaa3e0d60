import type { FakeLark } from './fake-lark.js';
import type { FakeOpenAI } from './fake-openai.js';

/** The settings of a gateway taking encrypted Lark webhooks from `lark` and answering through `openai`. */
export function larkWebhookEnv(
  lark: FakeLark,
  openai: FakeOpenAI,
  encryptKey: string,
): Record<string, string> {
  return {
    LARK_APP_ID: lark.appId,
    LARK_APP_SECRET: lark.appSecret,
    LARK_MODE: 'webhook',
    LARK_ENCRYPT_KEY: encryptKey,
    LARK_VERIFICATION_TOKEN: 'test-verification-token',
    LARK_DOMAIN: lark.url,
    OPENAI_BASE_URL: openai.url,
    OPENAI_MODEL: 'fake-model',
  };
}
