import { describe, expect, it } from 'vitest';
import { permissionsFile, writePermissions } from '../bot/permissions/harness.js';
import { runCli } from '../helpers/cli-process.js';

describe('teambot serve with a bad permissions.json', () => {
  it('does not start: exit 78 with each problem and its JSON path', { timeout: 60_000 }, async () => {
    const written = await writePermissions(
      permissionsFile({ users: { 'slack:U1': 'boss' }, chatLimits: ['often'] }),
    );
    try {
      const serve = runCli(['serve'], { PORT: '0', MODEL: 'none', PERMISSIONS_FILE: written.file });
      expect(await serve.exited).toBe(78);
      expect(serve.stderr()).toContain(`teambot: ${written.file} is invalid:`);
      expect(serve.stderr()).toContain('chatLimits[0]: expected <n>/<window>');
      expect(serve.stderr()).toContain('users["slack:U1"]: unknown role "boss"');
    } finally {
      await written.cleanup();
    }
  });
});
