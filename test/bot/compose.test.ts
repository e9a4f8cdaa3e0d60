import { describe, expect, it } from 'vitest';
import { compose, type Middleware, NextCalledTwiceError } from '../../src/bot/pipeline/compose.js';
import type { MessageContext } from '../../src/bot/pipeline/context.js';

const ctx = {} as MessageContext;

describe('compose', () => {
  it('runs middleware in order, around next()', async () => {
    const order: string[] = [];
    const stage =
      (name: string): Middleware =>
      async (_ctx, next) => {
        order.push(`${name}:before`);
        await next();
        order.push(`${name}:after`);
      };
    await compose([stage('a'), stage('b')])(ctx, async () => {
      order.push('last');
    });
    expect(order).toEqual(['a:before', 'b:before', 'last', 'b:after', 'a:after']);
  });

  it('stops the chain when a stage does not call next', async () => {
    const reached: string[] = [];
    await compose([
      async () => {
        reached.push('filter');
      },
      async () => {
        reached.push('after filter');
      },
    ])(ctx);
    expect(reached).toEqual(['filter']);
  });

  it('throws when next is called twice', async () => {
    const twice: Middleware = async (_ctx, next) => {
      await next();
      await next();
    };
    await expect(compose([twice, async () => {}])(ctx)).rejects.toBeInstanceOf(NextCalledTwiceError);
    await expect(compose([twice])(ctx)).rejects.toThrow(/more than once by middleware #0/);
  });

  it('propagates errors thrown by a stage', async () => {
    const boom: Middleware = async () => {
      throw new Error('boom');
    };
    await expect(compose([async (_c, next) => next(), boom])(ctx)).rejects.toThrow('boom');
  });

  it('a composed chain can be run many times', async () => {
    let runs = 0;
    const chain = compose([
      async (_c, next) => {
        runs += 1;
        await next();
      },
    ]);
    await chain(ctx);
    await chain(ctx);
    expect(runs).toBe(2);
  });
});
