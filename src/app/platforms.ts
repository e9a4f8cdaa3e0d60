import { createSlackAdapter, type SlackAdapter } from '../bot/adapters/slack/index.js';
import type { MountedRouter } from '../server/app.js';
import { type AllPlatformSettings, readPlatformSettings } from './platform-settings.js';
import type { Runtime } from './runtime.js';

/** The chat platforms the config turns on: routes to mount, and their start/stop. */
export interface PlatformAdapters {
  /** Human-readable list, e.g. ["slack (http)"]. */
  names: string[];
  routers: MountedRouter[];
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
  });
}

export async function createPlatformAdapters(runtime: Runtime): Promise<PlatformAdapters> {
  const settings = await readPlatformSettings(runtime.config.PERMISSIONS_FILE);
  const slack = slackFrom(runtime, settings);
  const started: { name: string; stop(): Promise<void> }[] = [];
  return {
    names:
      slack === undefined ? [] : [`slack (${slack.mode === 'http' ? 'POST /slack/events' : 'Socket Mode'})`],
    routers: slack?.router === undefined ? [] : [{ path: '/slack/events', router: slack.router }],
    async start() {
      if (slack === undefined) return;
      try {
        await slack.start();
        started.push({ name: 'slack', stop: () => slack.stop() });
        runtime.logger.info({ mode: slack.mode }, 'slack adapter started');
      } catch (error) {
        runtime.logger.error(
          { err: error },
          'slack adapter failed to start; Slack messages are not answered',
        );
      }
    },
    async stop() {
      await Promise.allSettled(started.map((adapter) => adapter.stop()));
    },
  };
}
