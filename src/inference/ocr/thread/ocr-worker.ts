/** The OCR thread's entry: PP-OCR sessions run here, never on the main thread. */
import { parentPort, workerData } from 'node:worker_threads';
import { OcrError } from '../errors.js';
import { OcrReader } from '../reader.js';
import type { FromOcrThread, OcrThreadData, OcrWireError, ToOcrThread } from './protocol.js';

const port = parentPort;
if (port === null) throw new Error('ocr-worker.ts runs as a worker thread only.');
const post = (message: FromOcrThread) => port.postMessage(message);
const running = new Map<number, AbortController>();

const wire = (error: unknown): OcrWireError =>
  error instanceof OcrError
    ? { name: error.name, message: error.message, code: error.code }
    : {
        name: error instanceof Error ? error.name : 'Error',
        message: String((error as Error)?.message ?? error),
      };

let reader: OcrReader | undefined;
try {
  reader = await OcrReader.open(workerData as OcrThreadData);
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'open_failed', error: wire(error) });
}

port.on('message', (message: ToOcrThread) => {
  if (message.type === 'cancel') {
    running.get(message.id)?.abort();
    return;
  }
  if (message.type === 'exit') process.exit(1);
  if (message.type === 'close') {
    void (reader?.close() ?? Promise.resolve()).finally(() => {
      post({ type: 'closed' });
      port.close();
    });
    return;
  }
  const open = reader;
  if (open === undefined) return;
  const controller = new AbortController();
  running.set(message.id, controller);
  open
    .read(message.image, controller.signal)
    .then(
      (result) => post({ type: 'result', id: message.id, result }),
      (error: unknown) => post({ type: 'error', id: message.id, error: wire(error) }),
    )
    .finally(() => running.delete(message.id));
});
