import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keysFromId, mediaKeys } from '../../src/storage/media/keys.js';
import { displayName } from '../../src/storage/media/metadata.js';
import { isValidObjectKey } from '../../src/storage/object/keys.js';
import { png } from '../helpers/media-fixtures.js';
import { filesUnder, mediaService, source } from './media-harness.js';

const SHA = 'ab'.repeat(32);
const KEY = /^media\/slack\/[0-9a-f]{12}\/[0-9a-f]{12}\/[0-9a-f]{64}$/;

describe('media keys', () => {
  it('hash workspace and chat ids, so traversal attempts never become path segments', () => {
    const hostile = ['../..', '../../etc/passwd', '/abs', 'a/b', '..', '%2e%2e', 'C1\u0000', ''];
    for (const id of hostile) {
      const keys = mediaKeys({ platform: 'slack', workspace: id, chat: id, user: id }, SHA);
      expect(keys.object).toMatch(KEY);
      expect(isValidObjectKey(keys.object) && isValidObjectKey(keys.preview)).toBe(true);
    }
    const a = mediaKeys({ platform: 'slack', workspace: 'T1', chat: 'C1', user: 'U' }, SHA);
    const b = mediaKeys({ platform: 'slack', workspace: 'T1', chat: 'C2', user: 'U' }, SHA);
    const c = mediaKeys({ platform: 'lark', workspace: 'T1', chat: 'C1', user: 'U' }, SHA);
    expect(new Set([a.object, b.object, c.object]).size).toBe(3);
    expect(() => mediaKeys({ platform: '../x', workspace: 'T', chat: 'C', user: 'U' }, SHA)).toThrow();
    expect(() => mediaKeys({ platform: 'slack', workspace: 'T', chat: 'C', user: 'U' }, '../x')).toThrow();
  });

  it('turn an id back into its keys and refuse anything else', () => {
    const keys = mediaKeys({ platform: 'slack', workspace: 'T1', chat: 'C1', user: 'U' }, SHA);
    expect(keysFromId(keys.id)).toEqual(keys);
    expect(keysFromId(` ${keys.id.toUpperCase()} `)).toEqual(keys);
    for (const bad of ['', '../../x', `slack.../..${SHA}`, keys.object, `${keys.id}/..`, `${keys.id}.x`]) {
      expect(keysFromId(bad)).toBeUndefined();
    }
  });

  it('keep the original name only as one line of display text', () => {
    expect(displayName('../../etc/passwd')).toBe('../../etc/passwd');
    expect(displayName('a\r\nb\u0000c')).toBe('a b c');
    expect(displayName('   ')).toBe('unnamed');
    expect([...displayName('x'.repeat(500))]).toHaveLength(200);
  });

  it('store under DATA_DIR/objects/media whatever the names and ids say', async () => {
    const { service, dataDir } = await mediaService();
    const result = await service.ingest(source('../../../../tmp/evil.png', await png()), {
      platform: 'slack',
      workspace: '../../..',
      chat: '../../../etc',
      user: '../u',
    });
    expect(result.key).toMatch(KEY);
    expect(result.name).toBe('../../../../tmp/evil.png');
    const files = await filesUnder(join(dataDir, 'objects'));
    expect(files).toHaveLength(2);
    for (const file of files) expect(file).toMatch(/^media\/slack\/[0-9a-f]{12}\/[0-9a-f]{12}\/[0-9a-f]{64}/);
  });
});
