/** The permissions.json scope that lets a user have teambot read the text in images and videos. */
export const MEDIA_READ_SCOPE = 'media:read';

/** Whether the sender's scopes (from their role in permissions.json) allow reading media. */
export function canReadMedia(scopes: Iterable<string>): boolean {
  for (const scope of scopes) if (scope === MEDIA_READ_SCOPE) return true;
  return false;
}

export const MEDIA_READ_DENIED =
  "You don't have permission to have me read images or videos (scope media:read).";
