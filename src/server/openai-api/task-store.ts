import { randomUUID } from 'node:crypto';
import type { KeyValueStore } from '../../storage/kv/types.js';
import type { OpenAIErrorBody } from './errors.js';

export type TaskStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** One async task as kept in the KV store (so any replica can answer GET /v1/tasks/:id). */
export interface TaskRecord {
  id: string;
  status: TaskStatus;
  /** The API key id that created it; only that key may read it. */
  owner: string;
  created_at: number;
  updated_at: number;
  /** A `chat.completion` object once succeeded. */
  result?: unknown;
  error?: OpenAIErrorBody['error'];
}

const KEY_PREFIX = 'api-task:';

export class TaskStore {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly ttlMs: number,
  ) {}

  async create(owner: string): Promise<TaskRecord> {
    const now = Date.now();
    const record: TaskRecord = {
      id: `task_${randomUUID().replaceAll('-', '')}`,
      status: 'queued',
      owner,
      created_at: Math.floor(now / 1000),
      updated_at: Math.floor(now / 1000),
    };
    await this.save(record);
    return record;
  }

  async save(record: TaskRecord): Promise<void> {
    await this.kv.set(KEY_PREFIX + record.id, JSON.stringify(record), this.ttlMs);
  }

  async update(
    record: TaskRecord,
    patch: Partial<Pick<TaskRecord, 'status' | 'result' | 'error'>>,
  ): Promise<TaskRecord> {
    const next = { ...record, ...patch, updated_at: Math.floor(Date.now() / 1000) };
    await this.save(next);
    return next;
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    if (!/^task_[0-9a-f]{32}$/.test(id)) return undefined;
    const raw = await this.kv.get(KEY_PREFIX + id);
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw) as TaskRecord;
    } catch {
      return undefined;
    }
  }
}
