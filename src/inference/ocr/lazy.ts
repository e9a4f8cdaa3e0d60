import { errorMessage } from '../../util/error-message.js';
import { OcrError } from './errors.js';
import type { ImageTextReader, OcrResult } from './types.js';

export interface ClosableReader extends ImageTextReader {
  close(): Promise<void>;
}

/**
 * A reader that opens the real one on its first use (the models cost ~0.5 s and ~100 MB, only paid
 * once media arrives), shares that opening between concurrent reads, and tries again on the next
 * read when opening failed. A failure to open comes back as an OcrError, so the bot reports it per
 * attachment.
 */
export function lazyReader(open: () => Promise<ClosableReader>): ClosableReader {
  let opening: Promise<ClosableReader> | undefined;
  let closed = false;
  const get = (): Promise<ClosableReader> => {
    if (closed) return Promise.reject(new OcrError('closed', 'The OCR reader is closed.'));
    opening ??= open().catch((error: unknown) => {
      opening = undefined;
      throw error instanceof OcrError
        ? error
        : new OcrError('model_missing', `OCR is unavailable: ${errorMessage(error)}`, {
            cause: error,
          });
    });
    return opening;
  };
  return {
    async read(image, signal): Promise<OcrResult> {
      return (await get()).read(image, signal);
    },
    async close() {
      closed = true;
      const pending = opening;
      opening = undefined;
      if (pending !== undefined) await (await pending.catch(() => undefined))?.close();
    },
  };
}
