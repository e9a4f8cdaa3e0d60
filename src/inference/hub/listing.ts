import { listFiles } from '@huggingface/hub';
import type { HubContext } from './context.js';
import type { HubFetch } from './http.js';
import { statusError } from './http-errors.js';

/** A file of the repo at the revision; `size` is the real content size (the LFS size for LFS files). */
export interface RemoteFile {
  path: string;
  size: number;
}

/**
 * Every file of the repo at the revision, through `@huggingface/hub`'s `listFiles` (the tree API,
 * recursive, following its Link-header pagination). The token travels in `hubFetch` rather than as
 * listFiles' `accessToken`, which refuses tokens not starting with `hf_` (mirrors use others); a
 * failed answer becomes a HubError here, before listFiles sees it.
 */
export async function listRepoFiles(context: HubContext, hubFetch: HubFetch): Promise<RemoteFile[]> {
  const checkedFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const response = await hubFetch(input instanceof Request ? input.url : String(input), init);
    if (!response.ok) throw await statusError(response, context, { kind: 'listing' });
    return response;
  };
  const files: RemoteFile[] = [];
  for await (const entry of listFiles({
    repo: context.repo,
    // listFiles puts the revision into the URL path as is; a branch such as refs/pr/1 needs encoding.
    revision: encodeURIComponent(context.revision),
    recursive: true,
    hubUrl: context.endpoint,
    fetch: checkedFetch,
  })) {
    if (entry.type !== 'file') continue;
    files.push({ path: entry.path, size: entry.lfs?.size ?? entry.size });
  }
  return files;
}
