import { UserFacingError } from '../errors.js';
import type { MessageContext } from '../pipeline/context.js';

export interface CommandDefinition {
  name: string;
  aliases?: string[];
  /** One line for /help. */
  summary: string;
  /** Arguments, e.g. `<question>`. */
  usage?: string;
  run(ctx: MessageContext, args: string): Promise<void>;
}

/** The platform-neutral commands; later features register their own. */
export class CommandRegistry {
  private readonly byName = new Map<string, CommandDefinition>();
  private readonly ordered: CommandDefinition[] = [];

  register(definition: CommandDefinition): this {
    const names = [definition.name, ...(definition.aliases ?? [])].map((n) => n.toLowerCase());
    for (const name of names) {
      if (this.byName.has(name)) throw new Error(`command /${name} is registered twice`);
    }
    for (const name of names) this.byName.set(name, definition);
    this.ordered.push(definition);
    return this;
  }

  find(name: string): CommandDefinition | undefined {
    return this.byName.get(name.toLowerCase());
  }

  list(): readonly CommandDefinition[] {
    return this.ordered;
  }

  /** The route's command handler. */
  async dispatch(ctx: MessageContext): Promise<void> {
    const command = ctx.message.command;
    if (command === undefined) throw new Error('dispatch called for a message without a command');
    const definition = this.find(command.name);
    if (definition === undefined) {
      throw new UserFacingError(
        `Unknown command /${command.name}. Send /help for the list.`,
        'unknown_command',
      );
    }
    await definition.run(ctx, command.args);
  }
}
