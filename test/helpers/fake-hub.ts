import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A repo the fake hub serves, from memory. */
export interface FakeRepo {
  /** Path in the repo → content. */
  files: Record<string, string | Uint8Array>;
  /** Branches and tags that exist. Default ['main']. */
  revisions?: string[];
  /** When set, every request for this repo needs `Authorization: Bearer <token>` (401 otherwise). */
  token?: string;
}

export interface FakeHubOptions {
  /** owner/name → repo. */
  repos: Record<string, FakeRepo>;
  /** Entries per page of the tree listing (pages are chained with a Link header). Default: one page. */
  pageSize?: number;
  /** Files at least this big are listed as LFS files. Default 1024. */
  lfsThreshold?: number;
  /** Answer `resolve` for LFS files with a 302 to a CDN-like URL on the same server, as the hub does. */
  redirectLfs?: boolean;
}

export interface HubRequest {
  method: string;
  /** Decoded path, e.g. `/org/model/resolve/main/onnx/model_q4.onnx`. */
  path: string;
  range?: string;
  authorization?: string;
}

export interface FakeHub {
  /** The endpoint (what HF_ENDPOINT would be). */
  url: string;
  /** Every request received, in order. */
  requests: HubRequest[];
  /** The GET requests that fetched the file's bytes (resolve, or its CDN redirect target). */
  downloadsOf(repo: string, path: string): HubRequest[];
  /** The next `times` downloads of `path` send `bytes` bytes of their body, then drop the connection. */
  failAfter(path: string, bytes: number, times?: number): void;
  /** Serve `content` for `path` while the listing keeps announcing the original size. */
  serveInstead(path: string, content: string | Uint8Array): void;
  close(): Promise<void>;
}

const toBytes = (content: string | Uint8Array) =>
  typeof content === 'string' ? Buffer.from(content) : Buffer.from(content);

const hash = (algorithm: 'sha1' | 'sha256', data: Buffer) => createHash(algorithm).update(data).digest('hex');

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

interface FileRequest {
  id: string;
  revision: string;
  path: string;
  /** The redirect target of an LFS file (no auth or revision check there, like a signed CDN URL). */
  viaCdn: boolean;
}

/** `/<owner>/<name>/resolve/<revision>/<path>` or `/cdn/<owner>/<name>/<revision>/<path>` (raw path). */
function fileRequest(pathname: string): FileRequest | undefined {
  const parts = pathname.split('/').slice(1).map(decodeURIComponent);
  if (parts[0] === 'cdn' && parts.length >= 5) {
    return {
      id: `${parts[1]}/${parts[2]}`,
      revision: parts[3] ?? '',
      path: parts.slice(4).join('/'),
      viaCdn: true,
    };
  }
  if (parts[2] === 'resolve' && parts.length >= 5) {
    return {
      id: `${parts[0]}/${parts[1]}`,
      revision: parts[3] ?? '',
      path: parts.slice(4).join('/'),
      viaCdn: false,
    };
  }
  return undefined;
}

function treeEntries(repo: FakeRepo, lfsThreshold: number): unknown[] {
  const paths = Object.keys(repo.files).sort();
  const dirs = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i += 1) dirs.add(parts.slice(0, i).join('/'));
  }
  const files = paths.map((path) => {
    const data = toBytes(repo.files[path] ?? '');
    const entry = { type: 'file', oid: hash('sha1', data), size: data.length, path };
    if (data.length < lfsThreshold) return entry;
    return { ...entry, lfs: { oid: hash('sha256', data), size: data.length, pointerSize: 134 } };
  });
  const folders = [...dirs].map((path) => ({
    type: 'directory',
    oid: hash('sha1', Buffer.from(path)),
    size: 0,
    path,
  }));
  return [...folders, ...files].sort((a, b) => a.path.localeCompare(b.path));
}

