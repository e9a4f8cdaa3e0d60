import { afterEach, describe, expect, it } from 'vitest';
import { type OwnRedis, startRedisServer } from '../../bench/limits/redis-server.js';
import { DRILL_ANSWER, type DrillServer, startDrillServer, until } from './serve.js';

let redis: OwnRedis | undefined;
let server: DrillServer | undefined;
afterEach(async () => {
  await server?.close();
  await redis?.stop();
  server = undefined;
  redis = undefined;
});

const ANSWER = new RegExp(DRILL_ANSWER);

describe('drill: Redis killed and restarted under a running server (real processes)', () => {
  it.each([
    ['open', ANSWER],
    ['closed', /cannot check usage limits/i],
  ] as const)(
    'fail mode %s: respected during the outage, back by itself, no duplicate reply after',
    { timeout: 120_000 },
    async (mode, duringOutage) => {
      redis = await startRedisServer();
      server = await startDrillServer({ REDIS_URL: redis.url, RATE_LIMIT_FAIL_MODE: mode });
      expect(await server.dm('DBEFORE', 'hello before')).toBe(200);
      await server.answered('DBEFORE', ANSWER);

      await redis.stop('SIGKILL');
      await until(async () => (await server?.ready()) === 503, '/ready to report the outage');
      expect(await server.dm('DDURING', 'hello during')).toBe(200);
      await server.answered('DDURING', duringOutage, 60_000);
      expect(await fetch(`${server.url}/health`).then((r) => r.status)).toBe(200);

      redis = await startRedisServer(redis.port);
      const recoveryMs = await until(
        async () => (await server?.ready()) === 200,
        'the connection to come back',
        30_000,
      );
      expect(recoveryMs).toBeLessThan(30_000);
      const after = server.dmEvent('DAFTER', 'hello after');
      expect(await server.deliver(after)).toBe(200);
      await server.answered('DAFTER', ANSWER);
      expect(await server.deliver(after, 1)).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(server.repliesIn('DAFTER')).toHaveLength(1);
      expect(server.serve.stdout()).not.toMatch(/unhandled promise rejection|uncaught exception/);
    },
  );
});
