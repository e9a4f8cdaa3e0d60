import type { ChatMessage } from '../../inference/types.js';
import type { KeyValueStore } from '../../storage/kv/types.js';
import type { StoredImageRef } from '../../storage/media/model-images.js';

export interface ConversationMemoryOptions {
  kv: KeyValueStore;
  /** Exchanges (a question and its answer) kept per conversation; 0 keeps none. */
  maxTurns: number;
  /** A conversation untouched this long is forgotten. */
  ttlMs: number;
}

interface StoredTurn {
  role: 'user' | 'assistant';
  content: string;
  at: number;
  /** The exchange's number in the conversation (1, 2, ...); absent in entries stored before it. */
  n?: number;
  /** Images the question showed, by reference (object keys, never bytes); see src/bot/vision. */
  media?: StoredImageRef[];
}

/** A remembered message; a question may carry references to the images it showed. */
export type RememberedMessage = ChatMessage & { media?: StoredImageRef[] };

/**
 * Per-DM / per-thread history in the KV store, bounded in length and time. Old exchanges leave
 * a chunk at a time (a quarter of maxTurns): between two drops every turn's history starts where
 * the last one's did, so the engine's prefix cache holds the earlier turns' prompt.
 */
export class ConversationMemory {
  private readonly chunk: number;

  constructor(private readonly options: ConversationMemoryOptions) {
    this.chunk = Math.max(1, Math.floor(options.maxTurns / 4));
  }

  private key(conversation: string): string {
    return `conv:${conversation}`;
  }

  /** Oldest first. Entries that do not parse are skipped rather than failing the answer. */
  async load(conversation: string): Promise<RememberedMessage[]> {
    if (this.options.maxTurns === 0) return [];
    const raw = await this.options.kv.listRange(this.key(conversation), 0, -1);
    const turns: StoredTurn[] = [];
    for (const item of raw) {
      const turn = parseTurn(item);
      if (turn !== undefined) turns.push(turn);
    }
    return this.window(turns).map(({ role, content, media }) =>
      media === undefined ? { role, content } : { role, content, media },
    );
  }

  /**
   * The exchanges kept: the newest maxTurns, their first one on a chunk boundary (so it moves a
   * chunk at a time). Entries without numbers (stored before them) keep the newest maxTurns.
   */
  private window(turns: StoredTurn[]): StoredTurn[] {
    const { maxTurns } = this.options;
    const last = turns.at(-1)?.n;
    if (last === undefined || turns.some((t) => t.n === undefined)) return turns.slice(-maxTurns * 2);
    const first = last > maxTurns ? Math.ceil((last - maxTurns) / this.chunk) * this.chunk + 1 : 1;
    return turns.filter((t) => (t.n as number) >= first);
  }

  /**
   * Stores a question and its answer together, so concurrent exchanges never interleave halves;
   * `media`: the images the question showed, by reference.
   */
  async append(
    conversation: string,
    question: string,
    answer: string,
    media?: StoredImageRef[],
  ): Promise<void> {
    if (this.options.maxTurns === 0) return;
    const at = Date.now();
    const key = this.key(conversation);
    // A conversation's turns are answered one at a time, so the last number read is the latest.
    const [latest] = await this.options.kv.listRange(key, -1, -1);
    const n = (latest === undefined ? 0 : (parseTurn(latest)?.n ?? 0)) + 1;
    const turns: StoredTurn[] = [
      {
        role: 'user',
        content: question,
        at,
        n,
        ...(media === undefined || media.length === 0 ? {} : { media }),
      },
      { role: 'assistant', content: answer, at, n },
    ];
    await this.options.kv.listPush(
      key,
      turns.map((t) => JSON.stringify(t)),
      { maxLength: (this.options.maxTurns + this.chunk) * 2, ttlMs: this.options.ttlMs },
    );
  }

  async clear(conversation: string): Promise<void> {
    await this.options.kv.delete(this.key(conversation));
  }
}

function isImageRef(value: unknown): value is StoredImageRef {
  if (typeof value !== 'object' || value === null) return false;
  const { key, mimeType, videoTimeMs, videoId } = value as Record<string, unknown>;
  return (
    typeof key === 'string' &&
    typeof mimeType === 'string' &&
    (videoTimeMs === undefined || typeof videoTimeMs === 'number') &&
    (videoId === undefined || typeof videoId === 'string')
  );
}

function parseTurn(raw: string): StoredTurn | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return undefined;
    const { role, content, at, n, media } = value as Record<string, unknown>;
    if ((role === 'user' || role === 'assistant') && typeof content === 'string') {
      const refs = Array.isArray(media) ? media.filter(isImageRef) : [];
      return {
        role,
        content,
        at: typeof at === 'number' ? at : 0,
        n: typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined,
        ...(refs.length === 0 ? {} : { media: refs }),
      };
    }
  } catch {
    // a corrupt entry is skipped
  }
  return undefined;
}
