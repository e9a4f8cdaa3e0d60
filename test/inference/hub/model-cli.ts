import type { Command } from 'commander';
import { type ModelCommandIo, modelCommand } from '../../../src/cli/model-command.js';

export interface ModelCommandRun {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs `teambot model <args>` in process, capturing its output and exit code (commander never exits). */
export async function runModelCommand(
  args: string[],
  io: Partial<Pick<ModelCommandIo, 'env' | 'signal' | 'retryDelayMs' | 'fetch'>> = {},
): Promise<ModelCommandRun> {
  const result: ModelCommandRun = { stdout: '', stderr: '', exitCode: 0 };
  const command = modelCommand({
    stdout: { write: (s: string) => (result.stdout += s) },
    stderr: { isTTY: false, write: (s: string) => (result.stderr += s) },
    env: {},
    ...io,
    setExitCode: (code) => {
      result.exitCode = code;
    },
  });
  const throwInsteadOfExit = (c: Command) => {
    c.exitOverride();
    c.commands.forEach(throwInsteadOfExit);
  };
  throwInsteadOfExit(command);
  try {
    await command.parseAsync(args, { from: 'user' });
  } catch {
    result.exitCode = result.exitCode || 1;
  }
  return result;
}
