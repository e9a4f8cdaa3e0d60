import { type EventDispatcher, type HttpInstance, WSClient } from '@larksuiteoapi/node-sdk';
import type { Logger } from '../../../../log/logger.js';
import { sdkLogger, sdkLoggerLevel } from '../api/sdk-logger.js';

/** The SDK's WSClient accepts only app ids of this shape and otherwise silently does nothing. */
export const WS_APP_ID = /^cli_[0-9a-fA-F]{16}$/;

export interface LongConnectionSettings {
  appId: string;
  appSecret: string;
  baseUrl: string;
  httpInstance: HttpInstance;
  dispatcher: EventDispatcher;
  log: Logger;
  timeoutMs: number;
  /** Told when the connection opens (true) and when it drops or gives up (false). */
  onState?: (up: boolean) => void;
}

export interface LongConnection {
  /** Resolves once the first WebSocket handshake succeeded; rejects after `timeoutMs` or when the SDK gives up. */
  open(): Promise<void>;
  close(): void;
}

/**
 * The SDK's long connection: WSClient asks `<base URL>/callback/ws/endpoint` for a WebSocket URL
 * (with the app id and secret), speaks Lark's protobuf frames there, hands each event to the
 * dispatcher and acks it with the handler's result. It reconnects by itself.
 */
export function longConnection(settings: LongConnectionSettings): LongConnection {
  if (!WS_APP_ID.test(settings.appId)) {
    throw new Error(
      `the Lark long connection needs an app id like cli_ and 16 hex digits, not ${settings.appId}`,
    );
  }
  const { log } = settings;
  let client: WSClient | undefined;
  return {
    open() {
      return new Promise<void>((resolve, reject) => {
        let settled = false;
        const fail = (error: Error) => {
          settings.onState?.(false);
          if (settled) {
            log.error({ err: error }, 'the Lark long connection gave up reconnecting');
            return;
          }
          settled = true;
          clearTimeout(timer);
          client?.close({ force: true });
          client = undefined;
          reject(error);
        };
        const timer = setTimeout(
          () => fail(new Error(`the Lark long connection did not open within ${settings.timeoutMs} ms`)),
          settings.timeoutMs,
        );
        client = new WSClient({
          appId: settings.appId,
          appSecret: settings.appSecret,
          domain: settings.baseUrl,
          httpInstance: settings.httpInstance,
          logger: sdkLogger(log),
          loggerLevel: sdkLoggerLevel(log),
          autoReconnect: true,
          source: 'teambot',
          onReady: () => {
            settings.onState?.(true);
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve();
          },
          onError: fail,
          onReconnecting: () => {
            settings.onState?.(false);
            log.warn('the Lark long connection dropped; reconnecting');
          },
          onReconnected: () => {
            settings.onState?.(true);
            log.info('the Lark long connection is back');
          },
        });
        client.start({ eventDispatcher: settings.dispatcher }).catch(fail);
      });
    },
    close() {
      client?.close({ force: true });
      client = undefined;
    },
  };
}
