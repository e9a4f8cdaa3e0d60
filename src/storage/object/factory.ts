import { FsObjectStore } from './fs.js';
import type { ObjectStore } from './types.js';

export interface ObjectStoreOptions {
  /** DATA_DIR: the filesystem store keeps objects under it. */
  dataDir: string;
  /** PUBLIC_URL (or the server's own address): the base of signed URLs. */
  publicBaseUrl: string;
  /** From loadOrCreateSigningSecret(). */
  signingSecret: string;
}

export function createObjectStore(options: ObjectStoreOptions): ObjectStore {
  return createFsObjectStore(options);
}

function createFsObjectStore(options: ObjectStoreOptions): ObjectStore {
  return new FsObjectStore({
    dataDir: options.dataDir,
    publicBaseUrl: options.publicBaseUrl,
    signingSecret: options.signingSecret,
  });
}
