import { MediaError } from '../../storage/media/errors.js';
import type { MediaService } from '../../storage/media/service.js';
import type { CommandRegistry } from '../commands/registry.js';
import { UserFacingError } from '../errors.js';
import { hasScope, type MessageContext } from '../pipeline/context.js';

/** Who may delete stored media: holders of the admin:media scope (permissions.json). */
export function canDeleteMedia(ctx: MessageContext): boolean {
  return hasScope(ctx, 'admin:media');
}

/** /media-delete <id>: removes a stored object (and its thumbnail or poster) by the id replies show. */
export function registerMediaCommands(registry: CommandRegistry, service: MediaService | undefined): void {
  registry.register({
    name: 'media-delete',
    usage: '<id>',
    summary: 'delete a stored file by its id (admins)',
    run: async (ctx, args) => {
      if (!canDeleteMedia(ctx))
        throw new UserFacingError('Deleting stored media needs the admin:media scope.', 'forbidden');
      if (service === undefined)
        throw new UserFacingError("Media storage isn't set up here.", 'not_configured');
      const id = args.trim();
      if (id === '') throw new UserFacingError('Usage: /media-delete <id> (the id from my reply)', 'usage');
      const outcome = await service.delete(id).catch((error: unknown) => {
        throw error instanceof MediaError ? new UserFacingError(error.message, error.code) : error;
      });
      if (outcome === 'invalid') {
        throw new UserFacingError(
          `That is not a media id. Usage: /media-delete <id> (the id from my reply)`,
          'usage',
        );
      }
      ctx.log.info({ id, deleted: outcome }, 'media delete');
      await ctx.reply.post(outcome ? `Deleted \`${id}\`.` : `Nothing is stored under \`${id}\`.`);
    },
  });
}
