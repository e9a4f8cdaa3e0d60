import type { AckReport } from '../ack.js';
import { ackCharts, chartLinks } from '../charts.js';

const row = (
  name: string,
  f: { p50: number; p99: number; max: number },
  sent: number,
  non2xx: number,
  cpu: number | undefined,
) => `| ${name} | ${f.p50} | ${f.p99} | ${f.max} | ${sent} | ${non2xx} | ${cpu ?? 'n/a'} |`;

/** The bench:ack section of docs/benchmarks.md. */
export function renderAckSection(r: AckReport): string {
  const met = (ok: boolean) => (ok ? 'met' : '**missed**');
  const rates = r.rates
    .map(
      (
        x,
      ) => `${row(`teambot, ${x.rate}/s`, x.teambot, x.teambotSent, x.teambotNon2xx, x.teambotCpuMsPerEvent)}
${row(`bare Bolt, ${x.rate}/s`, x.bolt, x.boltSent, x.boltNon2xx, x.boltCpuMsPerEvent)}`,
    )
    .join('\n');
  const ratios = r.rates
    .map((x) => `${x.rate}/s: ${x.p99Ratio.toFixed(2)}× (target ≤ 1.5, ${met(x.p99Ratio <= 1.5)})`)
    .join('; ');
  return `## Acks while generating: teambot vs a bare Bolt app

\`npm run bench:ack\` sends signed Slack \`app_mention\` events at ${r.rates.map((x) => `${x.rate}`).join(' and ')} per
second for ${r.seconds} s each (open loop, ${r.users} users) to \`teambot serve\` generating on the bench model
(${r.model}, ${(r.params / 1e6).toFixed(1)}M parameters, fp32, INFERENCE_THREADS=${r.engineThreads}, the engine in its own
thread at INFERENCE_THREAD_NICE=${r.engineNice}) and to a bare @slack/bolt ${r.boltVersion} app that answers each mention in its thread, one after the other
in the same run, both against the same local fake Slack Web API. Time is from sending an event to its HTTP answer.
Then, with teambot idle, one ${r.prefill.thread.promptTokens}-token prompt is prefilled through \`/v1\` while
\`/health\` is asked back to back; the same is done on a teambot with \`INFERENCE_THREAD=false\` (the engine on the
main thread, as before) for comparison. Flags: \`--seconds N\`, \`--rates 100,300\`, \`--nice N\` (the engine thread's nice value, default 10), \`--no-docs\`.

- Run: ${r.date}
- Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}; 1-minute load average ${r.machine.loadAvg1m.start.toFixed(2)} at the start, ${r.machine.loadAvg1m.end.toFixed(2)} at the end

| contender, rate | p50 ms | p99 ms | max ms | events | non-2xx | main-thread CPU ms / event |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${rates}

${chartLinks(ackCharts(r))}

Ack p99 ratio (teambot / bare Bolt): ${ratios}.
Main-thread CPU per event (user + system time of the server's main thread from the first event to 3 s after the
last, over the events; it hardly depends on the machine's load) says how much work each event costs, and so
from which rate its acks start to queue (1000 / ms per event, with nothing else to do).

| /health during a ${r.prefill.thread.promptTokens}-token prefill | answer ms | checks | p50 ms | p99 ms | max ms |
| --- | ---: | ---: | ---: | ---: | ---: |
| engine thread (default) | ${r.prefill.thread.answerMs} | ${r.prefill.thread.healthChecks} | ${r.prefill.thread.health.p50} | ${r.prefill.thread.health.p99} | ${r.prefill.thread.health.max} |
| engine on the main thread (INFERENCE_THREAD=false) | ${r.prefill.inProcess.answerMs} | ${r.prefill.inProcess.healthChecks} | ${r.prefill.inProcess.health.p50} | ${r.prefill.inProcess.health.p99} | ${r.prefill.inProcess.health.max} |

Slowest \`/health\` during the prefill with the engine thread: ${r.prefill.thread.health.max} ms (target ≤ 100 ms,
${met(r.prefill.thread.health.max <= 100)}).

Notes:
- A message's ack waits until its turn is queued (dedup, permissions, limits, the enqueue; at most 2 s,
  docs/turns.md): the ack means the message is safe. A refused message (rate limit, permissions) is final
  at once: its ack does not wait for the refusal notice. The answer (or a busy notice, each a Web API call)
  comes after the ack, from the turn runner on the same main thread.
- The engine thread runs at nice ${r.engineNice} (\`INFERENCE_THREAD_NICE\`, Linux): when the main thread and the
  engine want the same core, the event loop gets it first (\`--nice 0\` runs it at the process' priority,
  for comparison).
- What is left is the gateway's own per-event work (the CPU column): Bolt's processing, the Web API
  client (it builds its debug log strings for every call even when debug logging is off), the answer's
  calls (stream start and stop, thread status, agent session) and the refusal notices.
- The fake Slack Web API runs in the bench's own process, beside the load generator: teambot makes
  several calls per event, the Bolt app one, so the bench process is busier during teambot's runs.
- The engine thread runs onnxruntime with ${r.engineThreads} intra-op thread(s) so that the main thread keeps a core
  on this ${r.machine.cpus}-core machine (docs/workers.md: sizing).`;
}
