/**
 * Child process: the peer, @huggingface/transformers (transformers.js) on onnxruntime-node, loading
 * the same model files. Times the prompts teambot chose and checks it decodes the same ids.
 * Run by bench/inference.ts.
 */
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  env,
  type PreTrainedModel,
  Tensor,
  TextStreamer,
} from '@huggingface/transformers';
// The same module transformers.js loads (one onnxruntime-node in node_modules); imported for its version.
import { env as ortEnv } from 'onnxruntime-node';
import { peerEosIds, peerModelOptions, useLocalModel } from './peer-load.js';
import {
  type BurstRequest,
  type BurstRequestSample,
  type BurstSample,
  type ChatTurn,
  type ChosenPrompt,
  type Finished,
  firstDifference,
  type PeerJob,
  progress,
  type RunSample,
  readJob,
  serve,
  type TurnSample,
} from './protocol.js';
import { fixRopeDeltas } from './transformers-fixes.js';

const job = readJob<PeerJob>();
/** A set: each check runs on every generation, a problem is reported once. */
const errors = new Set<string>();

const modelName = useLocalModel(job.modelDir);

const loadStarted = performance.now();
const tokenizer = await AutoTokenizer.from_pretrained(modelName);
const model = await AutoModelForCausalLM.from_pretrained(modelName, peerModelOptions(job));
fixRopeDeltas(model);
const loadMs = performance.now() - loadStarted;
progress(`peer: loaded in ${loadMs.toFixed(0)} ms`);

/** Timestamps of one generate() call, filled in by the hooks below. */
interface Trace {
  prefillEnd?: number;
  firstToken?: number;
  decodeRunMs: number;
}
let trace: Trace | undefined;

type RunFn = (...args: unknown[]) => Promise<unknown>;
interface Hookable {
  forward: (inputs: unknown) => Promise<unknown>;
  sessions: Record<string, { run: RunFn } | undefined>;
}

/**
 * Wraps the model's forward (generate calls this.forward once per step) to find the end of prefill,
 * and its onnxruntime session's run to measure the time spent inside it during decode. Neither
 * changes what runs.
 */
function hook(target: PreTrainedModel): void {
  const hookable = target as unknown as Hookable;
  const forward = hookable.forward.bind(hookable);
  hookable.forward = async (inputs) => {
    const outputs = await forward(inputs);
    if (trace !== undefined) trace.prefillEnd ??= performance.now();
    return outputs;
  };
  // The decoder: `model`, or `decoder_model_merged` beside `embed_tokens` (Qwen3.5's layout).
  const session = hookable.sessions.model ?? hookable.sessions.decoder_model_merged;
  if (session === undefined) throw new Error('transformers.js opened no decoder session');
  const run = session.run.bind(session);
  session.run = async (...args) => {
    const started = performance.now();
    try {
      return await run(...args);
    } finally {
      if (trace?.prefillEnd !== undefined) trace.decodeRunMs += performance.now() - started;
    }
  };
}
hook(model);

function idTensor(ids: readonly number[]): Tensor {
  return new Tensor(
    'int64',
    BigInt64Array.from(ids, (id) => BigInt(id)),
    [1, ids.length],
  );
}

