/**
 * `npm run drill:fuzz -- --n 100000 --seed 22`: the fuzz test's generator against a fresh
 * `teambot serve`, for as long as you like. Prints the report; exits 1 on any 5xx, dropped
 * connection, failed /health, lost canary or unhandled error.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { waitFor } from '../helpers/fake-slack.js';
import { lostControl, runFuzz } from './drive.js';
import { startFuzzTarget } from './target.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '22' },
    concurrency: { type: 'string', default: '8' },
    log: { type: 'string' },
  },
});
const target = await startFuzzTarget();
const report = await runFuzz(target, {
  n: Number(values.n),
  seed: Number(values.seed),
  concurrency: Number(values.concurrency),
});
const unanswered = await waitFor(
  () => {
    const left = report.canaries.filter(
      (channel) => !target.slack.messages.some((m) => m.channel === channel),
    );
    return left.length === 0 ? [] : false;
  },
  'every canary answered',
  15_000,
).catch(() => report.canaries.filter((channel) => !target.slack.messages.some((m) => m.channel === channel)));
const exit = await target.close();
if (values.log !== undefined) writeFileSync(values.log, target.serve.stdout() + target.serve.stderr());
const lost = lostControl(target.serve.stdout() + target.serve.stderr());
console.log(
  JSON.stringify(
    { ...report, failures: report.failures.slice(0, 30), unanswered, lost: lost.slice(0, 30), exit },
    null,
    2,
  ),
);
const ok =
  report.failures.length === 0 &&
  report.slow.length === 0 &&
  report.healthFailures === 0 &&
  unanswered.length === 0 &&
  lost.length === 0;
process.exit(ok ? 0 : 1);
