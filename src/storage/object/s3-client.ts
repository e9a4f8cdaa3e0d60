import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

export interface S3Settings {
  bucket: string;
  /** S3_ENDPOINT: an S3-compatible server (MinIO, Ceph, R2…); unset for AWS. */
  endpoint?: string | undefined;
  /** S3_PUBLIC_ENDPOINT: the host that users' browsers reach, used only to presign links. */
  publicEndpoint?: string | undefined;
  /** S3_REGION; defaults to us-east-1 (most S3-compatible servers ignore it). */
  region?: string | undefined;
  /** S3_FORCE_PATH_STYLE: `http://host/bucket/key` instead of `http://bucket.host/key` (MinIO). */
  forcePathStyle?: boolean | undefined;
  /** S3_MAX_ATTEMPTS: tries per request, with the SDK's exponential backoff and jitter between them. */
  maxAttempts?: number | undefined;
  /** Explicit credentials (tests); otherwise the SDK's default chain (env, profile, IMDS, web identity…). */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
}

export const DEFAULT_S3_REGION = 'us-east-1';

/**
 * An S3 client for `endpoint`. Checksums only when the operation requires them: since SDK 3.729
 * every upload carries a CRC32 trailer by default, which MinIO releases and other S3-compatible
 * servers (s3rver included) reject or mis-store.
 */
export function createS3Client(settings: S3Settings, endpoint = settings.endpoint): S3Client {
  const config: S3ClientConfig = {
    region: settings.region ?? DEFAULT_S3_REGION,
    forcePathStyle: settings.forcePathStyle ?? false,
    maxAttempts: settings.maxAttempts ?? 3,
    retryMode: 'standard',
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
  };
  return new S3Client(config);
}
