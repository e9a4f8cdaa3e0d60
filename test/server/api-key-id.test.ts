import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiKeyDigest, apiKeyId, apiKeyIdOf } from '../../src/server/api-key-id.js';
import { apiKeyLimiterKey } from '../../src/server/rate-limits.js';

describe('apiKeyId', () => {
  it('is the first 16 hex digits of the key’s SHA-256, and never contains the key', () => {
    const hex = createHash('sha256').update('sk-secret-123').digest('hex');
    expect(apiKeyId('sk-secret-123')).toBe(hex.slice(0, 16));
    expect(apiKeyId('sk-secret-123')).toMatch(/^[0-9a-f]{16}$/);
    expect(apiKeyId('sk-secret-123')).not.toContain('sk-secret');
  });

  it('is stable and tells keys apart', () => {
    expect(apiKeyId('sk-a')).toBe(apiKeyId('sk-a'));
    expect(apiKeyId('sk-a')).not.toBe(apiKeyId('sk-b'));
  });

  it('is what the key check derives from the digest it compares', () => {
    const digest = apiKeyDigest('sk-a');
    expect(digest).toHaveLength(32);
    expect(apiKeyIdOf(digest)).toBe(apiKeyId('sk-a'));
  });

  it('names the limiter’s budget the same way the API router’s limiter does', () => {
    expect(apiKeyLimiterKey('sk-a')).toBe(`key:${apiKeyId('sk-a')}`);
  });
});
