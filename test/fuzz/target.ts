import { type CliProcess, runCli } from '../helpers/cli-process.js';
import { type FakeLark, startFakeLark } from '../helpers/fake-lark.js';
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai.js';
import { type FakeSlack, startFakeSlack } from '../helpers/fake-slack.js';
import type { FuzzSecrets } from './request.js';

export const FUZZ_SECRETS: FuzzSecrets = {
  slackSigningSecret: 'fuzz-signing-secret',
  larkEncryptKey: 'fuzz-encrypt-key',
  larkVerificationToken: 'fuzz-verification-token',
  apiKey: 'sk-fuzz',
};

export interface FuzzTarget {
  url: string;
  serve: CliProcess;
  slack: FakeSlack;
  lark: FakeLark;
  openai: FakeOpenAI;
  /** Stops the server (SIGTERM) and the fakes; resolves with its exit code. Safe to call twice. */
  close(): Promise<number | string>;
}

/**
 * `teambot serve` in a child process, as a user runs it, with Slack (HTTP), Lark (webhook) and
 * the API all on, answering through local fakes. Coarse rate limits are lifted so that every
 * request reaches the parsers.
 */
export async function startFuzzTarget(env: Record<string, string> = {}): Promise<FuzzTarget> {
  const [slack, lark, openai] = await Promise.all([
    startFakeSlack(),
    startFakeLark(),
    startFakeOpenAI({ behavior: { reply: 'fuzz answer', delayMs: 0 } }),
  ]);
  const serve = runCli(['serve'], {
    PORT: '0',
    HOST: '127.0.0.1',
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: FUZZ_SECRETS.slackSigningSecret,
    SLACK_API_URL: slack.apiUrl,
    LARK_APP_ID: lark.appId,
    LARK_APP_SECRET: lark.appSecret,
    LARK_MODE: 'webhook',
    LARK_ENCRYPT_KEY: FUZZ_SECRETS.larkEncryptKey,
    LARK_VERIFICATION_TOKEN: FUZZ_SECRETS.larkVerificationToken,
    LARK_DOMAIN: lark.url,
    OPENAI_BASE_URL: openai.url,
    OPENAI_MODEL: 'fake-model',
    API_KEYS: FUZZ_SECRETS.apiKey,
    API_RATE_LIMIT: '1000000/minute',
    WEBHOOK_RATE_LIMIT: '1000000/minute',
    ...env,
  });
  const closeFakes = () => Promise.all([slack.close(), lark.close(), openai.close()]);
  try {
    const [line] = await serve.waitForStdout(/.*"msg":"http server listening".*/, 30_000);
    const { url } = JSON.parse(line) as { url: string };
    let closing: Promise<number | string> | undefined;
    const close = async () => {
      if (serve.child.exitCode === null) serve.child.kill('SIGTERM');
      const code = await serve.exited;
      await closeFakes();
      return code;
    };
    return { url, serve, slack, lark, openai, close: () => (closing ??= close()) };
  } catch (error) {
    serve.child.kill('SIGKILL');
    await closeFakes();
    throw error;
  }
}
