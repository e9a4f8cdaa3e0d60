export interface StopPush {
  /** Text that can no longer be part of a stop string (on a match: the text before it). */
  emit: string;
  /** A stop string was found: generation should end; later pushes emit nothing. */
  stopped: boolean;
}

/**
 * Finds stop strings in streamed text. It holds back the end of the text while that end could still
 * grow into a stop string, so no part of a stop string is ever emitted, even when it spans chunks.
 */
export class StopMatcher {
  private readonly stops: string[];
  private held = '';
  private done = false;

  constructor(stops: readonly string[]) {
    this.stops = [...new Set(stops.filter((s) => s !== ''))];
  }

  get stopped(): boolean {
    return this.done;
  }

  push(text: string): StopPush {
    if (this.done) return { emit: '', stopped: true };
    if (this.stops.length === 0) return { emit: text, stopped: false };
    const buffer = this.held + text;
    let first = -1;
    for (const stop of this.stops) {
      const at = buffer.indexOf(stop);
      if (at !== -1 && (first === -1 || at < first)) first = at;
    }
    if (first !== -1) {
      this.done = true;
      this.held = '';
      return { emit: buffer.slice(0, first), stopped: true };
    }
    const keep = this.partialMatchLength(buffer);
    this.held = buffer.slice(buffer.length - keep);
    return { emit: buffer.slice(0, buffer.length - keep), stopped: false };
  }

  /** The text held back at the end of generation (it did not become a stop string). */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return this.done ? '' : rest;
  }

  /** The length of the longest end of `buffer` that is the start of some stop string. */
  private partialMatchLength(buffer: string): number {
    let longest = 0;
    for (const stop of this.stops) {
      for (let length = Math.min(stop.length - 1, buffer.length); length > longest; length--) {
        if (buffer.endsWith(stop.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
