import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Parses a JSON file named relative to the repository root. */
function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../../../../${path}`, import.meta.url), 'utf8'));
}

interface SlashCommand {
  command: string;
  url: string;
  description: string;
  usage_hint?: string;
}

interface Manifest {
  _metadata: { major_version: number };
  display_information: { name: string; description: string };
  features: {
    bot_user: { display_name: string };
    app_home: { messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean };
    assistant_view: {
      assistant_description: string;
      suggested_prompts: { title: string; message: string }[];
    };
    slash_commands: SlashCommand[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
}

interface SlackPermissions {
  commands: string[];
  botScopes: string[];
  events: string[];
  answerBots: boolean;
}

const manifest = readJson('slack/manifest.json') as unknown as Manifest;
const slack = (readJson('permissions.json').platforms as { slack: SlackPermissions }).slack;
const EVENTS_URL = 'https://YOUR-HOST/slack/events';

const sorted = (values: string[]): string[] => [...values].sort();

describe('slack/manifest.json', () => {
  it('uses a manifest schema version Slack supports', () => {
    expect([1, 2]).toContain(manifest._metadata.major_version);
  });

  it('asks for exactly the bot scopes permissions.json documents', () => {
    expect(sorted(manifest.oauth_config.scopes.bot)).toEqual(sorted(slack.botScopes));
    expect(new Set(slack.botScopes).size).toBe(slack.botScopes.length);
  });

  it('has exactly the slash commands permissions.json documents', () => {
    expect(sorted(manifest.features.slash_commands.map((c) => c.command))).toEqual(sorted(slack.commands));
  });

  it('subscribes to exactly the bot events permissions.json documents', () => {
    expect(sorted(manifest.settings.event_subscriptions.bot_events)).toEqual(sorted(slack.events));
    expect(new Set(slack.events).size).toBe(slack.events.length);
  });

  it('sends events, slash commands and interactivity to the one placeholder endpoint', () => {
    expect(manifest.settings.event_subscriptions.request_url).toBe(EVENTS_URL);
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: EVENTS_URL });
    for (const command of manifest.features.slash_commands) expect(command.url).toBe(EVENTS_URL);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('gives the slash commands their usage hints', () => {
    const hints = Object.fromEntries(manifest.features.slash_commands.map((c) => [c.command, c.usage_hint]));
    expect(hints).toEqual({
      '/ask': '<question>',
      '/teambot': 'help | reset | limits | whoami | stop | admin …',
      '/stop': undefined,
    });
  });

  it('has the scopes its features and events need', () => {
    const scopes = new Set(manifest.oauth_config.scopes.bot);
    const needs: Record<string, string> = {
      app_mention: 'app_mentions:read',
      'message.im': 'im:history',
      'message.channels': 'channels:history',
      'message.groups': 'groups:history',
      'message.mpim': 'mpim:history',
      assistant_thread_started: 'assistant:write',
      assistant_thread_context_changed: 'assistant:write',
      // Slack's native stop control of an agent session (the app declared an agent).
      agent_session_stopped: 'assistant:write',
    };
    for (const event of manifest.settings.event_subscriptions.bot_events) {
      expect(scopes.has(needs[event] ?? `unknown event ${event}`)).toBe(true);
    }
    expect(scopes.has('commands')).toBe(true);
    expect(scopes.has('chat:write')).toBe(true);
  });

  it('turns on the assistant pane (assistant:write requires it) and DMs', () => {
    const { assistant_view: view, app_home: home } = manifest.features;
    expect(view.assistant_description.length).toBeGreaterThan(0);
    expect(view.suggested_prompts.length).toBeGreaterThan(0);
    expect(view.suggested_prompts.length).toBeLessThanOrEqual(4);
    for (const prompt of view.suggested_prompts) {
      expect(prompt.title.length).toBeGreaterThan(0);
      expect(prompt.message.length).toBeGreaterThan(0);
    }
    expect(home.messages_tab_enabled).toBe(true);
    expect(home.messages_tab_read_only_enabled).toBe(false);
  });

  it('keeps within Slack’s length and character rules', () => {
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    expect(manifest.features.bot_user.display_name).toMatch(/^[a-z0-9._-]{1,80}$/);
    for (const command of manifest.features.slash_commands) {
      expect(command.command).toMatch(/^\/[a-z0-9_-]{1,31}$/);
      expect(command.description.length).toBeGreaterThan(0);
    }
  });
});

describe('permissions.json slack section', () => {
  it('does not answer other bots', () => {
    expect(slack.answerBots).toBe(false);
  });
});

describe('the assistant pane', () => {
  it("offers the manifest's suggested prompts when a thread starts", async () => {
    const { DEFAULT_SUGGESTED_PROMPTS } = await import('../../../../../src/bot/adapters/slack/options.js');
    const manifest = readJson('slack/manifest.json') as {
      features: { assistant_view: { suggested_prompts: { title: string; message: string }[] } };
    };
    expect(DEFAULT_SUGGESTED_PROMPTS).toEqual(manifest.features.assistant_view.suggested_prompts);
  });
});
