import { type EventDispatcher, type HttpInstance, WSClient } from '@larksuiteoapi/node-sdk';
import type { Logger } from '../../../../log/logger.js';
import { sdkLogger, sdkLoggerLevel } from '../api/sdk-logger.js';
import { type ConnectionState, ConnectionWatch } from './watch.js';

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
  /**
   * A connection that sends nothing back (no pong, no frame) this long after a ping is dead: it is
   * cut and the client reconnects. Lark pings every PingInterval (its endpoint says, 120 s today).
   */
  silentAfterMs: number;
  /** A client not connected again within this long, or one that gave up, is replaced by a new one. */
  replaceAfterMs: number;
  /** Told when the connection opens (true) and when it drops or gives up (false). */
  onState?: (up: boolean) => void;
  /** Told when a dead client is replaced by a new one. */
  onReplaced?: (reason: 'gave_up' | 'down_too_long') => void;
}

export interface LongConnection {
  /** Resolves once the first WebSocket handshake succeeded; rejects after `timeoutMs` or when the SDK gives up. */
  open(): Promise<void>;
  close(): void;
  /** Where the connection stands now, and since when. */
  state(): ConnectionState;
}

/**
 * The SDK's long connection: WSClient asks `<base URL>/callback/ws/endpoint` for a WebSocket URL
 * (with the app id and secret), speaks Lark's protobuf frames there, hands each event to the
 * dispatcher and acks it with the handler's result. It reconnects by itself, and its liveness
 * watchdog (`pingTimeout`) cuts a connection that stays silent after a ping, which a half-open TCP
 * connection never reports by itself. On top of that a ConnectionWatch replaces the whole client
 * when it stays down too long or gives up reconnecting, so the app never ends deaf.
 */
export function longConnection(settings: LongConnectionSettings): LongConnection {
  if (!WS_APP_ID.test(settings.appId)) {
    throw new Error(
      `the Lark long connection needs an app id like cli_ and 16 hex digits, not ${settings.appId}`,
    );
  }
  const { log } = settings;
  let client: WSClient | undefined;
  const watch = new ConnectionWatch(settings.replaceAfterMs, (reason) => {
    log.warn({ reason }, 'the Lark long connection is dead; replacing its client');
    settings.onReplaced?.(reason);
    start(() => {});
  });

  function start(onFirst: (error?: Error) => void): void {
    client?.close({ force: true });
    let first = true;
    const settle = (error?: Error) => {
      if (!first) return;
      first = false;
      onFirst(error);
    };
    const down = () => {
      settings.onState?.(false);
      watch.down();
    };
    const up = () => {
      settings.onState?.(true);
      watch.up();
    };
    client = new WSClient({
      appId: settings.appId,
      appSecret: settings.appSecret,
      domain: settings.baseUrl,
      httpInstance: settings.httpInstance,
      logger: sdkLogger(log),
      loggerLevel: sdkLoggerLevel(log),
      autoReconnect: true,
      source: 'teambot',
      handshakeTimeoutMs: settings.timeoutMs,
      wsConfig: { pingTimeout: settings.silentAfterMs / 1000 },
      onReady: () => {
        up();
        settle();
      },
      onError: (error) => {
        down();
        if (first) return settle(error);
        log.error({ err: error }, 'the Lark long connection gave up reconnecting');
        watch.gaveUp();
      },
      onReconnecting: () => {
        down();
        log.warn('the Lark long connection dropped; reconnecting');
      },
      onReconnected: () => {
        up();
        log.info('the Lark long connection is back');
      },
    });
    client.start({ eventDispatcher: settings.dispatcher }).catch((error: unknown) => {
      down();
      settle(error instanceof Error ? error : new Error(String(error)));
    });
  }

  return {
    open() {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          done(new Error(`the Lark long connection did not open within ${settings.timeoutMs} ms`));
        }, settings.timeoutMs);
        const done = (error?: Error) => {
          clearTimeout(timer);
          if (error === undefined) {
            watch.start();
            resolve();
            return;
          }
          settings.onState?.(false);
          client?.close({ force: true });
          client = undefined;
          reject(error);
        };
        let settled = false;
        start((error) => {
          if (settled) return;
          settled = true;
          done(error);
        });
      });
    },
    close() {
      watch.stop();
      client?.close({ force: true });
      client = undefined;
    },
    state: () => watch.state(),
  };
}
