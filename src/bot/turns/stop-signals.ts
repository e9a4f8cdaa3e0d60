/**
 * Stopping running answers. One seam for every way a user stops an answer (a Stop button, Slack's
 * native stop control, `/stop`, the API) and every place an answer runs (this replica or another).
 * The answerer registers each running answer; a stop reaches it through its AbortSignal.
 */
export interface RunningTurn {
  /** conversationKey(message): the thread, else the chat. */
  conversation: string;
  platform: string;
  workspace: string;
  chat: string;
  userId: string;
}

export interface StopRequest {
  /** Who asked (a user id, `api:<key id>`, `admin:<id>`): logged and counted. */
  by: string;
}

export interface TurnRegistration {
  /** Fires when a stop for this turn arrives (the reason is a StoppedByUser). */
  readonly signal: AbortSignal;
  /** The turn ended: forget it. Idempotent. */
  release(): void;
}

export interface StopSignals {
  /** A turn starts running here; a stop for it from any replica aborts `signal`. */
  register(turn: RunningTurn): TurnRegistration;
  /** Stops the answers running in one conversation, wherever they run. Resolves once the stop was sent. */
  stopConversation(conversation: string, request: StopRequest): Promise<void>;
  /** Stops a user's answers in one chat (a slash command carries no thread), wherever they run. */
  stopUserInChat(
    target: { platform: string; workspace: string; chat: string; userId: string },
    request: StopRequest,
  ): Promise<void>;
  close(): Promise<void>;
}

/** The abort reason of a turn stopped on request: what was shown stays, marked as stopped. */
export class StoppedByUser extends Error {
  constructor(readonly by: string) {
    super(`stopped by ${by}`);
    this.name = 'StoppedByUser';
  }
}
