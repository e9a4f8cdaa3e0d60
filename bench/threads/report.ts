/** bench:threads' report: the JSON line's shape and its section of docs/benchmarks.md. */

export type Side = 'cache' | 'noCache' | 'peer';

export interface TurnRow {
  turn: number;
  /** Mean over the conversations. */
  promptTokens: number;
  reusedTokens: number;
  prefilledTokens: number;
  ttftMs: Record<Side, number>;
}

export interface ThreadsReport {
  bench: 'threads';
  model: string;
  params: number;
  conversations: number;
  turns: number;
  tokens: number;
  /** teambot's engine in its own worker thread (as the server runs it). */
  thread: boolean;
  perTurn: TurnRow[];
  /** At the last turn: the other sides' TTFT over teambot's with the cache. */
  ratioAtLastTurn: { noCache: number; peer: number };
  targets: { lastTurnTtft5xNoCache: boolean; lastTurnTtft5xPeer: boolean };
  /** Turns whose answer ids differ from teambot's without the cache (must be 0 for the cache). */
  answersDiffering: { cache: number; peer: number; of: number };
  engines: Record<Side, string>;
  peakRssMiB: Record<Side, number>;
  machine: { cpus: number; cpuModel: string; node: string; loadAvg1m: { start: number; end: number } };
  date: string;
}

const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : String(value));

export function renderThreadsSection(r: ThreadsReport): string {
  const rows = r.perTurn.map(
    (t) =>
      `| ${t.turn} | ${fmt(t.promptTokens)} | ${fmt(t.reusedTokens)} | ${fmt(t.prefilledTokens)} | ` +
      `${fmt(t.ttftMs.cache)} | ${fmt(t.ttftMs.noCache)} | ${fmt(t.ttftMs.peer)} | ` +
      `${fmt(t.ttftMs.noCache / t.ttftMs.cache, 1)}× / ${fmt(t.ttftMs.peer / t.ttftMs.cache, 1)}× |`,
  );
  const met = (ok: boolean) => (ok ? 'met' : 'missed');
  return `## Threads: time to first token as a conversation grows (prefix cache)

\`npm run bench:threads\` runs ${r.conversations} conversations of ${r.turns} turns each on the generated bench
model (${(r.params / 1e6).toFixed(1)}M parameters, fp32, CPU); every user message adds a few sentences (the full run:
8 × 10 turns, the history past 2,000 tokens; this run's last turn: ${fmt(r.perTurn.at(-1)?.promptTokens ?? 0)} prompt tokens). Each turn is answered (greedy, ${r.tokens} new tokens at most) by teambot with its
prefix cache (\`PREFIX_CACHE_BYTES\` 1 GiB), teambot without it (\`PREFIX_CACHE_BYTES=0\`) and transformers.js
(one \`generate()\` per turn on the whole conversation, as an app would call it), each in its own process,
teambot's engine ${r.thread ? 'in its worker thread (as the server runs it)' : 'on the main thread (--no-thread)'}.
The history's answers are teambot's without the cache; the other sides decode the same prompt. Turns go
round-robin over the conversations, so the cache holds all of them at once. Time to first token: from the call
to the first new token chosen (template and tokenization excluded on both sides), mean over the conversations.
Flags: \`--quick\` (2 × 3 short turns, leaves this file alone), \`--conversations\`, \`--turns\`, \`--sentences\`,
\`--tokens\`, \`--threads\`, \`--no-thread\`, \`--no-docs\`.

- Run: ${r.date}
- Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}; 1-minute load average ${fmt(r.machine.loadAvg1m.start, 2)} at the start, ${fmt(r.machine.loadAvg1m.end, 2)} at the end
- Engines: ${r.engines.cache}; ${r.engines.peer}
- Peak RSS (MiB): cache ${fmt(r.peakRssMiB.cache)}, no cache ${fmt(r.peakRssMiB.noCache)}, transformers.js ${fmt(r.peakRssMiB.peer)}

| turn | prompt tok | from cache | prefilled | TTFT cache (ms) | TTFT no cache (ms) | TTFT transformers.js (ms) | no cache / peer vs cache |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}

At turn ${r.turns}: ${fmt(r.ratioAtLastTurn.noCache, 2)}× lower than without the cache (target ≥ 5: ${met(r.targets.lastTurnTtft5xNoCache)}),
${fmt(r.ratioAtLastTurn.peer, 2)}× lower than transformers.js (target ≥ 5: ${met(r.targets.lastTurnTtft5xPeer)}).
Answers differing from teambot's without the cache: ${r.answersDiffering.cache} of ${r.answersDiffering.of} with the cache
(must be 0), ${r.answersDiffering.peer} of ${r.answersDiffering.of} for transformers.js.

Notes:
- A turn reuses the blocks (16 tokens each) its conversation's earlier prompt and answer left; the rest (the new
  message, the end of the last answer and a partial block) is prefilled. An answer whose text tokenizes back to other
  ids than were generated ends the reuse there.
- transformers.js and teambot without the cache prefill the whole conversation every turn.
`;
}
