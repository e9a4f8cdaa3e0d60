import type { ChatMessage } from '../../inference/types.js';
import type { KeyValueStore } from '../../storage/kv/types.js';

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
}

/** Per-DM / per-thread history in the KV store, bounded in length and time. */
export class ConversationMemory {
  constructor(private readonly options: ConversationMemoryOptions) {}

  private key(conversation: string): string {
    return `conv:${conversation}`;
  }

  /** Oldest first. Entries that do not parse are skipped rather than failing the answer. */
  async load(conversation: string): Promise<ChatMessage[]> {
    if (this.options.maxTurns === 0) return [];
    const raw = await this.options.kv.listRange(this.key(conversation), 0, -1);
    const turns: ChatMessage[] = [];
    for (const item of raw) {
      const turn = parseTurn(item);
      if (turn !== undefined) turns.push(turn);
    }
    return turns;
  }

  /** Stores a question and its answer together, so concurrent exchanges never interleave halves. */
  async append(conversation: string, question: string, answer: string): Promise<void> {
    if (this.options.maxTurns === 0) return;
    const at = Date.now();
    const turns: StoredTurn[] = [
      { role: 'user', content: question, at },
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

function parseTurn(raw: string): ChatMessage | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return undefined;
    const { role, content } = value as Record<string, unknown>;
    if ((role === 'user' || role === 'assistant') && typeof content === 'string') return { role, content };
  } catch {
    // a corrupt entry is skipped
  }
  return undefined;
}
