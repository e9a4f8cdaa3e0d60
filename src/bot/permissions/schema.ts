import { z } from 'zod';
import { parseWindow, WINDOW_HELP } from '../../util/rate-window.js';
import {
  channelDefaultsSchema,
  channelFieldsSchema,
  type SuggestedPrompt,
  suggestedPromptsSchema,
} from '../channels/schema.js';

/** The bot scopes a role can hold; other helpers check them with hasScope(ctx, scope). */
export const BOT_SCOPES = [
  'chat:ask',
  'media:upload',
  'media:read',
  'admin:scopes',
  'admin:limits',
  'admin:audit',
  'admin:media',
] as const;
export type BotScope = (typeof BOT_SCOPES)[number];

const scope = z.enum(BOT_SCOPES, { error: `expected one of ${BOT_SCOPES.join(', ')}` });

const window = z
  .string()
  .regex(/^\d+\s*\/\s*\d*\s*[A-Za-z]+$/, { error: `expected ${WINDOW_HELP}`, abort: true })
  .refine((v) => parseWindow(v) !== undefined, { error: `expected ${WINDOW_HELP}` })
  .describe('A rate window: <n>/<window>, e.g. 20/minute or 300/day.');

const positiveInt = z.int({ error: 'expected a whole number' }).min(1, { error: 'expected at least 1' });

export const roleLimitsSchema = z
  .strictObject({
    requests: z.array(window).default([]).describe('Windows that all apply at once, per user.'),
    tokensPerDay: positiveInt.optional().describe('Generated tokens per user per day (a rolling budget).'),
    concurrent: positiveInt.optional().describe('Generations in flight per user.'),
  })
  .describe('Per-user limits of a role; absent fields mean unlimited.');

export const roleSchema = z.strictObject({
  description: z.string().optional(),
  scopes: z.array(scope).describe('Bot scopes of the role.'),
  limits: roleLimitsSchema.default({ requests: [] }),
});

const platformUserKey = z.string().regex(/^(slack|lark|local):\S+$/, {
  error: 'expected <platform>:<user id>, e.g. slack:U0123 or lark:ou_abc',
});
const chatKey = z.string().regex(/^(slack|lark|local):\S+$/, {
  error: 'expected <platform>:<chat id>, e.g. slack:C0123 or lark:oc_abc',
});

const suggestedPrompts = suggestedPromptsSchema;

export const chatSettingsSchema = z.strictObject({
  role: z.string().optional().describe('Role of senders in this chat who have no role of their own.'),
  limits: z.array(window).optional().describe('Windows for the whole chat (replaces chatLimits).'),
  ...channelFieldsSchema,
});

const workspaceKey = z.string().regex(/^(slack|lark|local):\S+$/, {
  error: 'expected <platform>:<workspace id>, e.g. slack:T0123 or lark:<tenant key>',
});
export const workspaceSettingsSchema = z.strictObject({
  suggestedPrompts: suggestedPrompts.optional(),
});

export const accessSchema = z
  .strictObject({
    dmPolicy: z
      .enum(['open', 'assigned', 'closed'], { error: 'expected open, assigned or closed' })
      .default('open')
      .describe('open: anyone may DM the bot; assigned: only users listed in "users"; closed: no DMs.'),
    groupsNeedMention: z
      .boolean()
      .default(true)
      .describe('Group and channel messages are answered only when they mention the bot.'),
    allowChats: z
      .array(chatKey)
      .default([])
      .describe('When non-empty, only these group chats are answered (DMs follow dmPolicy).'),
    denyChats: z.array(chatKey).default([]).describe('Chats never answered.'),
  })
  .default({ dmPolicy: 'open', groupsNeedMention: true, allowChats: [], denyChats: [] });

const slackPlatform = z.looseObject({
  botScopes: z.array(z.string()).describe('Bot token scopes the Slack app needs.'),
  commands: z.array(z.string()).optional(),
  events: z.array(z.string()).optional(),
  answerBots: z.boolean().optional(),
});

const larkPlatform = z.looseObject({
  tenantScopes: z.array(z.string()).describe('Tenant (app identity) scopes the Lark app needs.'),
  userScopes: z.array(z.string()).default([]).describe('User identity scopes the Lark app needs.'),
  events: z.array(z.string()).optional(),
  commands: z.array(z.string()).optional(),
  answerBots: z.boolean().optional(),
});

export const permissionsSchema = z
  .strictObject({
    $schema: z.string().optional(),
    $comment: z.string().optional(),
    defaultRole: z.string().describe('Role of everyone without an assignment.'),
    roles: z.record(z.string(), roleSchema),
    users: z
      .record(platformUserKey, z.string())
      .default({})
      .describe('Role by platform user id: {"slack:U0123": "admin"}.'),
    chats: z.record(chatKey, chatSettingsSchema).default({}),
    chatLimits: z.array(window).default([]).describe('Windows per chat, for every chat without its own.'),
    suggestedPrompts: suggestedPrompts
      .optional()
      .describe('Prompts offered when an assistant thread starts, where no workspace or chat sets its own.'),
    workspaces: z
      .record(workspaceKey, workspaceSettingsSchema)
      .default({})
      .describe('Settings by <platform>:<workspace id> (Slack team, Lark tenant).'),
    access: accessSchema,
    channelDefaults: channelDefaultsSchema,
    platforms: z.strictObject({ slack: slackPlatform.optional(), lark: larkPlatform.optional() }).default({}),
  })
  .superRefine((file, ctx) => {
    const known = (role: string) => Object.hasOwn(file.roles, role);
    if (!known(file.defaultRole)) {
      ctx.addIssue({ code: 'custom', path: ['defaultRole'], message: `unknown role "${file.defaultRole}"` });
    }
    for (const [user, role] of Object.entries(file.users)) {
      if (!known(role))
        ctx.addIssue({ code: 'custom', path: ['users', user], message: `unknown role "${role}"` });
    }
    for (const [chat, settings] of Object.entries(file.chats)) {
      if (settings.role !== undefined && !known(settings.role)) {
        ctx.addIssue({
          code: 'custom',
          path: ['chats', chat, 'role'],
          message: `unknown role "${settings.role}"`,
        });
      }
    }
  });

export type PermissionsFile = z.infer<typeof permissionsSchema>;
export type RoleLimits = z.infer<typeof roleLimitsSchema>;
export type Role = z.infer<typeof roleSchema>;
export type { SuggestedPrompt };
