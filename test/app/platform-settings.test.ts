import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPlatformSettings } from '../../src/app/platform-settings.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'teambot-slack-settings-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function fileWith(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('readPlatformSettings', () => {
  it("reads slack.answerBots from the repository's permissions.json and from other files", async () => {
    expect(await readPlatformSettings(join(process.cwd(), 'permissions.json'))).toEqual({
      slack: { answerBots: false },
      lark: { answerBots: false },
    });
    const on = await fileWith('on.json', JSON.stringify({ slack: { answerBots: true } }));
    expect(await readPlatformSettings(on)).toEqual({
      slack: { answerBots: true },
      lark: { answerBots: false },
    });
  });

  it('uses the defaults when the file or its platform sections are missing', async () => {
    const defaults = { slack: { answerBots: false }, lark: { answerBots: false } };
    expect(await readPlatformSettings(join(dir, 'absent.json'))).toEqual(defaults);
    expect(await readPlatformSettings(await fileWith('plain.json', '{"roles": {}}'))).toEqual(defaults);
  });

  it('names the file when it is malformed or the value has the wrong type', async () => {
    const broken = await fileWith('broken.json', '{ "slack": ');
    await expect(readPlatformSettings(broken)).rejects.toThrow(`${broken} is not valid JSON`);
    const wrong = await fileWith('wrong.json', JSON.stringify({ slack: { answerBots: 'yes' } }));
    await expect(readPlatformSettings(wrong)).rejects.toThrow(
      `${wrong}: slack.answerBots should be true or false.`,
    );
  });
});

describe('readPlatformSettings with the platforms section', () => {
  it('reads platforms.<name>.answerBots and names that path in errors', async () => {
    const on = await fileWith('nested.json', JSON.stringify({ platforms: { lark: { answerBots: true } } }));
    expect(await readPlatformSettings(on)).toEqual({
      slack: { answerBots: false },
      lark: { answerBots: true },
    });
    const wrong = await fileWith(
      'nested-wrong.json',
      JSON.stringify({ platforms: { slack: { answerBots: 1 } } }),
    );
    await expect(readPlatformSettings(wrong)).rejects.toThrow(
      `${wrong}: platforms.slack.answerBots should be`,
    );
  });
});
