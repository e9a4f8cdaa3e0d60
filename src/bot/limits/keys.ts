import type { InboundMessage } from '../message.js';

type Who = Pick<InboundMessage, 'platform' | 'workspace' | 'user' | 'chat'>;

/** Per user: platform + workspace + user id. */
export function userLimitKey(message: Who): string {
  return `${message.platform}:${message.workspace}:${message.user.id}`;
}

export function chatLimitKey(message: Who): string {
  return `${message.platform}:${message.workspace}:${message.chat.id}`;
}

export const requestKey = (user: string, periodMs: number) => `rl:u:${user}:${periodMs}`;
export const chatKey = (chat: string, periodMs: number) => `rl:c:${chat}:${periodMs}`;
export const tokenKey = (user: string) => `rl:t:${user}`;
export const inFlightKey = (user: string) => `rl:f:${user}`;
