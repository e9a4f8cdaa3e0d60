import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHINESE_ALIASES, parseLarkCommand } from '../../../../../src/bot/adapters/lark/format/index.js';

/** Reads a file named relative to the repository root. */
function read(path: string): string {
  return readFileSync(new URL(`../../../../../${path}`, import.meta.url), 'utf8');
}

interface LarkPermissions {
  tenantScopes: string[];
  userScopes: string[];
  events: string[];
  commands: string[];
  answerBots: boolean;
}

const lark = (JSON.parse(read('permissions.json')) as { platforms: { lark: LarkPermissions } }).platforms
  .lark;
const guide = read('docs/lark.md');
const readme = read('README.md');
/** The README's Lark section, up to the next `## ` heading. */
const readmeSection = /\n## Lark \/ Feishu\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';

const unique = (values: string[]): boolean => new Set(values).size === values.length;

describe('permissions.json lark section', () => {
  it('lists scopes, events and commands once each', () => {
    for (const list of [lark.tenantScopes, lark.userScopes, lark.events, lark.commands]) {
      expect(list.length).toBeGreaterThan(0);
      expect(unique(list)).toBe(true);
    }
  });

  it('does not answer other bots', () => {
    expect(lark.answerBots).toBe(false);
  });

  it('has the scopes receiving, sending and streaming need', () => {
    for (const scope of [
      'im:message',
      'im:message.p2p_msg:readonly',
      'im:message.group_at_msg:readonly',
      'cardkit:card:write',
    ]) {
      expect(lark.tenantScopes).toContain(scope);
    }
    expect(lark.tenantScopes).not.toContain('im:message.group_msg');
    expect(lark.events).toContain('im.message.receive_v1');
  });

  it('has commands the Lark parser understands', () => {
    for (const command of lark.commands) {
      expect(parseLarkCommand(command)?.name).toBe(command.slice(1));
    }
    for (const name of new Set(CHINESE_ALIASES.values())) expect(lark.commands).toContain(`/${name}`);
  });
});

describe('docs/lark.md', () => {
  it('names every scope and event of permissions.json', () => {
    for (const item of [...lark.tenantScopes, ...lark.userScopes, ...lark.events]) {
      expect(guide, item).toContain(`\`${item}\``);
    }
  });

  it('names every command, with its arguments or alone', () => {
    for (const command of lark.commands) {
      expect(guide, command).toMatch(new RegExp(`\`${command}[\` ]`));
    }
  });

  it('names every Chinese alias', () => {
    for (const alias of CHINESE_ALIASES.keys()) expect(guide, alias).toContain(`\`${alias}\``);
  });

  it('names the settings and endpoints', () => {
    for (const name of [
      'LARK_APP_ID',
      'LARK_APP_SECRET',
      'LARK_MODE',
      'LARK_ENCRYPT_KEY',
      'LARK_VERIFICATION_TOKEN',
      'LARK_DOMAIN',
      '/lark/events',
      '/lark/cards',
      '99991663',
    ]) {
      expect(guide).toContain(name);
    }
  });

  it('ends with a Chinese summary', () => {
    const last = guide.slice(guide.lastIndexOf('\n## '));
    expect(last).toMatch(/[\u4e00-\u9fff]{10}/);
  });
});

describe('README.md Lark section', () => {
  it('has numbered connection steps and links the guide', () => {
    expect(readmeSection).toContain('### Connect to Lark/Feishu');
    expect(readmeSection).toMatch(/\n1\. [\s\S]*\n5\. /);
    expect(readmeSection).toContain('(docs/lark.md)');
  });

  it('names every scope and event of permissions.json', () => {
    for (const item of [...lark.tenantScopes, ...lark.userScopes, ...lark.events]) {
      expect(readmeSection, item).toContain(`\`${item}\``);
    }
  });
});
