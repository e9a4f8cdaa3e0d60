import { afterEach, describe, expect, it } from 'vitest';
import { type CuttableProxy, cuttableProxy } from '../helpers/cuttable-proxy.js';
import { type RunningS3rver, S3RVER_CREDENTIALS, startS3rver } from '../helpers/s3rver.js';
import { DRILL_ANSWER, type DrillServer, startDrillServer, until } from './serve.js';

let s3: RunningS3rver | undefined;
let proxy: CuttableProxy | undefined;
let server: DrillServer | undefined;
afterEach(async () => {
  await server?.close();
  await proxy?.close();
  await s3?.stop();
});

describe('drill: the S3 endpoint goes down under a running server (real processes)', () => {
  it('refuses media with a clear chat message, still answers text, and recovers by itself', {
    timeout: 120_000,
  }, async () => {
    s3 = await startS3rver();
    proxy = await cuttableProxy(s3.endpoint);
    const bucket = await s3.newBucket();
    server = await startDrillServer({
      S3_BUCKET: bucket,
      S3_ENDPOINT: proxy.url,
      S3_REGION: 'us-east-1',
      S3_FORCE_PATH_STYLE: 'true',
      S3_MAX_ATTEMPTS: '2',
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    });
    expect(await server.deliver(server.fileEvent('DBEFORE', 'before.txt', 'kept'))).toBe(200);
    await server.answered('DBEFORE', /^Stored file `before\.txt`/);

    const storedBefore = (await s3.keys(bucket)).length;
    proxy.cut();
    await until(async () => (await server?.ready()) === 503, '/ready to report the object store down');
    expect(await server.deliver(server.fileEvent('DFILE', 'during.txt', 'lost?'))).toBe(200);
    await server.answered(
      'DFILE',
      /^I couldn't keep `during\.txt`: .*(storage|store|unavailable|reach)/i,
      60_000,
    );
    expect(await server.dm('DTEXT', 'plain text still works?')).toBe(200);
    await server.answered('DTEXT', new RegExp(DRILL_ANSWER));

    proxy.restore();
    const recoveryMs = await until(
      async () => (await server?.ready()) === 200,
      'the object store to answer again',
    );
    expect(recoveryMs).toBeLessThan(30_000);
    expect(await server.deliver(server.fileEvent('DAFTER', 'after.txt', 'kept again'))).toBe(200);
    await server.answered('DAFTER', /^Stored file `after\.txt`/);
    expect((await s3.keys(bucket)).length).toBeGreaterThan(storedBefore);
    expect(server.serve.stdout()).not.toMatch(/unhandled promise rejection|uncaught exception/);
  });
});
