import { createLarkAdapter, type LarkAdapter } from '../bot/adapters/lark/index.js';
import {
  createSlackAdapter,
  DEFAULT_SUGGESTED_PROMPTS,
  type SlackAdapter,
} from '../bot/adapters/slack/index.js';
import type { MountedRouter } from '../server/app.js';
import type { ReadinessCheck } from '../server/readiness.js';
import { type AllPlatformSettings, readPlatformSettings } from './platform-settings.js';
import type { Runtime } from './runtime.js';

/** The chat platforms the config turns on: routes to mount, and their start/stop. */
export interface PlatformAdapters {
  /** Human-readable list, e.g. ["slack (http)"]. */
  names: string[];
  routers: MountedRouter[];
  /** Their parts of GET /ready (the Lark long connection: `lark`). */
  readinessChecks: Record<string, ReadinessCheck>;
  /** Starts each adapter; one that fails is logged and left off, the server keeps running. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

function slackFrom(runtime: Runtime, settings: AllPlatformSettings): SlackAdapter | undefined {
  const { config } = runtime;
  if (config.SLACK_BOT_TOKEN === undefined) return undefined;
  return createSlackAdapter({
    answerBots: settings.slack.answerBots,
    botToken: config.SLACK_BOT_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET,
    appToken: config.SLACK_APP_TOKEN,
    apiUrl: config.SLACK_API_URL,
    pipeline: runtime.bot.pipeline,
    kv: runtime.kv,
    logger: runtime.logger.child({ platform: 'slack' }),
    metrics: runtime.metrics,
    stopSignals: runtime.stopSignals,
    feedback: runtime.feedback,
    suggestedPrompts: runtime.suggestedPrompts(DEFAULT_SUGGESTED_PROMPTS),
  });
}

function larkFrom(runtime: Runtime, settings: AllPlatformSettings): LarkAdapter | undefined {
  const { config } = runtime;
  if (config.LARK_APP_ID === undefined || config.LARK_APP_SECRET === undefined) return undefined;
  return createLarkAdapter({
    appId: config.LARK_APP_ID,
    appSecret: config.LARK_APP_SECRET,
    encryptKey: config.LARK_ENCRYPT_KEY,
    verificationToken: config.LARK_VERIFICATION_TOKEN,
    domain: config.LARK_DOMAIN,
    mode: config.LARK_MODE,
    answerBots: settings.lark.answerBots,
    mentionRequired: async (chat) => (await runtime.channels.forChat(chat)).mentionRequired,
    answerOrigin: () => {
      const info = runtime.engine.info();
      return { model: info.model, backend: info.name };
    },
    pipeline: runtime.bot.pipeline,
    stopSignals: runtime.stopSignals,
    feedback: runtime.feedback,
    kv: runtime.kv,
    logger: runtime.logger.child({ platform: 'lark' }),
    metrics: runtime.metrics,
  });
}

interface Startable {
  name: string;
  mode: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createPlatformAdapters(runtime: Runtime): Promise<PlatformAdapters> {
  const settings = await readPlatformSettings(runtime.config.PERMISSIONS_FILE);
  const slack = slackFrom(runtime, settings);
  const lark = larkFrom(runtime, settings);
  const adapters: Startable[] = [];
  const names: string[] = [];
  const routers: MountedRouter[] = [];
  const readinessChecks: Record<string, ReadinessCheck> = {};
  if (slack !== undefined) {
    runtime.turns.resumers.set('slack', slack.resumeReplier);
    adapters.push({ name: 'slack', mode: slack.mode, start: () => slack.start(), stop: () => slack.stop() });
    names.push(`slack (${slack.mode === 'http' ? 'POST /slack/events' : 'Socket Mode'})`);
    if (slack.router !== undefined) routers.push({ path: '/slack/events', router: slack.router });
  }
  if (lark !== undefined) {
    runtime.turns.resumers.set('lark', lark.resumeReplier);
    adapters.push({ name: 'lark', mode: lark.mode, start: () => lark.start(), stop: () => lark.stop() });
    names.push(`lark (${lark.mode === 'webhook' ? 'POST /lark/events' : 'long connection'})`);
    routers.push(...lark.routers);
    if (lark.mode === 'ws') readinessChecks.lark = async () => lark.readiness();
  }
  const started: Startable[] = [];
  return {
    names,
    routers,
    readinessChecks,
    async start() {
      for (const adapter of adapters) {
        try {
          await adapter.start();
          started.push(adapter);
          runtime.logger.info({ mode: adapter.mode }, `${adapter.name} adapter started`);
        } catch (error) {
          runtime.logger.error(
            { err: error },
            `${adapter.name} adapter failed to start; its messages are not answered`,
          );
        }
      }
    },
    async stop() {
      await Promise.allSettled(started.map((adapter) => adapter.stop()));
    },
  };
}
