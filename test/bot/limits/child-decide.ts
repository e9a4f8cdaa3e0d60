/**
 * A second process for the replica test: N concurrent decisions against one shared limit, on the
 * Redis at argv[2] with prefix argv[3]; prints `ready`, waits for a line on stdin, then prints {"allowed": n}. Run with `node --import tsx`.
 */
import { RedisLimiterStore } from '../../../src/bot/limits/redis-store.js';

const [url = '', prefix = '', key = '', limit = '10', count = '50'] = process.argv.slice(2);
const store = new RedisLimiterStore({ url, prefix });
await store.peek([{ key: `${key}:warm`, limit: 1, periodMs: 1_000, cost: 1, consume: false }]);
// Ready; wait for the parent's "go" so both processes decide at the same moment.
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.destroy();
const decisions = await Promise.all(
  Array.from({ length: Number(count) }, () =>
    store.decide({ windows: [{ key, limit: Number(limit), periodMs: 60_000, cost: 1, consume: true }] }),
  ),
);
process.stdout.write(`${JSON.stringify({ allowed: decisions.filter((d) => d.allowed).length })}\n`);
await store.close();
