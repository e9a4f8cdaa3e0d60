import { describe, expect, it } from 'vitest';
import { createLogger, type LoggerOptions } from '../../src/log/logger.js';

const SIGNING_SECRET = '8f14e45fceea167a5a36dedd4bea2543';
const BOT_TOKEN = 'xoxb-1111111111-2222222222-AbCdEfGhIjKlMnOpQrStUvWx';
const APP_TOKEN = 'xapp-1-A0123456789-1234567890123-abcdef0123456789';
const OPENAI_KEY = 'sk-proj-Zx8uT3BlbkFJ0aB1cD2eF3gH4iJ5kL6m';
const LARK_SECRET = 'larkAppSecret-9q8w7e6r5t';

function capture(options: Omit<LoggerOptions, 'destination'> = {}) {
  const chunks: string[] = [];
  const logger = createLogger({
    format: 'json',
    secrets: [SIGNING_SECRET, LARK_SECRET, undefined, ''],
    ...options,
    destination: { write: (chunk: string) => void chunks.push(chunk) },
  });
  const text = () => chunks.join('');
  const lines = () =>
    chunks
      .join('')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, text, lines };
}

function expectClean(text: string) {
  for (const secret of [
    SIGNING_SECRET,
    BOT_TOKEN,
    APP_TOKEN,
    OPENAI_KEY,
    LARK_SECRET,
    'eyJhbGciOiJIUzI1NiJ9.payload',
  ]) {
    expect(text).not.toContain(secret);
  }
}

