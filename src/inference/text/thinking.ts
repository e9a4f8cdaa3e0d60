/**
 * Separates a reasoning model's thinking (`<think> … </think>`, Qwen3 / Qwen3.5) from its answer in
 * a stream of text chunks. The tags may arrive split across chunks; the thinking may start without
 * its opening tag (the chat template wrote `<think>` into the prompt) or be absent altogether.
 * Thinking text is never passed on as answer text.
 */
export const THINK_OPEN = '<think>';
export const THINK_CLOSE = '</think>';

export interface ThinkingParts {
  thinking: string;
  answer: string;
}

type State = 'start' | 'thinking' | 'answer';

export class ThinkingSplitter {
  private state: State;
  private pending = '';

  /** `insideThinking`: the prompt already opened the thinking section (its template ends with `<think>`). */
  constructor(insideThinking = false) {
    this.state = insideThinking ? 'thinking' : 'start';
  }

  /** Whether the text so far is still thinking (a status line can say so). */
  get thinking(): boolean {
    return this.state === 'thinking';
  }

  /** The parts of `chunk` that can be told apart now; a possible tag's start is held back. */
  push(chunk: string): ThinkingParts {
    this.pending += chunk;
    const out: ThinkingParts = { thinking: '', answer: '' };
    for (;;) {
      if (this.state === 'start') {
        const text = this.pending.trimStart();
        if (text.startsWith(THINK_OPEN)) {
          this.state = 'thinking';
          this.pending = text.slice(THINK_OPEN.length);
          continue;
        }
        if (THINK_OPEN.startsWith(text)) return out; // all whitespace, or the tag's beginning
        this.pending = text;
        this.state = 'answer';
      }
      if (this.state === 'answer') {
        out.answer += this.pending;
        this.pending = '';
        return out;
      }
      const end = this.pending.indexOf(THINK_CLOSE);
      if (end >= 0) {
        out.thinking += this.pending.slice(0, end);
        this.pending = this.pending.slice(end + THINK_CLOSE.length);
        // The answer's leading blank lines may come in later chunks: 'start' drops them.
        this.state = 'start';
        continue;
      }
      const keep = partialSuffix(this.pending, THINK_CLOSE);
      out.thinking += this.pending.slice(0, this.pending.length - keep);
      this.pending = this.pending.slice(this.pending.length - keep);
      return out;
    }
  }

  /** Whatever was held back, at the end of the stream (an unclosed thinking section stays thinking). */
  flush(): ThinkingParts {
    const rest = this.pending;
    this.pending = '';
    if (this.state === 'thinking') return { thinking: rest, answer: '' };
    return { thinking: '', answer: this.state === 'start' ? rest.trimStart() : rest };
  }
}

/** Length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialSuffix(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--)
    if (tag.startsWith(text.slice(-n))) return n;
  return 0;
}

/** A whole text's thinking and answer (for what is remembered of a turn: the answer only). */
export function splitThinking(text: string, insideThinking = false): ThinkingParts {
  const splitter = new ThinkingSplitter(insideThinking);
  const a = splitter.push(text);
  const b = splitter.flush();
  return { thinking: (a.thinking + b.thinking).trim(), answer: a.answer + b.answer };
}

/** Whether a rendered prompt leaves the model inside an open thinking section. */
export function promptOpensThinking(prompt: string): boolean {
  const open = prompt.lastIndexOf(THINK_OPEN);
  return open >= 0 && prompt.indexOf(THINK_CLOSE, open) < 0;
}
