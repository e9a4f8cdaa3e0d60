import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/inference/errors.js';
import { RedisKeyValueStore } from '../../../src/storage/kv/redis.js';
import type { KeyValueStore } from '../../../src/storage/kv/types.js';
import { redisUrlForTests, usePrefixes } from '../../helpers/redis.js';
import { ScriptedEngine } from '../../helpers/scripted-engine.js';
import { apiServer, KEYS } from './support.js';

interface TaskView {
  id: string;
  task_id?: string;
  object: 'task';
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  result?: OpenAI.Chat.Completions.ChatCompletion;
  error?: { message: string; type: string; code: string | null };
}

const body = { model: 'm', messages: [{ role: 'user', content: 'summarize this' }], temperature: 0 };

async function poll(client: OpenAI, id: string, until: (t: TaskView) => boolean): Promise<TaskView> {
  for (let i = 0; i < 200; i++) {
    const task = await client.get<TaskView>(`/tasks/${id}`);
    if (until(task)) return task;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`task ${id} never reached the state`);
}

const finished = (t: TaskView) => t.status === 'succeeded' || t.status === 'failed';

const stores: KeyValueStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

describe('async tasks: POST /v1/tasks and GET /v1/tasks/:id', () => {
  it('accepts a task with 202 and a task_id, runs it, and reports the completion', async () => {
    const engine = new ScriptedEngine('local', [{ chunks: ['a ', 'summary'], delayMs: 30 }]);
    const server = await apiServer(engine);
    const res = await fetch(`${server.url}/v1/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS[0]}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(202);
    const created = (await res.json()) as TaskView;
    expect(created.task_id).toMatch(/^task_[0-9a-f]{32}$/);
    expect(created.status).toBe('queued');

    const client = server.client();
    const running = await poll(client, created.task_id ?? '', (t) => t.status !== 'queued');
    expect(['running', 'succeeded']).toContain(running.status);
    const done = await poll(client, created.task_id ?? '', finished);
    expect(done.status).toBe('succeeded');
    expect(done.result?.object).toBe('chat.completion');
    expect(done.result?.choices[0]?.message.content).toBe('a summary');
    expect(engine.requests[0]).toMatchObject({
      temperature: 0,
      messages: [{ role: 'user', content: 'summarize this' }],
    });
  });

  it('records a failed generation in OpenAI’s error shape', async () => {
    const engine = new ScriptedEngine('local', [
      { chunks: [], error: new EngineError('bad_request', 'prompt too long') },
    ]);
    const server = await apiServer(engine);
    const client = server.client();
    const { task_id } = await client.post<TaskView>('/tasks', { body });
    const done = await poll(client, task_id ?? '', finished);
    expect(done.status).toBe('failed');
    expect(done.error).toMatchObject({
      message: 'prompt too long',
      type: 'invalid_request_error',
      code: 'bad_request',
    });
  });

  it('validates the body like chat completions and refuses stream', async () => {
    const server = await apiServer(new ScriptedEngine('local', [{}]));
    const client = server.client();
    const bad = await client.post('/tasks', { body: { messages: 'hi' } }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect((bad as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('messages');
    const streamed = await client
      .post('/tasks', { body: { ...body, stream: true } })
      .catch((e: unknown) => e);
    expect((streamed as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('stream');
  });

  it('shows a task only to the key that created it, 404s unknown ids and 400s ids that do not decode', async () => {
    const server = await apiServer(new ScriptedEngine('local', [{}]));
    const { task_id } = await server.client(KEYS[0]).post<TaskView>('/tasks', { body });
    const other = await server
      .client(KEYS[1])
      .get(`/tasks/${task_id}`)
      .catch((e: unknown) => e);
    expect(other).toBeInstanceOf(OpenAI.NotFoundError);
    const unknown = await server
      .client()
      .get('/tasks/task_nothing')
      .catch((e: unknown) => e);
    expect((unknown as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('task_not_found');
    const undecodable = await server
      .client()
      .get('/tasks/%ff')
      .catch((e: unknown) => e);
    expect(undecodable).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('refuses more tasks than the replica runs at once with 429 and Retry-After', async () => {
    const engine = new ScriptedEngine('local', [{ chunks: ['slow'], delayMs: 150 }]);
    const server = await apiServer(engine, { maxRunningTasks: 1 });
    const client = server.client();
    const { task_id } = await client.post<TaskView>('/tasks', { body });
    const refused = await client.post('/tasks', { body }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect((refused as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('too_many_tasks');
    expect((refused as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after')).toBe('5');
    await poll(client, task_id ?? '', finished);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const again = await client.post<TaskView>('/tasks', { body });
    expect(again.status).toBe('queued');
    expect((await poll(client, again.task_id ?? '', finished)).status).toBe('succeeded');
    expect(engine.calls).toBe(2);
  });

  it('marks running tasks failed when the API closes (shutdown)', async () => {
    const engine = new ScriptedEngine('local', [{ chunks: ['a', 'b', 'c'], delayMs: 200 }]);
    const server = await apiServer(engine);
    const client = server.client();
    const { task_id } = await client.post<TaskView>('/tasks', { body });
    await poll(client, task_id ?? '', (t) => t.status === 'running');
    await server.api.close();
    const done = await client.get<TaskView>(`/tasks/${task_id}`);
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('shutdown');
  });

  describe('across replicas sharing Redis', () => {
    const url = redisUrlForTests();
    const prefix = usePrefixes(url);

    it('lets another replica answer GET /v1/tasks/:id for a task this one runs', async () => {
      const shared = prefix();
      const kvA = new RedisKeyValueStore({ url, prefix: shared });
      const kvB = new RedisKeyValueStore({ url, prefix: shared });
      stores.push(kvA, kvB);
      const runner = new ScriptedEngine('local', [{ chunks: ['done on A'], delayMs: 20 }]);
      const idle = new ScriptedEngine('local', [{ chunks: ['never'] }]);
      const a = await apiServer(runner, { kv: kvA });
      const b = await apiServer(idle, { kv: kvB });
      const { task_id } = await a.client().post<TaskView>('/tasks', { body });
      const done = await poll(b.client(), task_id ?? '', finished);
      expect(done.result?.choices[0]?.message.content).toBe('done on A');
      expect([runner.calls, idle.calls]).toEqual([1, 0]);
      expect(await kvB.ttl(`api-task:${task_id}`)).toBeGreaterThan(50_000);
    });
  });
});
