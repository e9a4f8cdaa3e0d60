import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { apiKeyDigest, apiKeyIdOf } from '../api-key-id.js';
import { type ApiFailure, apiFailure, sendFailure } from './errors.js';

/** What auth leaves in `res.locals.apiKey` for later handlers (per-key limits, task ownership). */
export interface ApiKeyIdentity {
  /** A stable, non-secret id of the key: the first 16 hex digits of its sha256 (apiKeyId). */
  id: string;
}

/** The key's identity after `apiKeyAuth` ran. */
export function apiKeyOf(locals: Record<string, unknown>): ApiKeyIdentity {
  return locals.apiKey as ApiKeyIdentity;
}

/**
 * Bearer API keys: both sides are hashed with sha256 and compared with timingSafeEqual against
 * every configured key (no early exit), so neither a key's length nor its prefix leaks through timing.
 */
export function apiKeyAuth(keys: readonly string[], onReject: (failure: ApiFailure) => void): RequestHandler {
  const digests = keys.map(apiKeyDigest);
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match?.[1] === undefined) {
      const failure = apiFailure(
        401,
        'Missing API key: send it as `Authorization: Bearer <key>` (one of the server’s API_KEYS).',
        { code: 'invalid_api_key', reason: 'unauthorized' },
      );
      onReject(failure);
      return sendFailure(res, failure);
    }
    const given = apiKeyDigest(match[1]);
    let found: Buffer | undefined;
    for (const digest of digests) {
      if (timingSafeEqual(digest, given)) found = digest;
    }
    if (found === undefined) {
      const failure = apiFailure(401, 'Incorrect API key provided.', {
        code: 'invalid_api_key',
        reason: 'unauthorized',
      });
      onReject(failure);
      return sendFailure(res, failure);
    }
    res.locals.apiKey = { id: apiKeyIdOf(found) } satisfies ApiKeyIdentity;
    next();
  };
}
