import { isRecord } from '../../util/is-record.js';
import { EngineError } from '../errors.js';
import { Deadline } from './deadline.js';
import { type Endpoint, endpointUrl, requestHeaders } from './endpoint.js';
import { errorFromResponse, unreachable } from './http-errors.js';

/** The model ids `GET {baseUrl}/models` lists, in the server's order. Throws EngineError. */
export async function listModels(endpoint: Endpoint, timeoutMs: number): Promise<string[]> {
  const deadline = new Deadline(timeoutMs);
  try {
    let response: Response;
    try {
      response = await endpoint.fetch(endpointUrl(endpoint, 'models'), {
        headers: requestHeaders(endpoint, 'application/json'),
        signal: deadline.signal,
      });
    } catch (error) {
      if (deadline.expired) {
        throw new EngineError('timeout', `No answer from ${endpoint.baseUrl}/models within ${timeoutMs} ms.`);
      }
      throw unreachable(error, endpoint);
    }
    if (!response.ok) throw await errorFromResponse(response, endpoint);
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      if (deadline.expired) {
        throw new EngineError('timeout', `No answer from ${endpoint.baseUrl}/models within ${timeoutMs} ms.`);
      }
      throw new EngineError('protocol', `${endpoint.baseUrl}/models did not answer with JSON.`, {
        cause: error,
      });
    }
    const data = isRecord(body) && Array.isArray(body.data) ? body.data : [];
    return data.flatMap((entry: unknown) =>
      isRecord(entry) && typeof entry.id === 'string' ? [entry.id] : [],
    );
  } finally {
    deadline.clear();
  }
}

/** The first listed model, for when OPENAI_MODEL is not set; a clear 'not_configured' error if there is none. */
export async function discoverModel(endpoint: Endpoint, timeoutMs: number): Promise<string> {
  let models: string[];
  try {
    models = await listModels(endpoint, timeoutMs);
  } catch (error) {
    if (error instanceof EngineError && (error.code === 'bad_request' || error.code === 'protocol')) {
      throw new EngineError(
        'not_configured',
        `OPENAI_MODEL is not set and the model list at ${endpoint.baseUrl}/models could not be read ` +
          `(${error.message}). Set OPENAI_MODEL to the model name your server serves.`,
        { cause: error },
      );
    }
    throw error;
  }
  const first = models[0];
  if (first === undefined) {
    throw new EngineError(
      'not_configured',
      `OPENAI_MODEL is not set and ${endpoint.baseUrl}/models lists no models. ` +
        'Set OPENAI_MODEL to the model name your server serves.',
    );
  }
  return first;
}
