import type { Middleware } from './compose.js';
import type { MessageContext } from './context.js';
import type { PipelineMetrics } from './metrics.js';

export interface RouteHandlers {
  command(ctx: MessageContext): Promise<void>;
  media(ctx: MessageContext): Promise<void>;
  text(ctx: MessageContext): Promise<void>;
}

export type RouteKind = keyof RouteHandlers | 'empty';

export function routeKind(ctx: MessageContext): RouteKind {
  const { message } = ctx;
  if (message.command !== undefined) return 'command';
  if (message.attachments.length > 0) return 'media';
  if (message.text.trim() !== '') return 'text';
  return 'empty';
}

/** The last stage: commands, then media, then text. An empty message gets no answer. */
export function route(handlers: RouteHandlers, metrics: PipelineMetrics): Middleware {
  return async (ctx) => {
    // Answered here, not queued: the platform's ack need not wait for the answer.
    ctx.message.accepted?.();
    const kind = routeKind(ctx);
    metrics.stage('route', kind);
    if (kind === 'empty') return;
    await handlers[kind](ctx);
  };
}
