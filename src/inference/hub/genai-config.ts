import { objectField, stringField } from '../model/json-file.js';
import { readModelJson } from '../model/model-files.js';
import { HubError } from './errors.js';

/** A relative path inside the model directory: no absolute path, no `..`, no backslash. */
function isSafeRelativePath(path: string): boolean {
  return (
    path !== '' &&
    !path.startsWith('/') &&
    !path.includes('\\') &&
    path.split('/').every((part) => part !== '' && part !== '.' && part !== '..')
  );
}

/** The graph file an onnxruntime-genai config names (`model.decoder.filename`), relative to its folder. */
export async function readGenaiDecoderFile(configPath: string, repo: string): Promise<string> {
  let file: string | undefined;
  try {
    const config = await readModelJson(configPath, false);
    file = stringField(objectField(objectField(config, 'model'), 'decoder'), 'filename');
  } catch (error) {
    throw new HubError('bad_genai_config', `${repo}: ${(error as Error).message}`, { cause: error });
  }
  if (file === undefined || !isSafeRelativePath(file)) {
    throw new HubError(
      'bad_genai_config',
      `${repo}'s genai_config.json lacks model.decoder.filename or names an unsafe path (${String(file)}).`,
    );
  }
  return file;
}
