import type { ChannelSettings } from './types.js';

const onOff = (value: boolean) => (value ? 'on' : 'off');

/** A chat's settings as /settings and /admin channel show them, one per line. */
export function describeChannel(chat: string, settings: ChannelSettings): string {
  return [
    `Settings of ${chat}:`,
    `• mention: ${settings.mentionRequired ? 'required in groups' : 'not required'}`,
    `• prompt: ${settings.systemPrompt ?? '(the default system prompt)'}`,
    `• backend: ${settings.backend ?? '(the engine chain in its order)'}`,
    `• prompts: ${settings.suggestedPrompts === undefined ? "(the workspace's or the default ones)" : settings.suggestedPrompts.map((p) => p.message).join(' | ')}`,
    `• burst: ${settings.burst}`,
    `• thinking: ${onOff(settings.thinking)}`,
  ].join('\n');
}
