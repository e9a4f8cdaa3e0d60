import { Router } from 'express';
import type { GenerateRequest, InferenceEngine } from '../../inference/types.js';
import type { Logger } from '../../log/logger.js';
import { apiKeyOf } from './auth.js';
import { requestBuilder } from './build-request.js';
import { collect } from './chat-route.js';
import { completionBody, completionId, nowSeconds } from './completion.js';
import { type ApiFailure, apiFailure, failureFor, sendFailure } from './errors.js';
import type { ImageLoading } from './images.js';
import { parseChatRequest, type RequestDefaults } from './schema.js';
import type { TaskRecord, TaskStore } from './task-store.js';

export interface TasksRouteOptions {
  engine: InferenceEngine;
  store: TaskStore;
  defaults: RequestDefaults;
  /** How image_url parts are loaded; unset: refused with a 400. */
  images?: ImageLoading;
  onReject: (failure: ApiFailure) => void;
  /** Tasks this replica runs at once; more are refused with 429 (default 32). */
  maxRunning?: number;
  logger?: Logger;
}

export interface TasksRoutes {
  router: Router;
  /** Stops the tasks this replica is running; they are recorded as failed. */
  close(): Promise<void>;
}

function view(record: TaskRecord) {
  const { owner: _owner, ...rest } = record;
  return { object: 'task', ...rest };
}

const storeDown = () =>
  apiFailure(503, 'The task store (KV) is unavailable; try again shortly.', {
    code: 'store_unavailable',
    retryAfterS: 5,
  });

/**
 * `POST /v1/tasks` (a chat-completions body) answers 202 `{task_id}` at once and runs the
 * generation on this replica; `GET /v1/tasks/:id` reads its state from the KV store.
 */
export function tasksRoutes(options: TasksRouteOptions): TasksRoutes {
  const { store, logger } = options;
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  const router = Router();
  const build = requestBuilder(options);

  const run = async (record: TaskRecord, request: GenerateRequest, signal: AbortSignal) => {
    let current = await store.update(record, { status: 'running' });
    try {
      const result = await collect(options.engine.generate(request, signal));
      if (signal.aborted) throw signal.reason;
      current = await store.update(current, {
        status: 'succeeded',
        result: completionBody(completionId(), nowSeconds(), result),
      });
    } catch (error) {
      const failure = signal.aborted
        ? apiFailure(503, 'The server shut down before the task finished; submit it again.', {
            code: 'shutdown',
          })
        : failureFor(error);
      await store.update(current, { status: 'failed', error: failure.body.error });
    }
  };

  router.post('/', async (req, res) => {
    const parsed = parseChatRequest(req.body);
    if (!parsed.ok) {
      options.onReject(parsed.failure);
      return sendFailure(res, parsed.failure);
    }
    if (parsed.value.stream === true) {
      const failure = apiFailure(
        400,
        'Tasks are not streamed; leave out stream or use /v1/chat/completions.',
        {
          param: 'stream',
          code: 'invalid_request',
        },
      );
      options.onReject(failure);
      return sendFailure(res, failure);
    }
    if (running.size >= (options.maxRunning ?? 32)) {
      const failure = apiFailure(429, 'This server runs as many tasks as it can; try again shortly.', {
        type: 'rate_limit_error',
        code: 'too_many_tasks',
        retryAfterS: 5,
        reason: 'busy',
      });
      options.onReject(failure);
      return sendFailure(res, failure);
    }
    // Images are loaded (and refused) before the task exists, so a bad one is a 400 here.
    const built = await build(parsed.value);
    if (!built.ok) {
      options.onReject(built.failure);
      return sendFailure(res, built.failure);
    }
    let record: TaskRecord;
    try {
      record = await store.create(apiKeyOf(res.locals).id);
    } catch (error) {
      logger?.warn({ err: error }, 'could not create an API task');
      const failure = storeDown();
      options.onReject(failure);
      return sendFailure(res, failure);
    }
    const controller = new AbortController();
    const { request } = built;
    const done = run(record, request, controller.signal)
      .catch((error: unknown) =>
        logger?.error({ err: error, task: record.id }, 'API task could not be recorded'),
      )
      .finally(() => running.delete(record.id));
    running.set(record.id, { controller, done });
    res.status(202).json({ task_id: record.id, ...view(record) });
  });

  router.get('/:id', async (req, res) => {
    let record: TaskRecord | undefined;
    try {
      record = await store.get(req.params.id);
    } catch (error) {
      logger?.warn({ err: error }, 'could not read an API task');
      return sendFailure(res, storeDown());
    }
    if (record === undefined || record.owner !== apiKeyOf(res.locals).id) {
      const failure = apiFailure(404, `No task ${req.params.id} (tasks expire after a while).`, {
        code: 'task_not_found',
        reason: 'not_found',
      });
      return sendFailure(res, failure);
    }
    res.json(view(record));
  });

  return {
    router,
    async close() {
      for (const task of running.values()) task.controller.abort(new Error('shutting down'));
      await Promise.allSettled([...running.values()].map((t) => t.done));
    },
  };
}
