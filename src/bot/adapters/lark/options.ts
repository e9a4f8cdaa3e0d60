import type { Router } from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from '../../../log/logger.js';
import type { KeyValueStore } from '../../../storage/kv/types.js';
import type { ChannelRef } from '../../channels/types.js';
import type { FeedbackStore } from '../../feedback/types.js';
import type { Pipeline } from '../../pipeline/pipeline.js';
import type { ReplyResumer } from '../../turns/answer-place.js';
import type { StopSignals } from '../../turns/stop-signals.js';
import type { AnswerOrigin } from './format/index.js';

export interface LarkAdapterOptions {
  appId: string;
  appSecret: string;
  /** Webhook mode: decrypts bodies and checks `X-Lark-Signature`. Set it in the console too. */
  encryptKey?: string;
  /** Webhook mode: every event's `token` must equal it. */
  verificationToken?: string;
  /** `feishu` (default), `lark`, or the OpenAPI base URL itself (tests point it at a fake). */
  domain?: string;
  /** `ws`: the SDK's long connection (no public URL); `webhook`: POST /lark/events and /lark/cards. */
  mode: 'ws' | 'webhook';
  pipeline: Pipeline;
  kv: KeyValueStore;
  logger: Logger;
  metrics: { registry: Registry };
  /** Stop buttons on streaming answers stop them through this (none without it). */
  stopSignals?: StopSignals;
  /** 👍 / 👎 under each complete answer record votes here (none without it). */
  feedback?: FeedbackStore;
  /**
   * Whether a group chat's messages must mention the bot (its channel settings); default: they must.
   * Lark delivers unmentioned group messages only to apps with the im:message.group_msg scope.
   */
  mentionRequired?: (chat: ChannelRef) => Promise<boolean>;
  /** What answers come from, for the votes (default: `unknown`). */
  answerOrigin?: () => AnswerOrigin;
  /** Answer messages other bots send (off by default: two bots answering each other never stop). */
  answerBots?: boolean;
  /** Every OpenAPI call, the long connection's endpoint lookup and media downloads (default: global fetch). */
  fetch?: typeof fetch;
  /** The clock for the age of messages (default Date.now). */
  now?: () => number;
  /** Least time between two CardKit operations on one streaming card (default 120 ms: under ~10/s). */
  streamIntervalMs?: number;
  /** Least time between two patches of one fallback card (default 250 ms: under 5/s). */
  patchIntervalMs?: number;
  /** Messages older than this are dropped (replays after a reconnect); default 30 minutes. */
  staleAfterMs?: number;
  /** How long an event id is remembered (default 12 hours, past Lark's last retry after 6 hours). */
  eventTtlMs?: number;
  /** Largest attachment `open()` reads before failing (default 50 MB). */
  maxAttachmentBytes?: number;
  /** Wait before retrying a failed call: n × this (default 300 ms). */
  retryDelayMs?: number;
  /** How long `start()` waits for the long connection (default 15 s). */
  connectTimeoutMs?: number;
  /** How long `stop()` waits for acknowledged events to reach the pipeline (default 2 s). */
  stopGraceMs?: number;
  /**
   * ws mode: no pong or frame this long after a ping and the connection is cut and redone (default
   * 30 s). Keep it below Lark's ping interval (120 s): the SDK restarts its watchdog at every ping.
   */
  silentAfterMs?: number;
  /** ws mode: a client down this long, or one that gave up, is replaced by a new one (default 60 s). */
  replaceAfterMs?: number;
}

/** The adapter's part of GET /ready: in ws mode, whether the long connection is open. */
export interface LarkReadiness {
  ok: boolean;
  detail: string;
}

export interface MountedLarkRouter {
  path: string;
  router: Router;
}

export interface LarkAdapter {
  mode: 'ws' | 'webhook';
  /** Webhook mode: /lark/events (events) and /lark/cards (card actions); none in ws mode. */
  routers: MountedLarkRouter[];
  /** Reads the bot's identity (bot/v3/info); in ws mode also opens the long connection. */
  start(): Promise<void>;
  /** Closes the long connection and waits a little for acknowledged events to reach the pipeline. */
  stop(): Promise<void>;
  /** ws mode: the long connection's state (not ok while it is down); webhook mode: always ok. */
  readiness(): LarkReadiness;
  /** A reply rebuilt from its handle on any replica (durable turns, docs/turns.md). */
  resumeReplier: ReplyResumer;
}

export const DEFAULT_STREAM_INTERVAL_MS = 120;
export const DEFAULT_PATCH_INTERVAL_MS = 250;
export const DEFAULT_STALE_AFTER_MS = 30 * 60_000;
export const DEFAULT_EVENT_TTL_MS = 12 * 3600_000;
export const DEFAULT_MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;
export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
export const DEFAULT_STOP_GRACE_MS = 2_000;
export const DEFAULT_SILENT_AFTER_MS = 30_000;
export const DEFAULT_REPLACE_AFTER_MS = 60_000;