async function generate(prompt: ChosenPrompt): Promise<RunSample> {
  const wallStarted = performance.now();
  const cpuBefore = process.cpuUsage();
  const encoded = tokenizer.apply_chat_template(prompt.messages, {
    add_generation_prompt: true,
    return_dict: true,
  });
  let inputIds = encoded.input_ids as Tensor;
  let attentionMask = encoded.attention_mask as Tensor;
  const promptIds = (inputIds.tolist() as bigint[][])[0]?.map(Number) ?? [];
  const promptDiff = firstDifference(promptIds, prompt.promptIds);
  if (promptDiff >= 0) {
    errors.add(
      `${prompt.label}: the peer's chat template gives other prompt ids than teambot's ` +
        `(index ${promptDiff}); fed teambot's ids`,
    );
    inputIds = idTensor(prompt.promptIds);
    attentionMask = new Tensor('int64', new BigInt64Array(prompt.promptIds.length).fill(1n), [
      1,
      prompt.promptIds.length,
    ]);
  }
  const current: Trace = { decodeRunMs: 0 };
  const chunks: string[] = [];
  const streamer = new TextStreamer(tokenizer, {
    skip_prompt: true,
    callback_function: (chunk: string) => {
      chunks.push(chunk);
    },
    token_callback_function: () => {
      current.firstToken ??= performance.now();
    },
  });
  trace = current;
  const started = performance.now();
  const output = (await model.generate({
    input_ids: inputIds,
    attention_mask: attentionMask,
    max_new_tokens: job.tokens,
    do_sample: false,
    streamer,
  })) as Tensor;
  const ended = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  trace = undefined;
  const sequence = (output.tolist() as bigint[][])[0]?.map(Number) ?? [];
  const newIds = sequence.slice(prompt.promptIds.length);
  const at = firstDifference(newIds, prompt.outputIds);
  if (at >= 0) {
    errors.add(
      `${prompt.label}: the peer decoded other ids than teambot (first difference at index ${at}; ` +
        `${newIds.length} vs ${prompt.outputIds.length} tokens)`,
    );
  }
  const prefillEnd = current.prefillEnd ?? ended;
  const firstToken = current.firstToken ?? ended;
  return {
    promptTokens: prompt.promptIds.length,
    newTokens: newIds.length,
    prefillMs: prefillEnd - started,
    ttftMs: firstToken - started,
    decodeMs: ended - prefillEnd,
    decodeRunMs: current.decodeRunMs,
    totalMs: ended - started,
    wallMs: ended - wallStarted,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

const eosIds = peerEosIds(model);

/**
 * N users at once, as an app would serve them with transformers.js: one generate() per request,
 * all awaited concurrently on the one model (onnxruntime runs them side by side).
 */
async function burst(request: BurstRequest): Promise<BurstSample> {
  const started = performance.now();
  const one = async (messages: ChatTurn[]): Promise<BurstRequestSample> => {
    const encoded = tokenizer.apply_chat_template(messages, {
      add_generation_prompt: true,
      return_dict: true,
    });
    const inputIds = encoded.input_ids as Tensor;
    const promptLength = inputIds.dims.at(-1) ?? 0;
    const templateMs = performance.now() - started;
    let first: number | undefined;
    const streamer = new TextStreamer(tokenizer, {
      skip_prompt: true,
      callback_function: () => {},
      token_callback_function: () => {
        first ??= performance.now() - started;
      },
    });
    const output = (await model.generate({
      input_ids: inputIds,
      attention_mask: encoded.attention_mask as Tensor,
      max_new_tokens: job.tokens,
      do_sample: false,
      streamer,
    })) as Tensor;
    const endMs = performance.now() - started;
    const outputIds = ((output.tolist() as bigint[][])[0]?.map(Number) ?? []).slice(promptLength);
    // generate() keeps the EOS that ended the answer; teambot's ids never include it.
    if (outputIds.length > 0 && eosIds.has(outputIds.at(-1) as number)) outputIds.pop();
    return {
      ttftMs: first ?? endMs,
      endMs,
      newTokens: outputIds.length,
      outputIds,
      templateMs,
      promptTokens: promptLength,
    };
  };
  const requests = await Promise.all(request.prompts.map(one));
  return { requests, wallMs: performance.now() - started };
}

/** bench:threads: one turn, one generate() on the whole conversation, as an app would answer a thread. */
async function turn(messages: ChatTurn[]): Promise<TurnSample> {
  const sample = (await burst({ kind: 'burst', prompts: [messages] })).requests[0];
  if (sample === undefined) throw new Error('the turn gave no answer');
  return {
    // From the prompt's ids, as teambot's side times it (the chat template left out on both).
    ttftMs: sample.ttftMs - (sample.templateMs ?? 0),
    promptTokens: sample.promptTokens ?? 0,
    outputIds: sample.outputIds,
    text: tokenizer.decode(sample.outputIds, { skip_special_tokens: true }),
  };
}

await serve(async (request) => {
  if (request.kind === 'burst') return await burst(request);
  if (request.kind === 'turn') return await turn(request.messages);
  if (request.kind === 'run') {
    const prompt = job.prompts[request.prompt];
    if (prompt === undefined) throw new Error(`no prompt ${request.prompt}`);
    return await generate(prompt);
  }
  if (request.kind === 'select') throw new Error('the peer times the prompts teambot selected');
  await model.dispose();
  return {
    engine: `@huggingface/transformers ${env.version}`,
    onnxruntime: ortEnv.versions.node ?? 'unknown',
    loadMs,
    peakRssKb: process.resourceUsage().maxRSS,
    errors: [...errors],
  } satisfies Finished;
});
