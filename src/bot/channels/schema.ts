import { z } from 'zod';

/** What the turn queue does with a message that arrives while the chat's answer runs. */
export const BURST_STRATEGIES = ['queue', 'merge', 'interrupt'] as const;
export type BurstStrategy = (typeof BURST_STRATEGIES)[number];

/** The most suggested prompts a channel keeps (Slack shows up to four). */
export const MAX_SUGGESTED_PROMPTS = 4;

/** A prompt offered when a user opens an assistant thread. */
export const suggestedPromptSchema = z.strictObject({
  title: z.string().min(1).max(75).describe('What the button says.'),
  message: z.string().min(1).max(2000).describe('What is sent when it is picked.'),
});
export type SuggestedPrompt = z.infer<typeof suggestedPromptSchema>;

/** Prompts offered when an assistant thread starts. */
export const suggestedPromptsSchema = z
  .array(suggestedPromptSchema)
  .min(1)
  .max(MAX_SUGGESTED_PROMPTS)
  .describe('Prompts offered when an assistant thread starts (at most four).');

/**
 * Per-channel settings as permissions.json writes them (`channelDefaults`, and in `chats.<chat>`),
 * every field optional: what is left out comes from the level below.
 */
export const channelFieldsSchema = {
  mentionRequired: z
    .boolean()
    .optional()
    .describe(
      'Group messages are answered only when they mention the bot (default: access.groupsNeedMention).',
    ),
  systemPrompt: z
    .string()
    .min(1)
    .max(4000)
    .optional()
    .describe('The system prompt of answers in the channel.'),
  backend: z
    .string()
    .regex(/^[a-z][a-z0-9_-]*$/, { error: 'expected a backend name of ENGINE_CHAIN, e.g. local or remote' })
    .optional()
    .describe('The backend of the engine chain answers start with (ENGINE_CHAIN names, e.g. local, remote).'),
  suggestedPrompts: suggestedPromptsSchema.optional(),
  burst: z
    .enum(BURST_STRATEGIES, { error: `expected one of ${BURST_STRATEGIES.join(', ')}` })
    .optional()
    .describe(
      'A message arriving while an answer runs: queue it, merge it into the next turn, or interrupt.',
    ),
  thinking: z.boolean().optional().describe('A reasoning model thinks before every answer.'),
};

export const channelDefaultsSchema = z
  .strictObject(channelFieldsSchema)
  .default({})
  .describe(
    'Per-channel settings for every chat without its own (chats.<chat> and /admin channel override).',
  );

export type ChannelOverrides = z.infer<z.ZodObject<typeof channelFieldsSchema>>;
export const channelOverridesSchema = z.strictObject(channelFieldsSchema);
