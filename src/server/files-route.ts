import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import type { Logger } from '../log/logger.js';
import { verifyObjectSignature } from '../storage/object/signing.js';
import { type ObjectStore, ObjectStoreError } from '../storage/object/types.js';
import { sendError } from './errors.js';

export interface FilesRouteOptions {
  objects: ObjectStore;
  signingSecret: string;
  logger: Logger;
}

/** GET /files/<key>?expires=…&sig=…: serves the filesystem store's signed, expiring URLs. */
export function filesRouter({ objects, signingSecret, logger }: FilesRouteOptions): Router {
  const router = Router();
  router.get('/*key', async (req, res) => {
    const key = ([] as string[]).concat(req.params.key ?? []).join('/');
    const { expires, sig } = req.query;
    if (
      typeof expires !== 'string' ||
      typeof sig !== 'string' ||
      !verifyObjectSignature(key, expires, sig, signingSecret)
    ) {
      sendError(req, res, 403, 'This link is invalid or has expired.');
      return;
    }
    let found: Awaited<ReturnType<ObjectStore['get']>>;
    try {
      found = await objects.get(key);
    } catch (error) {
      if (error instanceof ObjectStoreError && error.code === 'invalid_key') {
        sendError(req, res, 404, 'Not found');
        return;
      }
      throw error;
    }
    if (found === null) {
      sendError(req, res, 404, 'Not found');
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', found.info.contentType);
    res.setHeader('Content-Length', String(found.info.size));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "sandbox; default-src 'none'");
    res.setHeader('Cache-Control', 'private, max-age=300');
    try {
      await pipeline(found.body, res);
    } catch (error) {
      logger.warn({ err: error, key }, 'object download interrupted');
    }
  });
  return router;
}
