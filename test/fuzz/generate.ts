import { apiCase } from './api-cases.js';
import { larkCase } from './lark-cases.js';
import { encodingCase, otherCase, oversizeCase } from './other-cases.js';
import type { Rng } from './prng.js';
import type { FuzzRequest, FuzzSecrets } from './request.js';
import { slackCase } from './slack-cases.js';

/**
 * The next generated request: mostly Slack, Lark and API deliveries that pass their gates with
 * mutated contents, then probes, odd paths and methods, odd encodings, and a few oversize bodies.
 */
export function generateRequest(rng: Rng, secrets: FuzzSecrets): FuzzRequest {
  const roll = rng.int(1000);
  if (roll < 330) return slackCase(rng, secrets);
  if (roll < 630) return larkCase(rng, secrets);
  if (roll < 880) return apiCase(rng, secrets);
  if (roll < 960) return otherCase(rng);
  if (roll < 995) return encodingCase(rng, secrets);
  return oversizeCase(rng, secrets);
}
