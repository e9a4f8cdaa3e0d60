import type { Answerer } from '../conversation/answer.js';
import type { ConversationMemory } from '../conversation/memory.js';
import { UserFacingError } from '../errors.js';
import { conversationKey } from '../message.js';
import type { CommandRegistry } from './registry.js';

export interface BuiltinDeps {
  registry: CommandRegistry;
  memory: ConversationMemory;
  answer: Answerer;
}

/** /help, /reset, /ask, /think and /whoami. */
export function registerBuiltinCommands({ registry, memory, answer }: BuiltinDeps): void {
  registry
    .register({
      name: 'help',
      summary: 'list the commands',
      run: async (ctx) => {
        const lines = registry
          .list()
          .map((c) => `/${[c.name, c.usage].filter(Boolean).join(' ')}: ${c.summary}`);
        await ctx.reply.post(
          ['Send me a message and I will answer. Commands:', ...lines.map((l) => `• ${l}`)].join('\n'),
        );
      },
    })
    .register({
      name: 'reset',
      summary: 'forget this conversation',
      run: async (ctx) => {
        await memory.clear(conversationKey(ctx.message));
        await ctx.reply.post('Done: I have forgotten this conversation.');
      },
    })
    .register({
      name: 'ask',
      usage: '<question>',
      summary: 'ask a question',
      run: async (ctx, args) => {
        if (args === '') throw new UserFacingError('Usage: /ask <question>', 'usage');
        await answer(ctx, args);
      },
    })
    .register({
      name: 'think',
      usage: '<question>',
      summary: 'think it through before answering (reasoning models; slower)',
      run: async (ctx, args) => {
        if (args === '') throw new UserFacingError('Usage: /think <question>', 'usage');
        await answer(ctx, args, { thinking: true });
      },
    })
    .register({
      name: 'whoami',
      summary: 'show who I think you are',
      run: async (ctx) => {
        const { user, platform, workspace, chat, thread } = ctx.message;
        const name = user.name === undefined ? user.id : `${user.name} (${user.id})`;
        await ctx.reply.notice(
          [
            `You are ${name} on ${platform}, workspace ${workspace}.`,
            `Role: ${ctx.role}.`,
            `Scopes: ${[...ctx.scopes].sort().join(', ') || '(none)'}.`,
            `Chat: ${chat.kind} ${chat.id}${thread === undefined ? '' : `, thread ${thread}`}.`,
          ].join('\n'),
        );
      },
    });
}
