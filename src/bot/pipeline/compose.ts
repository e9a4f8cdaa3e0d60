import type { MessageContext } from './context.js';

export type Next = () => Promise<void>;
/** A pipeline stage: deny by not calling `next`; throw to reach the error boundary. */
export type Middleware = (ctx: MessageContext, next: Next) => Promise<void>;

export class NextCalledTwiceError extends Error {
  override readonly name = 'NextCalledTwiceError';
  constructor(index: number) {
    super(`next() was called more than once by middleware #${index}`);
  }
}

/**
 * Chains middleware into one. Each stage receives a `next` that runs the rest of the chain
 * (and then `last`, if given); calling it twice is a bug and throws.
 */
export function compose(
  middleware: readonly Middleware[],
): (ctx: MessageContext, last?: Next) => Promise<void> {
  const stack = [...middleware];
  return (ctx, last) => {
    let called = -1;
    const dispatch = async (index: number): Promise<void> => {
      if (index <= called) throw new NextCalledTwiceError(index - 1);
      called = index;
      const stage = stack[index];
      if (stage === undefined) {
        if (last !== undefined) await last();
        return;
      }
      await stage(ctx, () => dispatch(index + 1));
    };
    return dispatch(0);
  };
}
