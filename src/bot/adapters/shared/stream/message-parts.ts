import type { ReplySink, ReplyStreamSettings } from './reply-sink.js';

type PartSettings = Pick<ReplyStreamSettings, 'limit' | 'render' | 'split' | 'fits'>;

/**
 * The text of the message being streamed, and the sink showing it. Text that outgrows a message
 * is cut where `split` cuts (never inside a code block): the message is finished with the head,
 * and the rest goes on in a new one.
 */
export class MessageParts {
  /** The raw text of the open message (or of the next one). */
  current: string;
  /** The head of `current` that the open message shows. */
  shownRaw = '';
  shownAt = 0;
  #sink: ReplySink | undefined;

  constructor(
    private readonly openSink: () => ReplySink,
    private readonly settings: PartSettings,
    initial: string,
  ) {
    this.current = initial;
  }

  /** Whether the text so far is to be shown now: at once for a new message, else by interval. */
  due(intervalMs: number): boolean {
    if (this.#sink === undefined) return this.current.trim() !== '';
    return Date.now() - this.shownAt >= intervalMs;
  }

  get started(): boolean {
    return this.#sink?.started === true;
  }

  /** What the open message does not show. */
  get pending(): string {
    return this.current.slice(this.shownRaw.length);
  }

  /** The answer starts over: the open message stays, to show the new text. */
  reset(): void {
    this.current = '';
    this.shownRaw = '';
  }

  /** Shows the text so far (`final`: as the end of the answer, every message finished). */
  async flush(final: boolean): Promise<void> {
    if (final || !this.fits(this.current)) {
      const parts = this.parts(this.current);
      const keep = final ? 0 : 1;
      while (parts.length > keep) {
        await this.finishPart(parts.shift() ?? '');
        this.current = parts.join('\n');
      }
      if (final) {
        this.current = '';
        return;
      }
    }
    if (this.current.trim() === '') return;
    this.#sink ??= this.openSink();
    await this.#sink.show(this.settings.render(this.current));
    this.shownRaw = this.current;
    this.shownAt = Date.now();
  }

  /** Ends the open message after a failed call; the next text goes to a new one. */
  async abandon(): Promise<void> {
    const broken = this.#sink;
    this.#sink = undefined;
    await broken?.abandon();
  }

  private fits(raw: string): boolean {
    const rendered = this.settings.render(raw);
    return rendered.length <= this.settings.limit && (this.settings.fits?.(rendered) ?? true);
  }

  private cut(text: string, limit: number): string[] {
    if (!Number.isFinite(limit)) return text.trim() === '' ? [] : [text];
    return this.settings.split(text, limit);
  }

  /** Raw parts whose rendering fits: rendering can lengthen text, so the raw limit shrinks until it does. */
  private parts(raw: string): string[] {
    const { limit } = this.settings;
    let rawLimit = limit;
    for (;;) {
      const parts = this.cut(raw, rawLimit);
      if (parts.every((part) => this.fits(part)) || rawLimit <= limit / 4) return parts;
      rawLimit = Math.floor(rawLimit * 0.9);
    }
  }

  /** Finishes a part: rendering can lengthen it, so it is split once more if it must be. */
  private async finishPart(part: string): Promise<void> {
    for (const piece of this.cut(this.settings.render(part), this.settings.limit)) {
      this.#sink ??= this.openSink();
      await this.#sink.finish(piece);
      this.#sink = undefined;
    }
    this.shownRaw = '';
  }
}
