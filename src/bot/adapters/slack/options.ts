import type { Router } from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from '../../../log/logger.js';
import type { KeyValueStore } from '../../../storage/kv/types.js';
import type { SuggestedPrompt, SuggestedPromptsFor } from '../../assistant/suggested-prompts.js';
import type { FeedbackStore } from '../../feedback/types.js';
import type { Pipeline } from '../../pipeline/pipeline.js';
import type { ReplyResumer } from '../../turns/answer-place.js';
import type { StopSignals } from '../../turns/stop-signals.js';
import type { StreamLimits } from './reply/rolling-stream.js';

export type { SuggestedPrompt };

export interface SlackAdapterOptions {
  botToken: string;
  /** Required in HTTP mode (no `appToken`): every request's signature is checked with it. */
  signingSecret?: string;
  /** An `xapp-` token switches to Socket Mode (no public URL needed). */
  appToken?: string;
  /** Web API base URL (SLACK_API_URL); tests point it at a fake. Default https://slack.com/api/. */
  apiUrl?: string;
  pipeline: Pipeline;
  kv: KeyValueStore;
  logger: Logger;
  metrics: { registry: Registry };
  /** Answer messages other bots post (off by default: two bots answering each other never stop). */
  answerBots?: boolean;
  /** Used for file downloads and response_url posts (default: global fetch). */
  fetch?: typeof fetch;
  /** How long a thread the bot was mentioned in is followed without a new mention (default 7 days). */
  threadTtlMs?: number;
  /** Prompts shown when an assistant thread starts, by workspace and chat (default: the manifest's). */
  suggestedPrompts?: SuggestedPromptsFor;
  /** Status lines Slack rotates under an assistant thread while the model works (at most 10). */
  loadingMessages?: string[];
  /** Where Stop buttons and Slack's native stop control send their stops (default: this process). */
  stopSignals?: StopSignals;
  /** Where votes of the feedback buttons go; without it no feedback buttons are shown. */
  feedback?: FeedbackStore;
  /** When a native stream goes on in a new message (Slack's limits; tests lower the time). */
  streamLimits?: Partial<StreamLimits>;
  /** Least time between two edits or appends of a streamed answer (default 1000 ms). */
  streamIntervalMs?: number;
  /** How long `stop()` waits for acknowledged messages to reach the pipeline (default 2000 ms). */
  stopGraceMs?: number;
}

export interface SlackAdapter {
  /** HTTP mode only: mount at /slack/events (events, slash commands and interactivity). */
  router?: Router;
  mode: 'http' | 'socket';
  /** Checks the bot token (auth.test); in Socket Mode also opens the connection. */
  start(): Promise<void>;
  /**
   * Closes the Socket Mode connection and waits a little for acknowledged messages to reach the
   * pipeline; answers being generated are the pipeline's drain's to finish.
   */
  stop(): Promise<void>;
  /** A thread reply rebuilt from its handle on any replica (durable turns, docs/turns.md). */
  resumeReplier: ReplyResumer;
}

export const DEFAULT_THREAD_TTL_MS = 7 * 24 * 3600_000;
export const DEFAULT_STREAM_INTERVAL_MS = 1_000;
export const DEFAULT_STOP_GRACE_MS = 2_000;

export const DEFAULT_LOADING_MESSAGES: string[] = [
  'Reading your question…',
  'Thinking it over…',
  'Putting the answer together…',
];

/** The same prompts as slack/manifest.json's assistant_view (a test keeps them in step). */
export const DEFAULT_SUGGESTED_PROMPTS: SuggestedPrompt[] = [
  { title: 'Explain some code', message: 'Explain what this code does, step by step:' },
  { title: 'Draft a message', message: 'Help me write a short, friendly message to my team about' },
  { title: 'Summarise text', message: 'Summarise the following in five bullet points:' },
  { title: 'What can you do?', message: 'What can you help me with, and what are your limits?' },
];
