import { createInterface } from 'node:readline';
import { parseCommand } from '../../commands/parse.js';
import type { InboundMessage } from '../../message.js';
import type { Pipeline } from '../../pipeline/pipeline.js';
import { terminalReplier } from './replier.js';

export interface TerminalChatOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  pipeline: Pipeline;
  user: { id: string; name: string };
  /** Show a prompt and use terminal line editing (a TTY). */
  interactive: boolean;
}

/**
 * The local channel: each line typed is one message through the same pipeline as Slack and
 * Lark; the person at the terminal is an admin. Resolves when the input ends.
 */
export async function runTerminalChat(options: TerminalChatOptions): Promise<void> {
  const { input, output, pipeline, user, interactive } = options;
  const lines = createInterface({ input, terminal: interactive, ...(interactive ? { output } : {}) });
  const reply = terminalReplier(output);
  const session = Date.now().toString(36);
  let sequence = 0;
  const prompt = () => {
    if (interactive) lines.prompt();
  };
  lines.on('SIGINT', () => lines.close());
  lines.setPrompt('you> ');
  prompt();
  for await (const raw of lines) {
    const text = raw.trim();
    if (text !== '') {
      sequence += 1;
      await pipeline.handle(localMessage(`${session}-${sequence}`, text, user), reply);
    }
    prompt();
  }
}

function localMessage(id: string, text: string, user: { id: string; name: string }): InboundMessage {
  return {
    id,
    platform: 'local',
    workspace: 'local',
    chat: { id: `terminal-${user.id}`, kind: 'dm' },
    user,
    text,
    mentionsBot: true,
    command: parseCommand(text),
    attachments: [],
    receivedAt: new Date(),
    trustedAdmin: true,
  };
}
