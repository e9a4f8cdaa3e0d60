/**
 * `npm run helm -- <args>`: runs the helm that `npm run helm:install` put in the cache (or HELM_BIN),
 * e.g. `npm run helm -- template demo deploy/helm/teambot -f my-values.yaml`.
 */
import { spawnSync } from 'node:child_process';
import { helmBinary } from './binary.js';

const run = spawnSync(helmBinary(), process.argv.slice(2), { stdio: 'inherit' });
process.exit(run.status ?? 1);
