import { type Config, SECRET_SETTINGS } from './schema.js';

/** Environment variables read by SDKs directly (not through the config) that hold secrets. */
const SDK_SECRET_ENV = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;

/**
 * Every secret value teambot knows about, for the logger's by-value scrubbing:
 * the SECRET_SETTINGS, the API keys, a password inside REDIS_URL and the AWS
 * SDK's secret variables. Unset values are left out.
 */
export function configSecrets(
  config: Partial<Config>,
  env: Record<string, string | undefined> = process.env,
): string[] {
  const values: Array<string | undefined> = SECRET_SETTINGS.map((name) => config[name]);
  values.push(...(config.API_KEYS ?? []));
  values.push(urlPassword(config.REDIS_URL));
  for (const name of SDK_SECRET_ENV) values.push(env[name]);
  return values.filter((v): v is string => v !== undefined && v !== '');
}

function urlPassword(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const password = new URL(value).password;
    return password === '' ? undefined : decodeURIComponent(password);
  } catch {
    return undefined;
  }
}
