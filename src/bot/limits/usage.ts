import type { MessageContext } from '../pipeline/context.js';
import type { GcraCheck, LimiterStore } from './types.js';

/** Charges a finished generation's tokens to the sender's daily budget (set by the rate-limit stage). */
export type UsageCharger = (completionTokens: number) => Promise<void>;

/** Charges finished generations to the daily token budget `budget` (the plan's token window). */
export function budgetCharger(
  store: Pick<LimiterStore, 'charge'>,
  budget: GcraCheck,
  now?: () => number,
): UsageCharger {
  return (completionTokens) => store.charge([{ ...budget, cost: completionTokens, consume: true }], now?.());
}

export function setUsageCharger(ctx: MessageContext, charge: UsageCharger): void {
  ctx.chargeUsage = charge;
}

/** Called by the answerer after a generation; a no-op without a rate-limit stage. Never throws. */
export async function chargeUsage(ctx: MessageContext, completionTokens: number): Promise<void> {
  const charge = ctx.chargeUsage;
  if (charge === undefined || completionTokens <= 0) return;
  try {
    await charge(completionTokens);
  } catch (error) {
    ctx.log.warn({ err: error, completionTokens }, 'could not charge the tokens to the daily budget');
  }
}