describe('createLogger', () => {
  it('writes JSON lines and keeps ordinary fields', () => {
    const { logger, lines } = capture();
    logger.info({ user: 'U123', chat: { id: 'C9', kind: 'channel' }, count: 3 }, 'message handled');
    const [line] = lines();
    expect(line).toMatchObject({
      level: 30,
      msg: 'message handled',
      user: 'U123',
      chat: { id: 'C9', kind: 'channel' },
      count: 3,
    });
  });

  it('redacts secret-named fields at the top level and one or two levels down', () => {
    const { logger, text, lines } = capture();
    logger.info({
      token: 'plain-token-value',
      botToken: 'bot-token-value',
      slack: { signingSecret: 'nested-signing', appToken: 'nested-app' },
      config: { lark: { encryptKey: 'deep-encrypt', app_secret: 'deep-app-secret' } },
      env: { SLACK_BOT_TOKEN: 'env-bot', OPENAI_API_KEY: 'env-openai', LARK_VERIFICATION_TOKEN: 'env-verif' },
      user: { password: 'pw-value', name: 'Ada' },
    });
    for (const value of [
      'plain-token-value',
      'bot-token-value',
      'nested-signing',
      'nested-app',
      'deep-encrypt',
      'deep-app-secret',
      'env-bot',
      'env-openai',
      'env-verif',
      'pw-value',
    ]) {
      expect(text()).not.toContain(value);
    }
    expect(lines()[0]).toMatchObject({
      token: '[redacted]',
      slack: { signingSecret: '[redacted]' },
      user: { password: '[redacted]', name: 'Ada' },
    });
  });

  it('finds secret-named keys deeper down, in arrays and in any letter case, without touching the input', () => {
    const { logger, text, lines } = capture();
    const input = {
      event: {
        body: { header: { token: 'lark-verification-deep' }, items: [{ Api_Key: 'array-key', id: 7 }] },
      },
      Headers: { 'X-Slack-Signature': 'v0=upper', Cookie: 'sid=upper' },
    };
    logger.info(input, 'event');
    for (const value of ['lark-verification-deep', 'array-key', 'v0=upper', 'sid=upper'])
      expect(text()).not.toContain(value);
    expect(lines()[0]).toMatchObject({ event: { body: { items: [{ Api_Key: '[redacted]', id: 7 }] } } });
    expect(input.event.body.header.token).toBe('lark-verification-deep');
  });

  it('redacts headers on request objects that are not plain objects', () => {
    class FakeRequest {
      method = 'POST';
      headers = { authorization: 'Basic c2VjcmV0OnBhc3M=', 'user-agent': 'Slackbot' };
    }
    const { logger, text } = capture();
    logger.info({ req: new FakeRequest() });
    expect(text()).not.toContain('c2VjcmV0OnBhc3M=');
    expect(text()).toContain('Slackbot');
  });

  it('redacts authorization, cookie and signature headers', () => {
    const { logger, text, lines } = capture();
    logger.info({
      req: {
        method: 'POST',
        headers: {
          authorization: 'Basic dXNlcjpwYXNz',
          cookie: 'session=abc123',
          'x-slack-signature': 'v0=deadbeef',
          'content-type': 'application/json',
        },
      },
      headers: { Authorization: 'Basic Zm9vOmJhcg==', 'x-lark-signature': 'lark-sig-value' },
    });
    for (const value of ['dXNlcjpwYXNz', 'session=abc123', 'v0=deadbeef', 'Zm9vOmJhcg==', 'lark-sig-value'])
      expect(text()).not.toContain(value);
    expect(lines()[0]).toMatchObject({
      req: { method: 'POST', headers: { 'content-type': 'application/json', authorization: '[redacted]' } },
    });
  });

  it('scrubs configured secrets and token-shaped strings anywhere, including the message', () => {
    const { logger, text } = capture();
    logger.info(
      {
        note: `signing with ${SIGNING_SECRET}`,
        list: [BOT_TOKEN, { deep: { deeper: { value: APP_TOKEN } } }],
      },
      `calling with Bearer eyJhbGciOiJIUzI1NiJ9.payload and ${OPENAI_KEY}`,
    );
    logger.warn(`lark secret is ${LARK_SECRET}`);
    expectClean(text());
    expect(text()).toContain('Bearer [redacted]');
    expect(text()).toContain('signing with [redacted]');
  });

  it('scrubs secrets inside error messages and stacks', () => {
    const { logger, text, lines } = capture();
    const error = new Error(`auth.test failed for ${BOT_TOKEN} (secret ${SIGNING_SECRET})`);
    logger.error({ err: error }, 'slack call failed');
    logger.error(new Error(`lark said no to ${LARK_SECRET}`));
    expectClean(text());
    const [first] = lines();
    expect(first).toMatchObject({ msg: 'slack call failed', err: { type: 'Error' } });
    expect(first?.err).toMatchObject({ stack: expect.stringContaining('auth.test failed for [redacted]') });
  });

  it('scrubs secrets that need escaping in JSON', () => {
    const tricky = 'pa"ss\\word-42';
    const { logger, text } = capture({ secrets: [tricky] });
    logger.info({ value: tricky }, `the value ${tricky}`);
    expect(text()).not.toContain('ss\\\\word-42');
    expect(text()).toContain('[redacted]');
  });

  it('applies the same rules to child loggers', () => {
    const { logger, text } = capture();
    logger
      .child({ component: 'slack', token: BOT_TOKEN })
      .info({ secret: 'child-secret' }, `using ${SIGNING_SECRET}`);
    expectClean(text());
    expect(text()).not.toContain('child-secret');
    expect(text()).toContain('"component":"slack"');
  });

  it('respects the level', () => {
    const { logger, lines } = capture({ level: 'warn' });
    logger.debug('debug line');
    logger.info('info line');
    logger.warn('warn line');
    logger.error('error line');
    expect(lines().map((l) => l.msg)).toEqual(['warn line', 'error line']);
    expect(logger.isLevelEnabled('info')).toBe(false);
  });

  it('writes nothing at level silent', () => {
    const { logger, text } = capture({ level: 'silent' });
    logger.fatal('nothing');
    expect(text()).toBe('');
  });

  it('pretty-prints synchronously, still scrubbed', () => {
    const { logger, text } = capture({ format: 'pretty' });
    logger.info({ token: 'pretty-token', user: 'U1' }, `hello ${BOT_TOKEN}`);
    expect(text()).toContain('INFO');
    expect(text()).toContain('hello [redacted]');
    expect(text()).toContain('U1');
    expect(text()).not.toContain('pretty-token');
    expectClean(text());
  });

  it("picks pretty for 'auto' on a TTY and JSON otherwise", () => {
    const tty = capture({ format: 'auto', isTty: true });
    tty.logger.info('x');
    expect(tty.text().startsWith('{')).toBe(false);
    const pipe = capture({ format: 'auto', isTty: false });
    pipe.logger.info('x');
    expect(pipe.lines()[0]).toMatchObject({ msg: 'x' });
  });
});
