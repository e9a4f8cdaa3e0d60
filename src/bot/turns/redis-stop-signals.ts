import type { Redis } from 'ioredis';
import type { Logger } from '../../log/logger.js';
import type { RedisConnector } from '../../storage/redis/connect.js';
import { LocalStopSignals } from './local-stop-signals.js';
import type { RunningTurn, StopRequest, StopSignals, TurnRegistration } from './stop-signals.js';

type Target = Pick<RunningTurn, 'platform' | 'workspace' | 'chat' | 'userId'>;

/** One stop request on the wire. */
type StopMessage =
  | { kind: 'conversation'; conversation: string; by: string }
  | { kind: 'user'; target: Target; by: string };

/**
 * Stops for every replica: a request is published on `<prefix>:stops` (Redis pub/sub) and each
 * replica, this one included, stops its matching answers through its LocalStopSignals. It is
 * applied here at once as well, so a stop works on this replica while Redis is down. Pub/sub
 * delivers within milliseconds; a replica that is disconnected at that moment misses it.
 */
export class RedisStopSignals implements StopSignals {
  readonly #local = new LocalStopSignals();
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #channel: string;
  readonly #ready: Promise<unknown>;

  constructor(
    connector: RedisConnector,
    prefix: string,
    private readonly log: Logger,
  ) {
    this.#channel = `${prefix}:stops`;
    this.#pub = connector.open('stops', { commandTimeoutMs: 2_000, maxRetriesPerRequest: 1 });
    this.#sub = connector.open('stops-sub', { commandTimeoutMs: null, maxRetriesPerRequest: null });
    this.#sub.on('message', (_channel: string, raw: string) => this.#apply(raw));
    this.#ready = this.#sub.subscribe(this.#channel).catch((error: unknown) => {
      log.warn(
        { err: error },
        'could not subscribe to stop requests; stops reach this replica only from itself',
      );
    });
  }

  /** Resolves once this replica listens for stops. */
  ready(): Promise<unknown> {
    return this.#ready;
  }

  register(turn: RunningTurn): TurnRegistration {
    return this.#local.register(turn);
  }

  async stopConversation(conversation: string, request: StopRequest): Promise<void> {
    await this.#send({ kind: 'conversation', conversation, by: request.by });
  }

  async stopUserInChat(target: Target, request: StopRequest): Promise<void> {
    await this.#send({ kind: 'user', target, by: request.by });
  }

  async close(): Promise<void> {
    await this.#local.close();
    this.#pub.disconnect();
    this.#sub.disconnect();
  }

  async #send(message: StopMessage): Promise<void> {
    const raw = JSON.stringify(message);
    this.#apply(raw);
    await this.#pub.publish(this.#channel, raw).catch((error: unknown) => {
      this.log.warn({ err: error }, 'could not send the stop to the other replicas');
    });
  }

  #apply(raw: string): void {
    let message: StopMessage;
    try {
      message = JSON.parse(raw) as StopMessage;
    } catch {
      this.log.warn('ignored a malformed stop request');
      return;
    }
    const request = { by: message.by };
    const done =
      message.kind === 'conversation'
        ? this.#local.stopConversation(message.conversation, request)
        : this.#local.stopUserInChat(message.target, request);
    done.catch((error: unknown) => this.log.warn({ err: error }, 'applying a stop failed'));
  }
}
