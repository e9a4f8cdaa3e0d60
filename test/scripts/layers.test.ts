import { describe, expect, it } from 'vitest';
import { importsOf, roomOf, violations } from '../../scripts/layers/check.js';

describe('the layer check', () => {
  it('reads relative imports, static and dynamic, as paths under src/', () => {
    const source = [
      "import { a } from '../config/schema.js';",
      "import type { B } from './b.js';",
      "export { c } from '../../util/c.js';",
      "import { z } from 'zod';",
      "const m = await import('../bot/x.js');",
    ].join('\n');
    expect(importsOf('inference/thread/x.ts', source)).toEqual([
      'inference/config/schema.ts',
      'inference/thread/b.ts',
      'util/c.ts',
      'inference/bot/x.ts',
    ]);
    expect(roomOf('cli.ts')).toBe('cli');
    expect(roomOf('bot/adapters/slack/index.ts')).toBe('bot');
  });

  it('flags an upward import and one between bot and server, and lets downward ones pass', () => {
    const found = violations([
      { from: 'config/schema.ts', to: 'bot/limits/windows.ts' },
      { from: 'bot/adapters/slack/verify.ts', to: 'server/body.ts' },
      { from: 'server/app.ts', to: 'bot/message.ts' },
      { from: 'bot/create-bot.ts', to: 'inference/types.ts' },
      { from: 'app/runtime.ts', to: 'server/readiness.ts' },
      { from: 'metrics/registry.ts', to: 'metrics/pipeline.ts' },
    ]);
    expect(found.map((v) => `${v.fromRoom}->${v.toRoom}`)).toEqual([
      'config->bot',
      'bot->server',
      'server->bot',
    ]);
  });

  it('lets a listed exception pass, and nothing else', () => {
    const edge = { from: 'log/a.ts', to: 'config/b.ts' };
    expect(violations([edge], { log: [], config: [] }, {})).toHaveLength(1);
    expect(violations([edge], { log: [], config: [] }, { 'log/a.ts -> config/b.ts': 'why' })).toHaveLength(0);
  });
});
