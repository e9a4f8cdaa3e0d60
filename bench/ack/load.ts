/** An open-loop sender: signed Slack events at a fixed rate, each one's time to its HTTP answer. */
import { signJson } from '../../test/helpers/slack-signing.js';

export interface RateResult {
  rate: number;
  seconds: number;
  sent: number;
  /** Answers that were not 2xx (each is also in latencies). */
  non2xx: number;
  /** Requests that failed without an answer. */
  errors: number;
  latenciesMs: number[];
}

let sequence = 0;

/** An app_mention delivery from one of `users` users, unique event id and ts. */
export function mentionEvent(users: number): unknown {
  sequence += 1;
  const ts = `${Math.floor(Date.now() / 1000)}.${String(sequence).padStart(6, '0')}`;
  const user = `U${sequence % users}`;
  return {
    token: 'legacy-token',
    team_id: 'T1',
    api_app_id: 'A1',
    event: {
      type: 'app_mention',
      channel: 'C1',
      user,
      team: 'T1',
      text: `<@UBOT> question ${sequence}: what changed in the release?`,
      ts,
      event_ts: ts,
    },
    type: 'event_callback',
    event_id: `EvBench${sequence}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: 'T1', user_id: 'UBOT', is_bot: true }],
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Sends `rate` events per second for `seconds` to `url` (not waiting for answers to send the next). */
export async function sendAtRate(
  url: string,
  secret: string,
  rate: number,
  seconds: number,
): Promise<RateResult> {
  const total = Math.round(rate * seconds);
  const latenciesMs: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    await sleep(started + (i * 1000) / rate - performance.now());
    const signed = signJson(secret, mentionEvent(1000));
    const sentAt = performance.now();
    inFlight.push(
      fetch(url, { method: 'POST', body: signed.body, headers: signed.headers })
        .then(async (response) => {
          await response.arrayBuffer();
          latenciesMs.push(performance.now() - sentAt);
          if (response.status < 200 || response.status >= 300) non2xx++;
        })
        .catch(() => {
          errors++;
        }),
    );
  }
  await Promise.all(inFlight);
  return { rate, seconds, sent: total, non2xx, errors, latenciesMs };
}
