import { parseWindow } from '../../util/rate-window.js';
import type { InboundMessage } from '../message.js';
import type { ResolvedAccess } from '../permissions/resolve.js';
import { chatKey, chatLimitKey, inFlightKey, requestKey, tokenKey, userLimitKey } from './keys.js';
import type { LimitReason } from './messages.js';
import type { GcraCheck, LimitRequest } from './types.js';

export const DAY_MS = 86_400_000;

export interface LimitPlan {
  request: LimitRequest;
  /** Why each window of `request.windows` exists (for the notice). */
  reasons: LimitReason[];
  /** The token budget window, charged after a generation. */
  tokens: GcraCheck | undefined;
}

/** The windows and lease one message needs, from the sender's resolved role limits. */
export function planLimits(
  message: InboundMessage,
  access: ResolvedAccess,
  lease: { id: string; ttlMs: number },
): LimitPlan {
  const user = userLimitKey(message);
  const windows: GcraCheck[] = [];
  const reasons: LimitReason[] = [];
  for (const text of access.limits.requests) {
    const w = parseWindow(text);
    if (w === undefined) continue;
    windows.push({ key: requestKey(user, w.periodMs), ...w, cost: 1, consume: true });
    reasons.push('requests');
  }
  const chat = chatLimitKey(message);
  for (const text of access.chatLimits) {
    const w = parseWindow(text);
    if (w === undefined) continue;
    windows.push({ key: chatKey(chat, w.periodMs), ...w, cost: 1, consume: true });
    reasons.push('chat');
  }
  let tokens: GcraCheck | undefined;
  const budget = access.limits.tokensPerDay;
  if (budget !== undefined) {
    tokens = { key: tokenKey(user), limit: budget, periodMs: DAY_MS, cost: 1, consume: false };
    windows.push(tokens);
    reasons.push('tokens');
  }
  const max = access.limits.concurrent;
  return {
    request: {
      windows,
      lease:
        max === undefined ? undefined : { key: inFlightKey(user), max, id: lease.id, ttlMs: lease.ttlMs },
    },
    reasons,
    tokens,
  };
}