/** Starts a local server on 127.0.0.1 that answers like the Hugging Face hub for the given repos. */
export async function startFakeHub(options: FakeHubOptions): Promise<FakeHub> {
  const requests: HubRequest[] = [];
  const failures = new Map<string, { bytes: number; times: number }>();
  const replacements = new Map<string, Buffer>();
  const lfsThreshold = options.lfsThreshold ?? 1024;
  let base = '';

  /** Checks repo, token and revision; answers the error itself and returns undefined when one fails. */
  function lookup(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    revision: string,
  ): FakeRepo | undefined {
    const repo = options.repos[id];
    if (repo === undefined) {
      sendJson(res, 404, { error: 'Repository not found' }, { 'x-error-code': 'RepoNotFound' });
      return undefined;
    }
    if (repo.token !== undefined && req.headers.authorization !== `Bearer ${repo.token}`) {
      sendJson(res, 401, { error: 'Invalid credentials in Authorization header' });
      return undefined;
    }
    if (!(repo.revisions ?? ['main']).includes(revision)) {
      sendJson(res, 404, { error: `Invalid rev id: ${revision}` }, { 'x-error-code': 'RevisionNotFound' });
      return undefined;
    }
    return repo;
  }

  function tree(req: IncomingMessage, res: ServerResponse, url: URL, match: RegExpExecArray): void {
    const [, id = '', rawRevision = ''] = match;
    const repo = lookup(req, res, id, decodeURIComponent(rawRevision));
    if (repo === undefined) return;
    const entries = treeEntries(repo, lfsThreshold);
    const size = options.pageSize ?? entries.length;
    const cursor = Number(url.searchParams.get('cursor') ?? '0');
    const headers: Record<string, string> = {};
    if (cursor + size < entries.length) {
      const next = new URL(url.pathname + url.search, base);
      next.searchParams.set('cursor', String(cursor + size));
      headers.link = `<${next.href}>; rel="next"`;
    }
    sendJson(res, 200, entries.slice(cursor, cursor + size), headers);
  }

  function sendFile(req: IncomingMessage, res: ServerResponse, path: string, data: Buffer): void {
    const headers: Record<string, string> = { 'accept-ranges': 'bytes', etag: `"${hash('sha1', data)}"` };
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    let body = data;
    let status = 200;
    if (range !== null) {
      const start = Number(range[1]);
      const end = range[2] === '' ? data.length - 1 : Math.min(Number(range[2]), data.length - 1);
      if (start >= data.length) {
        res.writeHead(416, { 'content-range': `bytes */${data.length}` });
        res.end();
        return;
      }
      status = 206;
      body = data.subarray(start, end + 1);
      headers['content-range'] = `bytes ${start}-${end}/${data.length}`;
    }
    res.writeHead(status, {
      ...headers,
      'content-type': 'application/octet-stream',
      'content-length': String(body.length),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const failure = failures.get(path);
    if (failure !== undefined && failure.times > 0 && failure.bytes < body.length) {
      failure.times -= 1;
      // A pause lets the client take in the bytes before the connection drops (an errored stream
      // discards what it has queued but not yet delivered).
      res.write(body.subarray(0, failure.bytes), () => setTimeout(() => res.socket?.destroy(), 50));
      return;
    }
    res.end(body);
  }

  function resolve(req: IncomingMessage, res: ServerResponse, file: FileRequest): void {
    const { id, revision, path, viaCdn } = file;
    const repo = viaCdn ? options.repos[id] : lookup(req, res, id, revision);
    if (repo === undefined) return;
    const content = repo.files[path];
    if (content === undefined) {
      sendJson(res, 404, { error: 'Entry not found' }, { 'x-error-code': 'EntryNotFound' });
      return;
    }
    const data = toBytes(content);
    if (!viaCdn && options.redirectLfs === true && data.length >= lfsThreshold) {
      res.writeHead(302, { location: `/cdn/${id}/${encodeURIComponent(revision)}/${path}` });
      res.end();
      return;
    }
    sendFile(req, res, path, replacements.get(path) ?? data);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    requests.push({
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      range: req.headers.range,
      authorization: req.headers.authorization,
    });
    const treeMatch = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/([^/]+)(?:\/.*)?$/.exec(url.pathname);
    if (treeMatch !== null && req.method === 'GET') return tree(req, res, url, treeMatch);
    const file = fileRequest(url.pathname);
    if (file !== undefined) return resolve(req, res, file);
    sendJson(res, 404, { error: 'Not found' });
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    requests,
    downloadsOf: (repo, path) =>
      requests.filter(
        (r) =>
          r.method === 'GET' &&
          (r.path.startsWith(`/${repo}/resolve/`) || r.path.startsWith(`/cdn/${repo}/`)) &&
          r.path.endsWith(`/${path}`),
      ),
    failAfter: (path, bytes, times = 1) => void failures.set(path, { bytes, times }),
    serveInstead: (path, content) => void replacements.set(path, toBytes(content)),
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
