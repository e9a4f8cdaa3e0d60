import { describe, expect, it } from 'vitest';
import { configSecrets } from '../../src/config/secrets.js';
import { createScrubber } from '../../src/log/scrub.js';

describe('createScrubber', () => {
  const scrub = createScrubber(['s3cr3t-value', 's3cr3t-value-longer', 'abc']);

  it('replaces configured secrets, longest first', () => {
    expect(scrub('a s3cr3t-value-longer b s3cr3t-value c')).toBe('a [redacted] b [redacted] c');
  });

  it('leaves values too short to be secrets alone', () => {
    expect(scrub('abc def')).toBe('abc def');
  });

  it.each([
    ['xoxb-123-456-abcDEF', '[redacted]'],
    ['xoxp-1-2-3-4', '[redacted]'],
    ['xoxe.xoxp-1-abc', '[redacted]'],
    ['xapp-1-A1-2-abc', '[redacted]'],
    ['Authorization: Bearer abc.def-ghi_jkl', 'Authorization: Bearer [redacted]'],
    ['key sk-abcdefghijklmnop1234', 'key [redacted]'],
    ['key sk-proj-abcdefghijklmnop1234', 'key [redacted]'],
  ])('redacts the token shape in %s', (input, expected) => {
    expect(scrub(input)).toBe(expected);
  });

  it('does not touch look-alikes', () => {
    for (const text of ['task-abcdefghijklmnopqrstu', 'sk-learn', 'bearer of news', 'xoxo hugs']) {
      expect(scrub(text)).toBe(text);
    }
  });
});

describe('configSecrets', () => {
  it('collects secret settings, API keys, the Redis password and AWS secrets', () => {
    const secrets = configSecrets(
      {
        SLACK_BOT_TOKEN: 'xoxb-1',
        LARK_APP_SECRET: 'lark-secret',
        API_KEYS: ['key-one', 'key-two'],
        REDIS_URL: 'redis://:p%40ss@redis:6379',
        LARK_APP_ID: 'cli_not_secret',
      },
      { AWS_SECRET_ACCESS_KEY: 'aws-secret', AWS_ACCESS_KEY_ID: 'AKIA-not-secret' },
    );
    expect(secrets.sort()).toEqual(
      ['aws-secret', 'key-one', 'key-two', 'lark-secret', 'p@ss', 'xoxb-1'].sort(),
    );
  });
});
