import { mkdir, open, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HubContext } from './context.js';
import { HubError } from './errors.js';
import type { HubFetch } from './http.js';
import { statusError } from './http-errors.js';
import { fileSize, removeFile } from './local-files.js';

export interface DownloadFileOptions {
  url: string;
  /** The final path; the bytes go to `<dest>.part` first. */
  dest: string;
  /** The size the listing gives; the download must end with exactly this many bytes. */
  size: number;
  /** The file's path in the repo, for messages. */
  label: string;
  context: HubContext;
  hubFetch: HubFetch;
  signal?: AbortSignal;
  /** Further attempts after an interrupted transfer, each resuming where the last stopped. Default 3. */
  retries?: number;
  /** Wait before the first retry, doubled for each next one. Default 1000 ms. */
  retryDelayMs?: number;
  /** Bytes of the file on disk so far (the resumed part included), called as they arrive. */
  onReceived?: (bytes: number) => void;
}

const RETRYABLE = new Set(['interrupted', 'unreachable', 'server_error']);

function sizeMismatch(options: DownloadFileOptions, got: number): HubError {
  return new HubError(
    'size_mismatch',
    `${options.label} from ${options.context.endpoint} has ${got} bytes where the listing says ` +
      `${options.size}; the partial file was deleted. Try again; if it happens again, the hub (or ` +
      'the mirror in HF_ENDPOINT) serves a file that does not match its listing.',
  );
}

/** `bytes <start>-<end>/<total>`; total may be `*`. */
function parseContentRange(value: string | null): { start: number; total?: number } | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(value?.trim() ?? '');
  if (match === null) return undefined;
  return { start: Number(match[1]), total: match[2] === '*' ? undefined : Number(match[2]) };
}

async function writeBody(
  options: DownloadFileOptions,
  response: Response,
  part: string,
  start: number,
): Promise<void> {
  const handle = await open(part, start > 0 ? 'a' : 'w');
  let received = start;
  let failure: unknown;
  try {
    options.onReceived?.(received);
    if (response.body !== null) {
      for await (const chunk of response.body) {
        received += chunk.byteLength;
        if (received > options.size) throw sizeMismatch(options, received);
        await handle.write(chunk);
        options.onReceived?.(received);
      }
    }
    await handle.sync();
  } catch (error) {
    failure = error;
  } finally {
    await handle.close();
  }
  if (failure !== undefined) {
    if (failure instanceof HubError) await removeFile(part);
    if (failure instanceof HubError || options.signal?.aborted) throw failure;
    const reason = failure instanceof Error && failure.cause instanceof Error ? failure.cause : failure;
    throw new HubError(
      'interrupted',
      `The download of ${options.label} from ${options.context.endpoint} broke off after ${received} of ` +
        `${options.size} bytes (${reason instanceof Error ? reason.message : String(reason)}). ` +
        'Run the same command again to resume it.',
      { cause: failure },
    );
  }
  if (received !== options.size) {
    await removeFile(part);
    throw sizeMismatch(options, received);
  }
}

/** One attempt: fetches what `<dest>.part` lacks (a Range request when it has some) and appends it. */
async function transfer(options: DownloadFileOptions, part: string): Promise<void> {
  let start = (await fileSize(part)) ?? 0;
  if (start > options.size) {
    await removeFile(part);
    start = 0;
  }
  if (options.size === 0) return writeFile(part, '');
  if (start === options.size) return;
  const response = await options.hubFetch(options.url, {
    headers: start > 0 ? { range: `bytes=${start}-` } : {},
    signal: options.signal,
  });
  if (response.status === 416 && start > 0) {
    // The part does not fit the file the hub has now: start over.
    await response.body?.cancel();
    await removeFile(part);
    return transfer(options, part);
  }
  if (!response.ok) throw await statusError(response, options.context, { kind: 'file', path: options.label });
  let from = 0;
  if (response.status === 206) {
    const range = parseContentRange(response.headers.get('content-range'));
    if (range?.total !== undefined && range.total !== options.size) {
      await response.body?.cancel();
      await removeFile(part);
      throw sizeMismatch(options, range.total);
    }
    if (range?.start !== start) {
      await response.body?.cancel();
      await removeFile(part);
      return transfer(options, part);
    }
    from = start;
  }
  const length = response.headers.get('content-length');
  if (length !== null && from + Number(length) !== options.size) {
    await response.body?.cancel();
    await removeFile(part);
    throw sizeMismatch(options, from + Number(length));
  }
  await writeBody(options, response, part, from);
}

/**
 * Downloads one file to `dest` unless a file of the expected size is already there (then returns
 * false). Bytes go to `<dest>.part`, renamed to `dest` once complete and of the expected size, so
 * `dest` never holds half a file. An existing part is resumed with a Range request (a server that
 * ignores the range sends everything and the part starts over). An interrupted transfer is retried,
 * resuming; an abort leaves the part for the next pull; a wrong size deletes the part and throws.
 */
export async function downloadFile(options: DownloadFileOptions): Promise<boolean> {
  if ((await fileSize(options.dest)) === options.size) return false;
  await mkdir(dirname(options.dest), { recursive: true });
  const part = `${options.dest}.part`;
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await transfer(options, part);
      break;
    } catch (error) {
      const retryable = error instanceof HubError && RETRYABLE.has(error.code) && !options.signal?.aborted;
      if (!retryable || attempt >= retries) throw error;
      await sleep((options.retryDelayMs ?? 1000) * 2 ** attempt, undefined, { signal: options.signal });
    }
  }
  await rename(part, options.dest);
  return true;
}
