import type { ParsedCommand } from '../message.js';

const COMMAND = /^\/([^\s/]+)(?:\s+([\s\S]*))?$/;

/** `/name args…` → {name, args}; anything else → undefined. Names are case-insensitive. */
export function parseCommand(text: string): ParsedCommand | undefined {
  const match = COMMAND.exec(text.trim());
  if (match === null) return undefined;
  const [, name = '', args = ''] = match;
  return { name: name.toLowerCase(), args: args.trim() };
}
