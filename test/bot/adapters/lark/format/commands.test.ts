import { describe, expect, it } from 'vitest';
import { menuCommand, parseLarkCommand } from '../../../../../src/bot/adapters/lark/format/index.js';

describe('parseLarkCommand: slash commands', () => {
  it('reads /name and its arguments', () => {
    expect(parseLarkCommand('/help')).toEqual({ name: 'help', args: '' });
    expect(parseLarkCommand('  /ask  what is CardKit?  ')).toEqual({ name: 'ask', args: 'what is CardKit?' });
    expect(parseLarkCommand('/RESET')).toEqual({ name: 'reset', args: '' });
    expect(parseLarkCommand('/admin limits set 10')).toEqual({ name: 'admin', args: 'limits set 10' });
    expect(parseLarkCommand('/limits')).toEqual({ name: 'limits', args: '' });
    expect(parseLarkCommand('/whoami')).toEqual({ name: 'whoami', args: '' });
  });

  it('keeps line breaks in the arguments', () => {
    expect(parseLarkCommand('/ask first line\nsecond line')).toEqual({
      name: 'ask',
      args: 'first line\nsecond line',
    });
  });

  it('passes unknown ASCII names on for the registry to answer', () => {
    expect(parseLarkCommand('/frobnicate now')).toEqual({ name: 'frobnicate', args: 'now' });
  });

  it('takes the full-width slash Chinese input methods type', () => {
    expect(parseLarkCommand('／help')).toEqual({ name: 'help', args: '' });
    expect(parseLarkCommand('／帮助')).toEqual({ name: 'help', args: '' });
  });

  it('is not fooled by paths, lone slashes or text', () => {
    expect(parseLarkCommand('/usr/bin/env is missing')).toBeUndefined();
    expect(parseLarkCommand('/')).toBeUndefined();
    expect(parseLarkCommand('/ help')).toBeUndefined();
    expect(parseLarkCommand('help')).toBeUndefined();
    expect(parseLarkCommand('help me write an email')).toBeUndefined();
    expect(parseLarkCommand('a/b')).toBeUndefined();
    expect(parseLarkCommand('')).toBeUndefined();
  });
});

describe('parseLarkCommand: Chinese aliases', () => {
  it('maps every alias, with or without a slash', () => {
    const aliases: Record<string, string> = {
      帮助: 'help',
      清除: 'reset',
      重置: 'reset',
      清空: 'reset',
      提问: 'ask',
      问: 'ask',
      额度: 'limits',
      限额: 'limits',
      我是谁: 'whoami',
      管理: 'admin',
    };
    for (const [alias, name] of Object.entries(aliases)) {
      expect(parseLarkCommand(alias)).toEqual({ name, args: '' });
      expect(parseLarkCommand(`/${alias}`)).toEqual({ name, args: '' });
    }
  });

  it('takes the arguments after whitespace, full-width spaces included', () => {
    expect(parseLarkCommand('问 今天天气怎么样？')).toEqual({ name: 'ask', args: '今天天气怎么样？' });
    expect(parseLarkCommand('提问\u3000飞书是什么')).toEqual({ name: 'ask', args: '飞书是什么' });
    expect(parseLarkCommand('/管理 限额 20')).toEqual({ name: 'admin', args: '限额 20' });
    expect(parseLarkCommand('问\n第一行')).toEqual({ name: 'ask', args: '第一行' });
  });

  it('does not take an alias that starts a longer word', () => {
    expect(parseLarkCommand('帮助我写一封邮件')).toBeUndefined();
    expect(parseLarkCommand('问题是什么')).toBeUndefined();
    expect(parseLarkCommand('问：今天天气')).toBeUndefined();
    expect(parseLarkCommand('清除缓存的方法')).toBeUndefined();
    expect(parseLarkCommand('管理员是谁')).toBeUndefined();
    expect(parseLarkCommand('/帮助我写一封邮件')).toBeUndefined();
  });

  it('does not take an alias later in the message', () => {
    expect(parseLarkCommand('请 帮助 我')).toBeUndefined();
    expect(parseLarkCommand('我想 问 一下')).toBeUndefined();
  });

  it('does not read object properties as aliases', () => {
    expect(parseLarkCommand('constructor')).toBeUndefined();
    expect(parseLarkCommand('__proto__ x')).toBeUndefined();
  });
});

describe('menuCommand', () => {
  it('maps the menu event keys', () => {
    for (const name of ['help', 'reset', 'limits', 'whoami']) {
      expect(menuCommand(name)).toEqual({ name, args: '' });
    }
    expect(menuCommand('HELP')).toEqual({ name: 'help', args: '' });
    expect(menuCommand('/reset')).toEqual({ name: 'reset', args: '' });
  });

  it('maps the Chinese words', () => {
    expect(menuCommand('帮助')).toEqual({ name: 'help', args: '' });
    expect(menuCommand('重置')).toEqual({ name: 'reset', args: '' });
    expect(menuCommand('清空')).toEqual({ name: 'reset', args: '' });
    expect(menuCommand('额度')).toEqual({ name: 'limits', args: '' });
    expect(menuCommand('我是谁')).toEqual({ name: 'whoami', args: '' });
  });

  it('rejects keys that are not menu commands', () => {
    expect(menuCommand('ask')).toBeUndefined();
    expect(menuCommand('admin')).toBeUndefined();
    expect(menuCommand('管理')).toBeUndefined();
    expect(menuCommand('unknown')).toBeUndefined();
    expect(menuCommand('')).toBeUndefined();
    expect(menuCommand('constructor')).toBeUndefined();
  });
});
