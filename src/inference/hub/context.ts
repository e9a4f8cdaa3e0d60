/** What a pull is about, for requests and for error messages. */
export interface HubContext {
  /** Base URL without a trailing slash, e.g. https://huggingface.co. */
  endpoint: string;
  /** owner/name */
  repo: string;
  revision: string;
  /** Whether a token is sent (HF_TOKEN or the token option). */
  tokenGiven: boolean;
  /** The local model directory. */
  dir: string;
}

/** The hub's download URL of a file: `<endpoint>/<repo>/resolve/<revision>/<path>`. */
export function resolveUrl(context: HubContext, path: string): string {
  const encodedPath = path.split('/').map(encodeURIComponent).join('/');
  return `${context.endpoint}/${context.repo}/resolve/${encodeURIComponent(context.revision)}/${encodedPath}`;
}
