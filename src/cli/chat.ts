import { userInfo } from 'node:os';
import { pino } from 'pino';
import { createRuntime } from '../app/runtime.js';
import { runTerminalChat } from '../bot/adapters/local/terminal.js';
import { configOrExit } from './config-or-exit.js';
import { loggerFor } from './logger-for.js';
import { exitOnBadPermissions } from './permissions/exit.js';

/** `teambot chat`: a conversation in this terminal through the very same pipeline. */
export async function runChat(version: string): Promise<void> {
  const config = configOrExit({ LOG_LEVEL: 'warn', ...process.env });
  // Logs go to stderr so that stdout holds only the conversation.
  const logger = loggerFor(config, {
    destination: pino.destination({ fd: 2, sync: true }),
    isTty: process.stderr.isTTY,
  });
  const runtime = await createRuntime(config, logger, {
    version,
    defaultPublicUrl: `http://127.0.0.1:${config.PORT}`,
  }).catch(exitOnBadPermissions);
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const out = process.stdout;
  const info = runtime.engine.info();
  out.write(`teambot chat: ${info.name} engine, model ${info.model}. Type /help for commands`);
  out.write(interactive ? ', Ctrl-D to leave.\n' : '.\n');
  const status = await runtime.engine.status();
  if (!status.ready) out.write(`${status.detail}\n`);

  const account = safeUserName();
  let exitCode = 0;
  try {
    await runTerminalChat({
      input: process.stdin,
      output: out,
      pipeline: runtime.bot.pipeline,
      user: { id: account, name: account },
      interactive,
    });
  } catch (error) {
    logger.error({ err: error }, 'terminal chat failed');
    exitCode = 1;
  } finally {
    await runtime.bot.pipeline.drain(config.SHUTDOWN_TIMEOUT_MS);
    await runtime.close();
  }
  process.exitCode = exitCode;
}

function safeUserName(): string {
  try {
    return userInfo().username || 'local';
  } catch {
    return 'local';
  }
}
