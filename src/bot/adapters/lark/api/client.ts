import { AppType, Client, DefaultCache, type HttpInstance } from '@larksuiteoapi/node-sdk';
import type { Logger } from '../../../../log/logger.js';
import { sdkLogger, sdkLoggerLevel } from './sdk-logger.js';

export interface ClientSettings {
  appId: string;
  appSecret: string;
  /** The OpenAPI base URL (larkBaseUrl). */
  baseUrl: string;
  httpInstance: HttpInstance;
  logger: Logger;
}

/**
 * The SDK's Client for a self-built app: it fetches and caches the tenant access token
 * (auth/v3/tenant_access_token/internal) and sends it with every call. The token cache is this
 * client's own, not the SDK's process-wide one, so two adapters (two apps, or a test's fakes)
 * never share a token.
 */
export function createSdkClient(settings: ClientSettings): Client {
  return new Client({
    appId: settings.appId,
    appSecret: settings.appSecret,
    appType: AppType.SelfBuild,
    domain: settings.baseUrl,
    httpInstance: settings.httpInstance,
    cache: new DefaultCache(),
    logger: sdkLogger(settings.logger),
    loggerLevel: sdkLoggerLevel(settings.logger),
    source: 'teambot',
  });
}
