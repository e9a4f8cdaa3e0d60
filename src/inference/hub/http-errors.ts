import type { HubContext } from './context.js';
import { HubError } from './errors.js';

/** What a failed request was for. */
export type RequestSubject = { kind: 'listing' } | { kind: 'file'; path: string };

/** The hub's explanation: the JSON `error` field or the start of the text body. */
async function bodyMessage(response: Response): Promise<string> {
  try {
    const text = (await response.text()).trim();
    if (text === '') return '';
    try {
      const json = JSON.parse(text) as { error?: unknown; message?: unknown };
      const message = json.error ?? json.message;
      if (typeof message === 'string') return message;
    } catch {
      // not JSON: use the text itself
    }
    return text.length > 200 ? `${text.slice(0, 197)}...` : text;
  } catch {
    return '';
  }
}

function notFound(context: HubContext, status: number): HubError {
  const { repo, endpoint, revision, tokenGiven } = context;
  const what = revision === 'main' ? `Model ${repo}` : `Model ${repo} (or its revision "${revision}")`;
  const hint = tokenGiven
    ? 'Check the id (owner/name) and that the token in HF_TOKEN can read it.'
    : 'Check the id (owner/name); if the model is private or gated, set HF_TOKEN to an access token.';
  return new HubError('repo_not_found', `${what} was not found on ${endpoint} (HTTP ${status}). ${hint}`);
}

/** Turns a failed hub answer into one clear HubError (reads the body). */
export async function statusError(
  response: Response,
  context: HubContext,
  subject: RequestSubject,
): Promise<HubError> {
  const { repo, endpoint, revision, tokenGiven } = context;
  const status = response.status;
  const errorCode = response.headers.get('x-error-code') ?? '';
  const said = await bodyMessage(response);
  const detail = said === '' ? '' : `: ${said}`;
  if (errorCode === 'GatedRepo') {
    return new HubError(
      'gated',
      `${repo} is gated on ${endpoint} (HTTP ${status}${detail}). Accept its conditions on ${endpoint}/${repo} ` +
        'with your account, then set HF_TOKEN to an access token of that account.',
    );
  }
  if (errorCode === 'RepoNotFound') return notFound(context, status);
  if (errorCode === 'RevisionNotFound') {
    return new HubError(
      'revision_not_found',
      `Revision "${revision}" of ${repo} was not found on ${endpoint} (HTTP ${status}). ` +
        'Check --revision: a branch, a tag or a commit.',
    );
  }
  if (status === 401) {
    return new HubError(
      'unauthorized',
      tokenGiven
        ? `${endpoint} rejected the token in HF_TOKEN (HTTP 401${detail}): it is invalid or expired.`
        : `${endpoint} requires authentication to read ${repo} (HTTP 401${detail}): ` +
            'set HF_TOKEN to an access token that can read it.',
    );
  }
  if (status === 403) {
    return new HubError(
      'forbidden',
      `${endpoint} refused access to ${repo} (HTTP 403${detail}). ` +
        (tokenGiven
          ? 'The token in HF_TOKEN lacks the permission to read it.'
          : 'Set HF_TOKEN to an access token that can read it.'),
    );
  }
  if (status === 404) {
    if (subject.kind === 'listing' || errorCode === 'RepoNotFound') return notFound(context, status);
    return new HubError(
      'file_not_found',
      `${subject.path} of ${repo}@${revision} was not found on ${endpoint} (HTTP 404) although the ` +
        'listing names it; try again.',
    );
  }
  if (status === 429) {
    return new HubError(
      'rate_limited',
      `${endpoint} is rate-limiting requests (HTTP 429${detail}); wait a minute and try again` +
        (tokenGiven ? '.' : ', or set HF_TOKEN (authenticated requests get higher limits).'),
    );
  }
  const what = subject.kind === 'listing' ? `the file listing of ${repo}` : `${subject.path} of ${repo}`;
  const statusText = response.statusText === '' ? '' : ` ${response.statusText}`;
  return new HubError(
    status >= 500 ? 'server_error' : 'http_error',
    `${endpoint} answered HTTP ${status}${statusText} for ${what}${detail}.`,
  );
}
