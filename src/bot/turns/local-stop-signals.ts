import {
  type RunningTurn,
  StoppedByUser,
  type StopRequest,
  type StopSignals,
  type TurnRegistration,
} from './stop-signals.js';

interface Entry {
  turn: RunningTurn;
  controller: AbortController;
}

/** Stops for one process: the answers running here (no Redis, or the terminal). */
export class LocalStopSignals implements StopSignals {
  private readonly running = new Set<Entry>();

  register(turn: RunningTurn): TurnRegistration {
    const entry: Entry = { turn, controller: new AbortController() };
    this.running.add(entry);
    return { signal: entry.controller.signal, release: () => this.running.delete(entry) };
  }

  /** Aborts the matching turns here; how many were stopped. Transports for other replicas call it too. */
  stopMatching(matches: (turn: RunningTurn) => boolean, request: StopRequest): number {
    let stopped = 0;
    for (const entry of this.running) {
      if (!matches(entry.turn) || entry.controller.signal.aborted) continue;
      entry.controller.abort(new StoppedByUser(request.by));
      stopped++;
    }
    return stopped;
  }

  async stopConversation(conversation: string, request: StopRequest): Promise<void> {
    this.stopMatching((turn) => turn.conversation === conversation, request);
  }

  async stopUserInChat(
    target: { platform: string; workspace: string; chat: string; userId: string },
    request: StopRequest,
  ): Promise<void> {
    this.stopMatching(
      (turn) =>
        turn.platform === target.platform &&
        turn.workspace === target.workspace &&
        turn.chat === target.chat &&
        turn.userId === target.userId,
      request,
    );
  }

  async close(): Promise<void> {
    this.running.clear();
  }
}
