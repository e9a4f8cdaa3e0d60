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
  /** Images the question showed, by reference (object keys, never bytes); see src/bot/vision. */
  media?: StoredImageRef[];
}

/** A remembered message; a question may carry references to the images it showed. */
export type RememberedMessage = ChatMessage & { media?: StoredImageRef[] };

/** Per-DM / per-thread history in the KV store, bounded in length and time. */
export class ConversationMemory {
  constructor(private readonly options: ConversationMemoryOptions) {}

  private key(conversation: string): string {
    return `conv:${conversation}`;
  }

  /** Oldest first. Entries that do not parse are skipped rather than failing the answer. */
  async load(conversation: string): Promise<RememberedMessage[]> {
    if (this.options.maxTurns === 0) return [];
    const raw = await this.options.kv.listRange(this.key(conversation), 0, -1);
    const turns: RememberedMessage[] = [];
    for (const item of raw) {
      const turn = parseTurn(item);
      if (turn !== undefined) turns.push(turn);
    }
    return turns;
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
    const turns: StoredTurn[] = [
      {
        role: 'user',
        content: question,
        at,
        ...(media === undefined || media.length === 0 ? {} : { media }),
      },
      { role: 'assistant', content: answer, at },
    ];
    await this.options.kv.listPush(
      this.key(conversation),
      turns.map((t) => JSON.stringify(t)),
      { maxLength: this.options.maxTurns * 2, ttlMs: this.options.ttlMs },
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

function parseTurn(raw: string): RememberedMessage | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return undefined;
    const { role, content, media } = value as Record<string, unknown>;
    if ((role === 'user' || role === 'assistant') && typeof content === 'string') {
      const refs = Array.isArray(media) ? media.filter(isImageRef) : [];
      return refs.length === 0 ? { role, content } : { role, content, media: refs };
    }
  } catch {
    // a corrupt entry is skipped
  }
  return undefined;
}
