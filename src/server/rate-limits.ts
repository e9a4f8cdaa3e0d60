import express, { type Request, type RequestHandler, type Router } from 'express';
import { ipKeyGenerator, type Options, rateLimit, type Store } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { type RedisReply, RedisStore } from 'rate-limit-redis';
import type { Logger } from '../log/logger.js';
import { RedisConnector } from '../storage/redis/connect.js';
import { parseWindow } from '../util/rate-window.js';
import { apiKeyId } from './api-key-id.js';
import type { MountedRouter } from './app.js';

export interface HttpLimitOptions {
  /** `<n>/<window>`, e.g. `60/minute`. */
  window: string;
  /** Counts in Redis (rate-limit-redis) when set, so every replica shares them; in memory otherwise. */
  redis?: Redis | undefined;
  /** Key prefix in Redis (e.g. `teambot:http:api:`). */
  prefix?: string;
  /** Where express-rate-limit reports store errors (default: the console). */
  logger?: Logger | undefined;
  /** When the store fails: `open` lets the request through (default), `closed` answers 503 with Retry-After. */
  failMode?: 'open' | 'closed';
  /**
   * API limiter only: the server's keys (API_KEYS). When given, only these get a budget of their own;
   * any other Bearer token counts by client address, so made-up keys cannot each get a fresh budget
   * (or a counter in Redis).
   */
  keys?: readonly string[];
}

function windowOf(text: string): { limit: number; windowMs: number } {
  const w = parseWindow(text);
  if (w === undefined) throw new Error(`rate limit window must be <n>/<window>, not ${JSON.stringify(text)}`);
  return { limit: w.limit, windowMs: w.periodMs };
}

function storeFor(options: HttpLimitOptions): Store | undefined {
  const redis = options.redis;
  if (redis === undefined) return undefined;
  return new RedisStore({
    prefix: options.prefix ?? 'teambot:http:',
    sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
  });
}

function common(options: HttpLimitOptions): Partial<Options> {
  const store = storeFor(options);
  return {
    ...windowOf(options.window),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    passOnStoreError: (options.failMode ?? 'open') === 'open',
    // Behind a proxy without `trust proxy` every request shares its address; the limits are coarse for that.
    validate: { xForwardedForHeader: false },
    ...(store === undefined ? {} : { store }),
    ...(options.logger === undefined ? {} : { logger: erlLogger(options.logger) }),
  };
}

function erlLogger(logger: Logger): NonNullable<Options['logger']> {
  return {
    error: (error, message) => logger.warn({ err: error }, `HTTP rate limits: ${message ?? 'store error'}`),
    warn: (error, message) => logger.warn({ err: error }, `HTTP rate limits: ${message ?? 'warning'}`),
  };
}

/** The Bearer token of a request, if any. */
function bearer(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  return match?.[1];
}

/**
 * The limiter's key for an API key: `key:` and the key's id (apiKeyId, the first 16 hex digits of
 * its SHA-256), so the raw key is never stored. The same key whether the limiter runs after the
 * API's key check (which leaves that id in `res.locals.apiKey.id`) or standalone on the Bearer token.
 * (Standalone it used to take 32 hex digits; the API router's limiter always used these 16.)
 */
export function apiKeyLimiterKey(key: string): string {
  return limiterKeyOfId(apiKeyId(key));
}

function limiterKeyOfId(id: string): string {
  return `key:${id}`;
}

/**
 * For the OpenAI-compatible API (/v1): one budget per API key, per client address for requests
 * without one. Inside the API router (its `keyLimiter`, after authentication) the key is the id the
 * key check left in `res.locals.apiKey.id`; standalone, the same id of the Bearer token. Over the limit: 429 with Retry-After and an OpenAI-style error body.
 */
