import { join, relative, sep } from 'node:path';
import type { DeviceKind, Dtype } from '../model/variants.js';
import { type HubContext, resolveUrl } from './context.js';
import { downloadFile } from './download-file.js';
import { HubError } from './errors.js';
import { readGenaiDecoderFile } from './genai-config.js';
import { createHubFetch } from './http.js';
import { listRepoFiles, type RemoteFile } from './listing.js';
import { type ProgressListener, ProgressTracker } from './progress.js';
import { modelDirFor } from './repo-id.js';
import { planGenai, planHf, type RepoLayout, repoLayout } from './select-files.js';

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

export interface PullOptions {
  /** A hub model id, e.g. "onnx-community/Qwen2.5-0.5B-Instruct". */
  repo: string;
  /** Branch, tag or commit. Default "main". */
  revision?: string;
  /** The variant to fetch (HF layout). Default: the first of DTYPE_PREFERENCE[device] the repo has. */
  dtype?: Dtype;
  /** Picks the default dtype. Default "cpu". */
  device?: DeviceKind;
  /** The model lands in `<modelsDir>/<owner>/<name>`. */
  modelsDir: string;
  /** Default: HF_ENDPOINT, else https://huggingface.co. */
  endpoint?: string;
  /** Default: HF_TOKEN. Sent as `Authorization: Bearer <token>`. */
  token?: string;
  fetch?: typeof fetch;
  /** Aborting keeps the `.part` file of the download in progress, for the next pull to resume. */
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Retries of an interrupted download, each resuming it. Default 3. */
  retries?: number;
  /** Wait before the first retry (doubled after each). Default 1000 ms. */
  retryDelayMs?: number;
  /** Least time between two `data` progress events. Default 100 ms. */
  progressIntervalMs?: number;
}

export interface PulledFile {
  /** Path in the repo and in the model directory. */
  path: string;
  size: number;
  /** False when a complete copy was already there. */
  downloaded: boolean;
}

export interface PullResult {
  dir: string;
  layout: RepoLayout;
  /** The variant fetched; undefined for the genai layout (one graph, whatever the export used). */
  dtype?: Dtype;
  files: PulledFile[];
}

function normalizeEndpoint(raw: string): string {
  const value = raw.trim().replace(/\/+$/, '');
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new HubError(
      'bad_endpoint',
      `The hub endpoint "${raw}" is not an http(s) URL (check HF_ENDPOINT).`,
    );
  }
  return value;
}

/** `dir/path`, refusing a path that would leave `dir` (the planner only picks safe names; this is a backstop). */
function insideDir(dir: string, path: string): string {
  const dest = join(dir, path);
  const rel = relative(dir, dest);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..') throw new Error(`unsafe file path ${path}`);
  return dest;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * Downloads what teambot needs of a hub model into `<modelsDir>/<owner>/<name>`: the metadata files
 * and one graph variant (HF layout) or the graph genai_config.json names (onnxruntime-genai layout),
 * each with its external data. Complete files are kept; interrupted ones resume.
 */
export async function pullModel(options: PullOptions): Promise<PullResult> {
  const dir = modelDirFor(options.modelsDir, options.repo);
  const token = nonEmpty(options.token);
  const context: HubContext = {
    endpoint: normalizeEndpoint(nonEmpty(options.endpoint) ?? DEFAULT_ENDPOINT),
    repo: options.repo,
    revision: nonEmpty(options.revision) ?? 'main',
    tokenGiven: token !== undefined,
    dir,
  };
  const hubFetch = createHubFetch({ context, token, fetch: options.fetch, signal: options.signal });
  const fetchFile = (file: RemoteFile, onReceived?: (bytes: number) => void) =>
    downloadFile({
      url: resolveUrl(context, file.path),
      dest: insideDir(dir, file.path),
      size: file.size,
      label: file.path,
      context,
      hubFetch,
      signal: options.signal,
      retries: options.retries,
      retryDelayMs: options.retryDelayMs,
      onReceived,
    });

  const remote = await listRepoFiles(context, hubFetch);
  const layout = repoLayout(remote, options.repo);
  const { files, dtype, fetchedFirst } =
    layout === 'hf'
      ? { ...planHf(remote, options.repo, options.dtype, options.device), fetchedFirst: false }
      : await planGenaiPull(remote, options.repo, dir, fetchFile);

  const tracker = new ProgressTracker(files, options.onProgress, options.progressIntervalMs);
  const pulled: PulledFile[] = [];
  for (const file of files) {
    tracker.begin(file.path, file.size);
    const downloaded = await fetchFile(file, (bytes) => tracker.update(bytes));
    tracker.end(downloaded);
    const early = fetchedFirst && file.path === 'genai_config.json';
    pulled.push({ path: file.path, size: file.size, downloaded: downloaded || early });
  }
  return { dir, layout, dtype, files: pulled };
}

/** genai layout: genai_config.json comes first, since it names the graph to fetch. */
async function planGenaiPull(
  remote: RemoteFile[],
  repo: string,
  dir: string,
  fetchFile: (file: RemoteFile) => Promise<boolean>,
): Promise<{ files: RemoteFile[]; dtype?: undefined; fetchedFirst: boolean }> {
  const config = remote.find((f) => f.path === 'genai_config.json');
  if (config === undefined) throw new Error('planGenaiPull needs genai_config.json in the listing');
  const fetchedFirst = await fetchFile(config);
  const decoder = await readGenaiDecoderFile(join(dir, config.path), repo);
  return { files: planGenai(remote, repo, decoder), fetchedFirst };
}

export type { ProgressListener, PullProgress } from './progress.js';
