import { Environment, Interpreter, Template } from '@huggingface/jinja';
import type { ChatMessage } from '../types.js';
import { strftime } from './strftime.js';

export interface RenderOptions {
  bosToken?: string;
  eosToken?: string;
  /** End with the header that opens the assistant's turn. Default true. */
  addGenerationPrompt?: boolean;
  /** More template variables (tools, date_string, enable_thinking, ...). */
  extra?: Record<string, unknown>;
  /** The clock behind strftime_now (default: now). */
  now?: () => Date;
  /** A message's `content` as the template sees it (vision models: content parts); default its text. */
  content?: (message: ChatMessage) => unknown;
}

/**
 * The model's chat template could not render this conversation. `raised`: the template itself
 * refused it with raise_exception (say, a role it does not support); otherwise the template is broken.
 */
export class ChatTemplateError extends Error {
  override readonly name = 'ChatTemplateError';
  constructor(
    message: string,
    readonly raised: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** What raise_exception throws, so a refusal can be told apart from a broken template. */
class RaisedByTemplate extends Error {}

const parsed = new Map<string, Template>();
const CACHE_SIZE = 8;

function compile(source: string): Template {
  let template = parsed.get(source);
  if (template === undefined) {
    try {
      template = new Template(source);
    } catch (error) {
      throw new ChatTemplateError(
        `The model's chat template failed to parse: ${(error as Error).message}`,
        false,
        { cause: error },
      );
    }
    if (parsed.size >= CACHE_SIZE) parsed.delete(parsed.keys().next().value as string);
    parsed.set(source, template);
  }
  return template;
}

/** Python's range(stop) / range(start, stop[, step]), as Jinja templates use it. */
function range(first: unknown, second?: unknown, third?: unknown): number[] {
  const [start, stop] = second === undefined ? [0, Number(first)] : [Number(first), Number(second)];
  const step = third === undefined ? 1 : Number(third);
  if (!Number.isInteger(start) || !Number.isInteger(stop) || !Number.isInteger(step) || step === 0) {
    throw new Error(`range() needs whole numbers and a non-zero step; got ${first}, ${second}, ${third}`);
  }
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

/** The globals @huggingface/jinja's Template.render sets up, with our raise_exception and strftime_now. */
function jinjaGlobals(now: () => Date): Record<string, unknown> {
  return {
    true: true,
    false: false,
    none: null,
    True: true,
    False: false,
    None: null,
    range,
    raise_exception: (message?: unknown) => {
      throw new RaisedByTemplate(String(message ?? 'raise_exception was called'));
    },
    strftime_now: (format: unknown) => strftime(now(), String(format)),
  };
}

/** Renders a Hugging Face chat template (Jinja) for these messages. */
export function renderChatTemplate(
  template: string,
  messages: readonly ChatMessage[],
  options: RenderOptions = {},
): string {
  const compiled = compile(template);
  const now = options.now ?? (() => new Date());
  const variables: Record<string, unknown> = {
    ...options.extra,
    messages: messages.map((m) => ({ role: m.role, content: options.content?.(m) ?? m.content })),
    bos_token: options.bosToken ?? '',
    eos_token: options.eosToken ?? '',
    add_generation_prompt: options.addGenerationPrompt ?? true,
  };
  try {
    // Template.render cannot replace its built-in raise_exception (it throws a bare Error) or
    // strftime_now (month names in the process locale), so the globals are set up here.
    const env = new Environment();
    for (const [name, value] of Object.entries({ ...jinjaGlobals(now), ...variables })) env.set(name, value);
    const output = new Interpreter(env).run(compiled.parsed).value;
    if (typeof output !== 'string') throw new Error('the template did not produce text');
    return output;
  } catch (error) {
    if (error instanceof RaisedByTemplate) {
      throw new ChatTemplateError(
        `The model's chat template rejected the conversation: ${error.message}`,
        true,
        {
          cause: error,
        },
      );
    }
    throw new ChatTemplateError(`The model's chat template failed: ${(error as Error).message}`, false, {
      cause: error,
    });
  }
}
