import { type Config, configSchema } from './schema.js';

/** Start-up stops with one line per problem; no stack trace. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return checkCombinations(parsed.data);
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '(environment)');
    const raw = env[name];
    const got =
      raw === undefined ? '' : `, got ${JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw)}`;
    return `${name}: ${issue.message}${got}`;
  });
  throw new ConfigError(problems);
}

function checkCombinations(config: Config): Config {
  const problems: string[] = [];
  if (
    config.SLACK_BOT_TOKEN !== undefined &&
    config.SLACK_SIGNING_SECRET === undefined &&
    config.SLACK_APP_TOKEN === undefined
  ) {
    problems.push(
      'SLACK_SIGNING_SECRET: expected a value when SLACK_BOT_TOKEN is set (or SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  if (
    config.SLACK_BOT_TOKEN === undefined &&
    (config.SLACK_APP_TOKEN ?? config.SLACK_SIGNING_SECRET) !== undefined
  ) {
    problems.push('SLACK_BOT_TOKEN: expected a value when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set');
  }
  if ((config.LARK_APP_ID === undefined) !== (config.LARK_APP_SECRET === undefined)) {
    problems.push('LARK_APP_SECRET: LARK_APP_ID and LARK_APP_SECRET must be set together');
  }
  if (
    config.LARK_APP_ID !== undefined &&
    config.LARK_MODE === 'webhook' &&
    config.LARK_ENCRYPT_KEY === undefined &&
    config.LARK_VERIFICATION_TOKEN === undefined
  ) {
    problems.push(
      'LARK_VERIFICATION_TOKEN: expected a value (or LARK_ENCRYPT_KEY) when LARK_MODE=webhook, so events can be verified',
    );
  }
  if (config.ENGINE_CHAIN.includes('remote') && config.OPENAI_BASE_URL === undefined) {
    problems.push('OPENAI_BASE_URL: expected a value when ENGINE_CHAIN names remote');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
