import type { KeyValueStore } from '../../storage/kv/types.js';

/** One admin change: who, what, when, and the value before and after. */
export interface AuditEntry {
  at: string;
  by: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
}

const KEY = 'perm:audit';
/** The log keeps the newest entries only. */
export const AUDIT_MAX_ENTRIES = 1000;

export class AuditLog {
  constructor(private readonly kv: KeyValueStore) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.kv.listPush(KEY, [JSON.stringify(entry)], { maxLength: AUDIT_MAX_ENTRIES });
  }

  /** The newest `n` entries, newest first. */
  async recent(n: number): Promise<AuditEntry[]> {
    const raw = await this.kv.listRange(KEY, -n, -1);
    return raw
      .map((line) => {
        try {
          return JSON.parse(line) as AuditEntry;
        } catch {
          return undefined;
        }
      })
      .filter((e): e is AuditEntry => e !== undefined)
      .reverse();
  }
}
