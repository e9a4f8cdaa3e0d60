import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSlackSettings } from '../../src/app/slack-settings.js';

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

describe('readSlackSettings', () => {
  it("reads slack.answerBots from the repository's permissions.json and from other files", async () => {
    expect(await readSlackSettings(join(process.cwd(), 'permissions.json'))).toEqual({ answerBots: false });
    const on = await fileWith('on.json', JSON.stringify({ slack: { answerBots: true } }));
    expect(await readSlackSettings(on)).toEqual({ answerBots: true });
  });

  it('uses the defaults when the file or its slack section is missing', async () => {
    expect(await readSlackSettings(join(dir, 'absent.json'))).toEqual({ answerBots: false });
    expect(await readSlackSettings(await fileWith('plain.json', '{"roles": {}}'))).toEqual({
      answerBots: false,
    });
  });

  it('names the file when it is malformed or the value has the wrong type', async () => {
    const broken = await fileWith('broken.json', '{ "slack": ');
    await expect(readSlackSettings(broken)).rejects.toThrow(`${broken} is not valid JSON`);
    const wrong = await fileWith('wrong.json', JSON.stringify({ slack: { answerBots: 'yes' } }));
    await expect(readSlackSettings(wrong)).rejects.toThrow(
      `${wrong}: slack.answerBots should be true or false.`,
    );
  });
});
