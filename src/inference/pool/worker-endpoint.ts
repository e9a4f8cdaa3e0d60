import { errorMessage } from '../../util/error-message.js';
import { OpenAICompatibleEngine } from '../openai/engine.js';
import type { EngineLoad } from '../types.js';

export interface EndpointOptions {
  /** The worker's root (`http://w1:3001`), or an OpenAI-compatible base ending in /v1 (vLLM). */
  url: string;
  apiKey?: string;
  timeoutMs: number;
  contextLength: number;
  fetch?: typeof fetch;
}

/** One inference worker as a gateway sees it: its API, its health and its load. */
export class WorkerEndpoint {
  readonly root: string;
  readonly engine: OpenAICompatibleEngine;
  /** Down until a health check passes (checked at start and then every interval). */
  healthy = false;
  /** Why the last check failed, for /ready and the logs. */
  problem = 'not checked yet';
  /** Requests this gateway has running on it right now. */
  inFlight = 0;
  private reported: EngineLoad | undefined;
  /** The worker's model looks at images (its /load says so; servers without /load: no). */
  sees = false;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: EndpointOptions) {
    this.root = options.url.replace(/\/+$/, '').replace(/\/v1$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
    this.engine = new OpenAICompatibleEngine({
      baseUrl: `${this.root}/v1`,
      apiKey: options.apiKey,
      timeoutMs: options.timeoutMs,
      contextLength: options.contextLength,
      fetch: options.fetch,
      // Images are sent (as data: URLs) only when the pool sees, i.e. every healthy worker does.
      vision: true,
    });
  }

  /** GET /health, then GET /load (a server without it, such as vLLM, is weighed by in-flight requests). */
  async check(timeoutMs: number): Promise<void> {
    try {
      const health = await this.get('/health', timeoutMs);
      if (!health.ok) throw new Error(`/health answered ${health.status}`);
      const load = await this.get('/load', timeoutMs);
      const report = load.ok ? ((await load.json()) as EngineLoad & { vision?: unknown }) : undefined;
      this.reported = report;
      this.sees = report?.vision === true;
      if (!this.healthy) this.problem = '';
      this.healthy = true;
    } catch (error) {
      this.markDown(error);
    }
  }

  markDown(error: unknown): void {
    this.healthy = false;
    this.reported = undefined;
    this.sees = false;
    this.problem = errorMessage(error);
  }

  /** The last load the worker reported, if it reports one. */
  load(): EngineLoad | undefined {
    return this.reported;
  }

  /**
   * Lower is better: the share of its rows in use (running plus waiting over capacity), never less
   * than what this gateway itself has sent it since (reports lag behind by up to one interval).
   */
  score(): number {
    const load = this.reported;
    if (load === undefined) return this.inFlight;
    const capacity = Math.max(1, load.capacity);
    return Math.max(load.running + load.waiting, this.inFlight) / capacity;
  }

  private async get(path: string, timeoutMs: number): Promise<Response> {
    const headers: Record<string, string> =
      this.options.apiKey === undefined ? {} : { authorization: `Bearer ${this.options.apiKey}` };
    const response = await this.fetch(`${this.root}${path}`, {
      headers,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) await response.body?.cancel();
    return response;
  }
}
