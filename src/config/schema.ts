import { z } from 'zod';
import { parseWindow, WINDOW_HELP } from '../util/rate-window.js';
import { DTYPES } from './dtypes.js';

/** Empty strings count as unset, so `FOO=` in an env file does not become a bad value. */
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const int = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: `expected an integer between ${min} and ${max}` })
    .int({ error: `expected an integer between ${min} and ${max}` })
    .min(min, { error: `expected an integer between ${min} and ${max}` })
    .max(max, { error: `expected an integer between ${min} and ${max}` })
    .default(fallback);

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = (protocols: string[]) =>
  optionalString.refine(
    (v) => {
      if (v === undefined) return true;
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { error: `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

const list = optionalString.transform((v) =>
  v === undefined
    ? []
    : v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
);

const rateWindow = (fallback: string) =>
  z
    .string()
    .trim()
    .refine((v) => parseWindow(v) !== undefined, { error: `expected ${WINDOW_HELP}` })
    .default(fallback);

/**
 * Every setting teambot reads from the environment. Names are part of the
 * public surface (README's configuration table, Docker, other issues).
 */
export const configSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], { error: 'expected development, production or test' })
    .default('production'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'expected one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty'], { error: 'expected auto, json or pretty' }).default('auto'),

  PORT: int(0, 65535, 3000),
  HOST: z.string().trim().min(1, { error: 'expected a host name or address' }).default('127.0.0.1'),
  PUBLIC_URL: url(['http:', 'https:']),
  DATA_DIR: z.string().trim().min(1, { error: 'expected a directory path' }).default('./data'),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000, 10_000),

  REDIS_URL: url(['redis:', 'rediss:', 'unix:']),
  KV_PREFIX: z.string().default('teambot:'),

  MODEL: optionalString,
  HF_ENDPOINT: url(['http:', 'https:']),
  HF_TOKEN: optionalString,
  MODELS_DIR: z.string().trim().min(1, { error: 'expected a directory path' }).default('./models'),
  MODEL_DTYPE: z
    .enum(['auto', ...DTYPES], { error: `expected auto or one of ${DTYPES.join(', ')}` })
    .default('auto'),
  INFERENCE_THREADS: int(0, 1024, 0),
  INFERENCE_SPIN: bool(true),
  BATCH_MAX_SIZE: int(1, 256, 16),
  BATCH_MAX_WAITING: int(0, 100_000, 64),
  BATCH_MAX_TOKENS_IN_FLIGHT: int(1, 100_000_000, 65_536),
  BATCH_PER_USER_MAX: int(0, 256, 4),
  VISION_VIDEO_TOKENS: int(16, 1_000_000, 1536),
  /** Host memory the local engine's prefix cache may hold (KV of earlier requests); 0 turns it off. */
  PREFIX_CACHE_BYTES: int(0, Number.MAX_SAFE_INTEGER, 1024 * 1024 * 1024),
  INFERENCE_DEVICE: z
    .enum(['auto', 'cuda', 'webgpu', 'cpu'], { error: 'expected auto, cuda, webgpu or cpu' })
    .default('auto'),
  OPENAI_BASE_URL: url(['http:', 'https:']),
  OPENAI_API_KEY: optionalString,
  OPENAI_MODEL: optionalString,
  /** The OpenAI-compatible backend looks at images (a vision-language model: vLLM VL, Kimi, Gemini, Ollama). */
  OPENAI_VISION: bool(false),
  /** How images reach it: `data` URLs inline, or `url` (presigned links to the stored copies). */
  OPENAI_IMAGE_TRANSPORT: z.enum(['data', 'url'], { error: 'expected data or url' }).default('data'),
  /** How long a presigned image link works (OPENAI_IMAGE_TRANSPORT=url). */
  OPENAI_IMAGE_URL_TTL_S: int(60, 604_800, 900),
  INFERENCE_TIMEOUT_MS: int(1_000, 3_600_000, 120_000),
  CONTEXT_LENGTH: int(256, 10_000_000, 8192),
  MAX_NEW_TOKENS: int(1, 1_000_000, 512),
  TEMPERATURE: z.coerce
    .number({ error: 'expected a number between 0 and 2' })
    .min(0, { error: 'expected a number between 0 and 2' })
    .max(2, { error: 'expected a number between 0 and 2' })
    .default(0.7),
  SYSTEM_PROMPT: z.string().default('You are teambot, a helpful assistant in a team chat. Answer concisely.'),
  /** Chat ids (channels, groups, DMs) where reasoning models think before answering; /think does it once. */
  THINKING_CHANNELS: list,

  HISTORY_MAX_TURNS: int(0, 1000, 40),
  HISTORY_TTL_HOURS: int(1, 24 * 365, 24 * 7),
  DEDUP_TTL_HOURS: int(1, 24 * 7, 12),

  /** Durable turns (docs/turns.md): how a conversation's messages become turns, and the queue's timing. */
  TURN_BURST_WINDOW_MS: int(0, 60_000, 1_500),
  TURN_BURST_MAX: int(1, 8, 8),
  TURN_STRATEGY: z
    .enum(['queue', 'merge', 'interrupt'], { error: 'expected queue, merge or interrupt' })
    .default('queue'),
  TURN_QUEUE_PREFIX: z.string().trim().min(1).default('teambot'),
  TURN_LOCK_MS: int(1_000, 600_000, 15_000),
  TURN_MAX_RECOVERIES: int(0, 100, 2),
  TURN_CONCURRENCY: int(1, 1_000, 32),
  TURN_KEEP_DONE_S: int(0, 30 * 86_400, 3_600),
  TURN_KEEP_FAILED_S: int(60, 90 * 86_400, 7 * 86_400),

  PERMISSIONS_FILE: z.string().default('./permissions.json'),
  RATE_LIMIT_FAIL_MODE: z.enum(['open', 'closed'], { error: 'expected open or closed' }).default('open'),
  WEBHOOK_RATE_LIMIT: rateWindow('6000/minute'),
  API_RATE_LIMIT: rateWindow('60/minute'),
  API_KEYS: list,
  API_TASK_TTL_S: int(60, 30 * 86_400, 86_400),
  API_TASKS_MAX_RUNNING: int(1, 10_000, 32),

  ENGINE_CHAIN: list.refine(
    (names) => names.every((n) => n === 'local' || n === 'remote') && new Set(names).size === names.length,
    { error: 'expected local, remote, local,remote or remote,local' },
  ),
  ENGINE_RETRY_BASE_MS: int(1, 60_000, 250),
  INFERENCE_THREAD: bool(true),
  INFERENCE_THREAD_NICE: int(0, 19, 10),
  ENGINE_URLS: list.refine(
    (urls) =>
      urls.every((u) => {
        try {
          return ['http:', 'https:'].includes(new URL(u).protocol);
        } catch {
          return false;
        }
      }),
    {
      error: 'expected comma-separated http(s) URLs of inference workers, e.g. http://w1:3001,http://w2:3001',
    },
  ),
  ENGINE_API_KEY: optionalString,
  ENGINE_HEALTH_INTERVAL_MS: int(100, 600_000, 2_000),
  /** How long a request waits for an inference worker to come back when none is healthy (0: fail at once). */
  ENGINE_WAIT_MS: int(0, 600_000, 15_000),
  ENGINE_BREAKER_THRESHOLD: int(1, 1000, 5),
  ENGINE_BREAKER_HALF_OPEN_MS: int(100, 3_600_000, 30_000),
  RESPONSE_CACHE: bool(true),
  RESPONSE_CACHE_TTL_S: int(1, 30 * 86_400, 3600),
  RESPONSE_CACHE_MAX_ENTRIES: int(0, 1_000_000, 1000),

  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: url(['http:', 'https:']),

  LARK_APP_ID: optionalString,
  LARK_APP_SECRET: optionalString,
  LARK_ENCRYPT_KEY: optionalString,
  LARK_VERIFICATION_TOKEN: optionalString,
  LARK_DOMAIN: optionalString.refine(
    (v) => v === undefined || v === 'feishu' || v === 'lark' || /^https?:\/\/\S+$/.test(v),
    { error: 'expected feishu, lark or a base URL' },
  ),
  LARK_MODE: z.enum(['ws', 'webhook'], { error: 'expected ws or webhook' }).default('ws'),

  S3_BUCKET: optionalString,
  S3_ENDPOINT: url(['http:', 'https:']),
  S3_REGION: optionalString,
  S3_FORCE_PATH_STYLE: bool(false),
  S3_PUBLIC_ENDPOINT: url(['http:', 'https:']),
  S3_MAX_ATTEMPTS: int(1, 20, 3),
  URL_SIGNING_SECRET: optionalString,

  MEDIA_MAX_IMAGE_MB: int(1, 1024, 20),
  MEDIA_MAX_VIDEO_MB: int(1, 10_240, 200),
  MEDIA_MAX_AUDIO_MB: int(1, 10_240, 50),
  MEDIA_MAX_FILE_MB: int(1, 10_240, 50),
  MEDIA_MAX_IMAGE_MEGAPIXELS: int(1, 1000, 50),
  MEDIA_MAX_VIDEO_SECONDS: int(1, 86_400, 600),
  MEDIA_KEYFRAMES_MAX: int(1, 600, 30),
  MEDIA_FFMPEG_TIMEOUT_MS: int(1_000, 3_600_000, 120_000),
  MEDIA_URL_TTL_SECONDS: int(60, 604_800, 86_400),
  FFMPEG_PATH: optionalString,
  FFPROBE_PATH: optionalString,

  // OpenTelemetry tracing (the standard variables; off unless an OTLP endpoint is set).
  OTEL_SDK_DISABLED: bool(false),
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'none'], { error: 'expected otlp or none' }).default('otlp'),
  OTEL_EXPORTER_OTLP_ENDPOINT: url(['http:', 'https:']),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url(['http:', 'https:']),
  OTEL_EXPORTER_OTLP_HEADERS: optionalString,
  OTEL_SERVICE_NAME: optionalString,
  OTEL_TRACES_SAMPLER_ARG: z.coerce
    .number({ error: 'expected a sampling ratio between 0 and 1' })
    .min(0, { error: 'expected a sampling ratio between 0 and 1' })
    .max(1, { error: 'expected a sampling ratio between 0 and 1' })
    .default(1),

  OCR_MAX_SIDE: int(320, 4096, 960),
  OCR_IMAGE_REPLY: bool(true),
  OCR_PROMPT_MAX_CHARS: int(200, 100_000, 4000),

  /** With an engine that sees, also give it the OCR text of images and keyframes. */
  VISION_WITH_OCR: bool(false),
  /** Earlier images (and keyframes) of a thread reloaded into a later question's prompt; 0: none. */
  VISION_HISTORY_IMAGES: int(0, 256, 8),
  /** /v1 image_url fetches may reach private, loopback and link-local addresses (never in production). */
  API_IMAGE_FETCH_ALLOW_PRIVATE: bool(false),
  API_IMAGE_FETCH_TIMEOUT_MS: int(500, 120_000, 10_000),
  API_IMAGE_FETCH_MAX_REDIRECTS: int(0, 10, 3),
  /** Images one /v1 request may carry (data: and http(s) URLs together). */
  API_IMAGES_MAX: int(1, 64, 8),
});

export type Config = z.infer<typeof configSchema>;

/** Settings whose values must never reach a log line. */
export const SECRET_SETTINGS = [
  'OPENAI_API_KEY',
  'ENGINE_API_KEY',
  'HF_TOKEN',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'LARK_APP_SECRET',
  'LARK_ENCRYPT_KEY',
  'LARK_VERIFICATION_TOKEN',
  'URL_SIGNING_SECRET',
  'OTEL_EXPORTER_OTLP_HEADERS',
] as const satisfies readonly (keyof Config)[];
