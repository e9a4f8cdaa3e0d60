import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { createS3Client, type S3Settings } from '../../src/storage/object/s3-client.js';

/** s3rver's built-in account. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface RunningS3rver {
  endpoint: string;
  /** Settings for a store on `bucket` of this server. */
  settings(bucket: string): S3Settings;
  /** Creates a new, empty bucket with a random name. */
  newBucket(): Promise<string>;
  /** Every object key in `bucket`. */
  keys(bucket: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** A real S3 protocol server (s3rver) in this process, on a random port, over a temp directory. */
export async function startS3rver(): Promise<RunningS3rver> {
  const directory = await mkdtemp(join(tmpdir(), 'teambot-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const settings = (bucket: string): S3Settings => ({
    bucket,
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: S3RVER_CREDENTIALS,
  });
  const admin: S3Client = createS3Client(settings('admin'));
  let stopped = false;
  return {
    endpoint,
    settings,
    async newBucket() {
      const bucket = `t-${randomBytes(6).toString('hex')}`;
      await admin.send(new CreateBucketCommand({ Bucket: bucket }));
      return bucket;
    },
    async keys(bucket) {
      const out = await admin.send(new ListObjectsV2Command({ Bucket: bucket }));
      return (out.Contents ?? []).map((o) => o.Key ?? '').sort();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      admin.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
