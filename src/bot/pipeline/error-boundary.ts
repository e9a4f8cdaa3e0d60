import { randomBytes } from 'node:crypto';
import { EngineError } from '../../inference/errors.js';
import { activeTraceId, noteError } from '../../tracing/spans.js';
import { UserFacingError } from '../errors.js';
import type { MessageContext } from './context.js';
import type { PipelineMetrics } from './metrics.js';

/** The id a user quotes: the turn's trace id when tracing is on (find the trace by it), else 8 hex digits. */
export function newErrorId(): string {
  return activeTraceId() ?? randomBytes(4).toString('hex');
}

/**
 * What the sender is told: short, what they can do about it, and the id that finds the log line
 * (and the trace). Only the sender's own mistakes (UserFacingError: usage, unknown command) carry
 * no id: the message itself says what to do.
 */
export function userMessageFor(error: unknown, errorId: string): string {
  if (error instanceof UserFacingError) return error.message;
  if (error instanceof EngineError) {
    switch (error.code) {
      case 'not_configured':
        return `${error.message} Please tell an admin. (error ${errorId})`;
      case 'timeout':
        return `The model took too long to answer. Please try again. (error ${errorId})`;
      case 'busy': {
        const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 5_000) / 1000));
        return `I'm busy with other chats right now. Please try again in about ${seconds} s. (error ${errorId})`;
      }
      case 'restarted':
        return `The model restarted while answering. Please ask again. (error ${errorId})`;
      case 'unreachable':
      case 'upstream':
      case 'rate_limited':
        return `The model is unavailable right now. Please try again shortly. (error ${errorId})`;
      default:
        break;
    }
  }
  return `Sorry, something went wrong on my side. Please try again; if it keeps happening, tell an admin the error id. (error ${errorId})`;
}

/** Conditions the sender caused or an admin must fix: told, logged without a stack. */
function isExpected(error: unknown): error is UserFacingError | EngineError {
  return (
    error instanceof UserFacingError ||
    (error instanceof EngineError && (error.code === 'not_configured' || error.code === 'busy'))
  );
}

function errorCode(error: unknown): string {
  if (error instanceof EngineError) return `engine_${error.code}`;
  if (error instanceof UserFacingError) return error.code;
  return 'internal';
}

/**
 * The one place errors end: logged once with the message's context and an id,
 * the sender told briefly, and nothing rethrown.
 */
export async function reportError(
  ctx: MessageContext,
  error: unknown,
  metrics: PipelineMetrics,
): Promise<void> {
  const errorId = newErrorId();
  const code = errorCode(error);
  metrics.stage('error', code);
  const expected = isExpected(error);
  noteError(code, errorId, !expected);
  if (expected) {
    ctx.log.info({ errorId, code }, `told the user: ${error.message}`);
  } else {
    ctx.log.error({ err: error, errorId, code }, 'message handling failed');
  }
  try {
    await ctx.reply.notice(userMessageFor(error, errorId));
  } catch (replyError) {
    ctx.log.warn({ err: replyError, errorId }, 'could not tell the user about the error');
  }
}
