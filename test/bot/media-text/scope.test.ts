import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canReadMedia, MEDIA_READ_SCOPE } from '../../../src/bot/media-text/scope.js';

const permissions = JSON.parse(
  readFileSync(new URL('../../../permissions.json', import.meta.url), 'utf8'),
) as {
  roles: Record<string, { scopes: string[] }>;
};

describe('the media:read check', () => {
  it('follows the roles of permissions.json: members and admins may, guests may not', () => {
    const scopes = (role: string) => permissions.roles[role]?.scopes ?? [];
    expect(canReadMedia(scopes('admin'))).toBe(true);
    expect(canReadMedia(scopes('member'))).toBe(true);
    expect(canReadMedia(scopes('guest'))).toBe(false);
  });

  it('needs the exact scope', () => {
    expect(MEDIA_READ_SCOPE).toBe('media:read');
    expect(canReadMedia(new Set(['media:upload', 'chat:ask']))).toBe(false);
    expect(canReadMedia(['media:read:all', 'media'])).toBe(false);
    expect(canReadMedia([])).toBe(false);
  });
});