export function apiKeyRateLimit(options: HttpLimitOptions): RequestHandler {
  const known = options.keys === undefined ? undefined : new Set(options.keys);
  return unavailableOnStoreError(
    rateLimit({
      ...common(options),
      keyGenerator: (req, res) => {
        // After the API's own key check, its non-secret key id names the budget.
        const checked = (res.locals.apiKey as { id?: unknown } | undefined)?.id;
        if (typeof checked === 'string') return limiterKeyOfId(checked);
        const key = bearer(req);
        const own = key !== undefined && (known === undefined || known.has(key));
        return own ? apiKeyLimiterKey(key) : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
      },
      handler: (req, res) => {
        const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
        const seconds =
          reset === undefined ? 60 : Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000));
        res.set('retry-after', String(seconds));
        res.status(429).json({
          error: {
            message: `Rate limit reached for this API key (${options.window}). Try again in ${seconds} s.`,
            type: 'rate_limit_exceeded',
            code: 'rate_limit_exceeded',
          },
        });
      },
    }),
  );
}

/**
 * Fail mode `closed`: express-rate-limit passes the store's error on (a 500); this answers 503
 * with Retry-After instead, which says what is going on and when to come back.
 */
function unavailableOnStoreError(limiter: RequestHandler): RequestHandler {
  return (req, res, next) =>
    limiter(req, res, (error?: unknown) => {
      if (error === undefined) return next();
      res.set('retry-after', '30');
      res.status(503).json({
        error: {
          message: 'Rate limits cannot be checked right now (their store is unreachable). Try again shortly.',
          type: 'server_error',
          code: 'rate_limits_unavailable',
        },
      });
    });
}

/** The platforms' webhook endpoints. */
export const WEBHOOK_PATHS = ['/slack/events', '/lark/events', '/lark/cards'];

/**
 * A coarse per-address limit for the webhooks. Slack's redeliveries (`X-Slack-Retry-Num`) are never
 * counted or refused; Lark's carry no marker before decryption and come at most 4 times per event
 * (15 s, 5 min, 1 h, 6 h), so they are counted like any request.
 */
export function webhookRateLimit(options: HttpLimitOptions): RequestHandler {
  return rateLimit({
    ...common(options),
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? 'unknown'),
    skip: (req) => req.get('x-slack-retry-num') !== undefined,
    handler: (_req, res) => {
      res.status(429).json({ error: 'rate_limited' });
    },
  });
}

/** Puts `limit` in front of every webhook router; other routers are returned as they are. */
export function limitWebhooks(routers: MountedRouter[], limit: RequestHandler): MountedRouter[] {
  return routers.map((mounted) => {
    if (!WEBHOOK_PATHS.includes(mounted.path)) return mounted;
    const router: Router = express.Router();
    router.use(limit, mounted.router);
    return { path: mounted.path, router };
  });
}

export interface HttpLimits {
  api: RequestHandler;
  webhook: RequestHandler;
  close(): Promise<void>;
}

/**
 * Both HTTP limiters from config, sharing one Redis connection (named `http-limits`) when REDIS_URL
 * is set: through the app's connector when given, else one made from REDIS_URL. Its errors are
 * logged by the connector; requests meanwhile follow the fail mode.
 */
export function createHttpLimits(config: {
  REDIS_URL?: string | undefined;
  redis?: RedisConnector | undefined;
  KV_PREFIX: string;
  API_RATE_LIMIT: string;
  API_KEYS: readonly string[];
  WEBHOOK_RATE_LIMIT: string;
  RATE_LIMIT_FAIL_MODE: 'open' | 'closed';
  logger: Logger;
}): HttpLimits {
  const connector =
    config.redis ??
    (config.REDIS_URL === undefined
      ? undefined
      : new RedisConnector(config.REDIS_URL, { logger: config.logger }));
  const redis: Redis | undefined = connector?.open('http-limits', {
    maxRetriesPerRequest: 1,
    commandTimeoutMs: 1_000,
  });
  const failMode = config.RATE_LIMIT_FAIL_MODE;
  return {
    api: apiKeyRateLimit({
      window: config.API_RATE_LIMIT,
      redis,
      prefix: `${config.KV_PREFIX}http:api:`,
      failMode,
      logger: config.logger,
    }),
    // A flood guard in front of signed deliveries, not a user's limit: it always fails open, so an
    // outage loses no message. The per-user limits in the pipeline apply the fail mode (and tell the user).
    webhook: webhookRateLimit({
      window: config.WEBHOOK_RATE_LIMIT,
      redis,
      prefix: `${config.KV_PREFIX}http:webhook:`,
      failMode: 'open',
      logger: config.logger,
    }),
    async close() {
      if (redis === undefined) return;
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
