/** `/health` answer times while the engine prefills one long prompt (sent through /v1). */
import { type LatencyFigures, latencyFigures } from './stats.js';

export interface PrefillProbe {
  promptTokens: number;
  /** Time to the whole answer (one new token): about the prefill. */
  answerMs: number;
  healthChecks: number;
  health: LatencyFigures;
}

/** Asks for one token after `prompt` and polls /health back to back until the answer is in. */
export async function probePrefill(baseUrl: string, apiKey: string, prompt: string): Promise<PrefillProbe> {
  let done = false;
  const latencies: number[] = [];
  const polling = (async () => {
    while (!done) {
      const started = performance.now();
      const response = await fetch(`${baseUrl}/health`);
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
    }
  })();
  const started = performance.now();
  const response = await fetch(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({
      model: 'any',
      messages: [{ role: 'user', content: prompt }],
      max_tokens: 1,
      temperature: 0,
    }),
  });
  const body = (await response.json()) as { usage?: { prompt_tokens?: number }; error?: unknown };
  const answerMs = performance.now() - started;
  done = true;
  await polling;
  if (!response.ok) throw new Error(`the long prompt failed: ${response.status} ${JSON.stringify(body)}`);
  return {
    promptTokens: body.usage?.prompt_tokens ?? 0,
    answerMs: Math.round(answerMs),
    healthChecks: latencies.length,
    health: latencyFigures(latencies),
  };
}

/** English text of at least `tokens` tokens for the model in `dir` (counted with its tokenizer). */
export async function longPrompt(countTokens: (text: string) => number, tokens: number): Promise<string> {
  const sentence =
    'The release moved to Thursday because the payment tests failed whenever the cache service restarted, ' +
    'and the team agreed to review the retry settings before the next deploy. ';
  let text = '';
  while (countTokens(text) < tokens) text += sentence;
  return text;
}
