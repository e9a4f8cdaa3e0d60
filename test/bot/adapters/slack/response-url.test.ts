import { describe, expect, it } from 'vitest';
import { responseUrlReplier } from '../../../../src/bot/adapters/slack/reply/response-url.js';
import { captureLogger } from '../../../helpers/capture-logger.js';

function recordingFetch(status = 200) {
  const posts: Array<{ url: string; body: { response_type: string; text: string } }> = [];
  const fetchFn = (async (url: string | URL | Request, init?: RequestInit) => {
    posts.push({ url: String(url), body: JSON.parse(String(init?.body)) });
    return new Response(status === 200 ? 'ok' : 'used_url', { status });
  }) as typeof fetch;
  return { posts, fetchFn };
}

const URL_ = 'https://hooks.slack.com/commands/T1/1/abc';
const replier = (fetchFn: typeof fetch, visibility: 'in_channel' | 'ephemeral' = 'in_channel') =>
  responseUrlReplier({
    url: URL_,
    visibility,
    fetch: fetchFn,
    extraOrigins: [],
    log: captureLogger().logger,
  });

describe('the response_url replier', () => {
  it('sends a streamed answer once, complete, with the command visibility; notices stay private', async () => {
    const { posts, fetchFn } = recordingFetch();
    const reply = replier(fetchFn);
    async function* parts() {
      yield '**Paris**';
      yield ' is the capital.';
    }
    expect(await reply.stream(parts())).toBe('**Paris** is the capital.');
    await reply.notice('only you see this');
    expect(posts).toEqual([
      { url: URL_, body: { response_type: 'in_channel', text: '*Paris* is the capital.' } },
      { url: URL_, body: { response_type: 'ephemeral', text: 'only you see this' } },
    ]);
  });

  it('keeps within five posts, saying the rest did not fit', async () => {
    const { posts, fetchFn } = recordingFetch();
    const reply = replier(fetchFn, 'ephemeral');
    const long = Array.from({ length: 8 }, (_, i) => `${String(i).repeat(3_000)}`).join('\n\n');
    await reply.post(long);
    expect(posts).toHaveLength(5);
    expect(posts.at(-1)?.body.text).toMatch(/did not fit/);
    await expect(reply.notice('more')).rejects.toThrow(/five response_url replies/);
  });

  it('reports a refused post and never posts outside Slack', async () => {
    const { fetchFn } = recordingFetch(404);
    await expect(replier(fetchFn).post('hi')).rejects.toThrow(
      'Slack response_url answered HTTP 404: used_url',
    );
    expect(() =>
      responseUrlReplier({
        url: 'https://evil.example/hook',
        visibility: 'ephemeral',
        fetch: fetchFn,
        extraOrigins: [],
        log: captureLogger().logger,
      }),
    ).toThrow(/outside Slack/);
  });
});
