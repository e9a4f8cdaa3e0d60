import { afterEach, describe, expect, it } from 'vitest';
import { RedisStopSignals } from '../../../src/bot/turns/redis-stop-signals.js';
import { StoppedByUser } from '../../../src/bot/turns/stop-signals.js';
import { markWhenStopped, STOPPED_MARK } from '../../../src/bot/turns/stopped-mark.js';
import { RedisConnector } from '../../../src/storage/redis/connect.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { waitFor } from '../../helpers/fake-slack.js';
import { redisUrlForTests, usePrefixes } from '../../helpers/redis.js';

const url = redisUrlForTests();
const nextPrefix = usePrefixes(url);
const turn = (conversation: string, userId = 'U1') => ({
  conversation,
  platform: 'slack',
  workspace: 'T1',
  chat: 'C1',
  userId,
});

describe('RedisStopSignals (two replicas on one Redis)', () => {
  const opened: RedisStopSignals[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });
  const open = (prefix: string) => {
    const signals = new RedisStopSignals(new RedisConnector(url), prefix, captureLogger().logger);
    opened.push(signals);
    return signals;
  };

  it('stops a conversation running on the other replica within a second, and nothing else', async () => {
    const prefix = nextPrefix();
    const [a, b] = [open(prefix), open(prefix)];
    await Promise.all([a.ready(), b.ready()]);
    const running = b.register(turn('slack:T1:C1:1.1'));
    const other = b.register(turn('slack:T1:C1:2.2'));
    const asked = Date.now();
    await a.stopConversation('slack:T1:C1:1.1', { by: 'U9' });
    await waitFor(() => running.signal.aborted, 'the stop to arrive', 1_000);
    expect(Date.now() - asked).toBeLessThan(1_000);
    expect(running.signal.reason).toBeInstanceOf(StoppedByUser);
    expect((running.signal.reason as StoppedByUser).by).toBe('U9');
    expect(other.signal.aborted).toBe(false);
    running.release();
    other.release();
  });

  it("stops a user's answers in one chat on every replica, the sender's own included", async () => {
    const prefix = nextPrefix();
    const [a, b] = [open(prefix), open(prefix)];
    await Promise.all([a.ready(), b.ready()]);
    const here = a.register(turn('slack:T1:C1:1.1', 'U1'));
    const there = b.register(turn('slack:T1:C1:3.3', 'U1'));
    const someoneElse = b.register(turn('slack:T1:C1:4.4', 'U2'));
    await a.stopUserInChat({ platform: 'slack', workspace: 'T1', chat: 'C1', userId: 'U1' }, { by: 'U1' });
    expect(here.signal.aborted).toBe(true);
    await waitFor(() => there.signal.aborted, 'the stop to arrive', 1_000);
    expect(someoneElse.signal.aborted).toBe(false);
  });
});

describe('markedWhenStopped', () => {
  const chunks = async function* () {
    yield 'Hello';
    yield ' world';
  };
  const collect = async (source: AsyncIterable<string>) => {
    let text = '';
    for await (const chunk of source) text += chunk;
    return text;
  };

  it('ends a stopped answer with the marker, and leaves other answers as they are', async () => {
    const stopped = new AbortController();
    stopped.abort(new StoppedByUser('U1'));
    expect(await collect(markWhenStopped(chunks(), stopped.signal))).toBe(`Hello world\n\n${STOPPED_MARK}`);
    const shutdown = new AbortController();
    shutdown.abort(new Error('shutting down'));
    expect(await collect(markWhenStopped(chunks(), shutdown.signal))).toBe('Hello world');
    expect(await collect(markWhenStopped(chunks(), new AbortController().signal))).toBe('Hello world');
  });
});
