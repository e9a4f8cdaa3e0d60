import { type RequestHandler, Router } from 'express';
import type { EngineLoad } from '../inference/types.js';

/**
 * GET /load: what a gateway compares to pick the least-loaded inference worker (rows running,
 * requests waiting, tokens in flight, capacity), and whether its model looks at images (`vision`),
 * behind `auth` (the API key check).
 */
export function loadRouter(
  load: () => EngineLoad | undefined,
  sees: () => boolean,
  auth: RequestHandler,
): Router {
  const router = Router();
  router.get('/', auth, (_req, res) => {
    const current = load();
    res.set('cache-control', 'no-store');
    if (current === undefined) {
      res.status(404).json({ error: { message: 'This engine reports no load (no local engine).' } });
      return;
    }
    res.json({ ...current, vision: sees() });
  });
  return router;
}
