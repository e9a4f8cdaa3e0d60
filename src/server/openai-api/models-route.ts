import { Router } from 'express';
import type { InferenceEngine } from '../../inference/types.js';
import { apiFailure, sendFailure } from './errors.js';

/** `GET /v1/models` and `GET /v1/models/:id`: the one model this server answers with. */
export function modelsRoutes(engine: InferenceEngine): Router {
  const created = Math.floor(Date.now() / 1000);
  const model = () => ({ id: engine.info().model, object: 'model' as const, created, owned_by: 'teambot' });
  const router = Router();
  router.get('/', (_req, res) => {
    res.json({ object: 'list', data: [model()] });
  });
  router.get('/:id', (req, res) => {
    const current = model();
    if (req.params.id !== current.id) {
      return sendFailure(
        res,
        apiFailure(404, `The model ${req.params.id} does not exist.`, { code: 'model_not_found' }),
      );
    }
    res.json(current);
  });
  return router;
}
