import type { InboundMessage } from '../message.js';
import type { PermissionOverrides } from './overrides.js';
import { BOT_SCOPES, type PermissionsFile, type RoleLimits } from './schema.js';

/** Who the sender is to the bot: role, scopes and limits, with admin overrides applied. */
export interface ResolvedAccess {
  role: string;
  scopes: ReadonlySet<string>;
  limits: RoleLimits;
  /** Windows for the message's chat. */
  chatLimits: string[];
}

/** The key a role or scope assignment uses: `<platform>:<user id>`. */
export function userKeyOf(message: Pick<InboundMessage, 'platform' | 'user'>): string {
  return `${message.platform}:${message.user.id}`;
}

export function chatKeyOf(message: Pick<InboundMessage, 'platform' | 'chat'>): string {
  return `${message.platform}:${message.chat.id}`;
}

/** The role the file gives `userKey` in `chatKey` (before overrides). */
export function fileRole(file: PermissionsFile, userKey: string, chatKey: string | undefined): string {
  return (
    file.users[userKey] ?? (chatKey === undefined ? undefined : file.chats[chatKey]?.role) ?? file.defaultRole
  );
}

export async function resolveAccess(
  file: PermissionsFile,
  overrides: Pick<PermissionOverrides, 'user' | 'roleLimits'>,
  message: InboundMessage,
): Promise<ResolvedAccess> {
  const userKey = userKeyOf(message);
  const chatKey = chatKeyOf(message);
  const user = await overrides.user(userKey);
  let role =
    user.role !== undefined && Object.hasOwn(file.roles, user.role)
      ? user.role
      : fileRole(file, userKey, chatKey);
  if (message.trustedAdmin === true) role = Object.hasOwn(file.roles, 'admin') ? 'admin' : role;
  const definition = file.roles[role];
  const scopes = new Set<string>(definition?.scopes ?? []);
  if (message.trustedAdmin === true) {
    for (const scope of BOT_SCOPES) scopes.add(scope);
  }
  for (const scope of user.grant) scopes.add(scope);
  for (const scope of user.revoke) if (message.trustedAdmin !== true) scopes.delete(scope);
  const limitOverride = await overrides.roleLimits(role);
  const limits: RoleLimits = { ...(definition?.limits ?? { requests: [] }), ...limitOverride };
  return {
    role,
    scopes,
    limits,
    chatLimits: file.chats[chatKey]?.limits ?? file.chatLimits,
  };
}
