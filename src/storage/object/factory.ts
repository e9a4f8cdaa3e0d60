import { FsObjectStore } from './fs.js';
import type { S3Settings } from './s3-client.js';
import type { ObjectStore } from './types.js';

export interface ObjectStoreOptions {
  /** DATA_DIR: the filesystem store keeps objects under it. */
  dataDir: string;
  /** PUBLIC_URL (or the server's own address): the base of signed URLs. */
  publicBaseUrl: string;
  /** From loadOrCreateSigningSecret(). */
  signingSecret: string;
  /** S3_BUCKET and friends: when a bucket is given, objects go to S3 instead of DATA_DIR. */
  s3?: Partial<S3Settings> | undefined;
}

/**
 * S3 when S3_BUCKET is set, the filesystem under DATA_DIR otherwise. The AWS SDK (most of a second
 * to import) is loaded only when S3 is used.
 */
export async function createObjectStore(options: ObjectStoreOptions): Promise<ObjectStore> {
  const bucket = options.s3?.bucket;
  if (bucket !== undefined && bucket !== '') {
    const { S3ObjectStore } = await import('./s3.js');
    return new S3ObjectStore({ ...options.s3, bucket });
  }
  return createFsObjectStore(options);
}

function createFsObjectStore(options: ObjectStoreOptions): ObjectStore {
  return new FsObjectStore({
    dataDir: options.dataDir,
    publicBaseUrl: options.publicBaseUrl,
    signingSecret: options.signingSecret,
  });
}
