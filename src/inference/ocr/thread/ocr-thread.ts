import type { Worker } from 'node:worker_threads';
import { closeWorkerThread, siblingModule, startWorkerThread } from '../../../util/worker-thread.js';
import { OcrError, type OcrErrorCode } from '../errors.js';
import type { ClosableReader } from '../lazy.js';
import type { OcrResult } from '../types.js';
import type { FromOcrThread, OcrThreadData, OcrWireError, ToOcrThread } from './protocol.js';

interface Pending {
  resolve(result: OcrResult): void;
  reject(error: Error): void;
}

const fromWire = (error: OcrWireError): Error =>
  error.code !== undefined
    ? new OcrError(error.code as OcrErrorCode, error.message)
    : new Error(error.message);

/**
 * The OCR reader in its own thread: the PP-OCR sessions' forward passes never hold the main
 * thread. The thread starts on the first read (models cost ~0.5 s and ~100 MB) and again on the
 * next read after it died; reads it held then fail with a clear OcrError.
 */
export class OcrThread implements ClosableReader {
  private worker: Promise<Worker> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly data: OcrThreadData) {}

  async read(image: Uint8Array | string, signal?: AbortSignal): Promise<OcrResult> {
    if (this.closed) throw new OcrError('closed', 'The OCR reader is closed.');
    const worker = await this.started();
    const id = this.nextId++;
    return new Promise<OcrResult>((resolve, reject) => {
      const cancel = () => worker.postMessage({ type: 'cancel', id } satisfies ToOcrThread);
      signal?.addEventListener('abort', cancel, { once: true });
      const done = () => {
        signal?.removeEventListener('abort', cancel);
        this.pending.delete(id);
      };
      this.pending.set(id, {
        resolve: (result) => {
          done();
          resolve(result);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
      worker.postMessage({ type: 'read', id, image } satisfies ToOcrThread);
    });
  }

  /** Starts the thread and opens the models now (the error of opening them, if they cannot be). */
  async warmUp(): Promise<void> {
    await this.started();
  }

  async close(): Promise<void> {
    this.closed = true;
    const starting = this.worker;
    this.worker = undefined;
    const worker = await starting?.catch(() => undefined);
    if (worker === undefined) return;
    await closeWorkerThread(worker, { type: 'close' } satisfies ToOcrThread);
  }

  /** Test hook: the thread exits abruptly with a read in flight, as a crash would (not inside a run). */
  async killThreadForTest(): Promise<void> {
    const worker = await this.worker;
    if (worker === undefined) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'exit' } satisfies ToOcrThread);
    await exited;
  }

  private started(): Promise<Worker> {
    this.worker ??= this.spawn().catch((error: unknown) => {
      this.worker = undefined;
      throw error;
    });
    return this.worker;
  }

  private spawn(): Promise<Worker> {
    const worker = startWorkerThread(siblingModule(import.meta.url, 'ocr-worker'), {
      workerData: this.data,
      name: 'teambot-ocr',
    });
    return new Promise((resolve, reject) => {
      let failure: Error | undefined;
      let ready = false;
      worker.on('message', (message: FromOcrThread) => {
        if (message.type === 'ready') {
          ready = true;
          resolve(worker);
        } else if (message.type === 'open_failed') {
          failure = fromWire(message.error);
          void worker.terminate();
        } else if (message.type === 'result') this.pending.get(message.id)?.resolve(message.result);
        else if (message.type === 'error') this.pending.get(message.id)?.reject(fromWire(message.error));
      });
      worker.on('error', (error) => {
        failure ??= error;
      });
      worker.once('exit', (code) => {
        if (!ready) {
          reject(failure ?? new Error(`The OCR thread exited with code ${code} while opening its models.`));
          return;
        }
        if (this.worker !== undefined) this.worker = undefined;
        const error = new OcrError(
          'model_missing',
          'The OCR thread stopped while reading; please send it again.',
        );
        for (const pending of [...this.pending.values()]) pending.reject(error);
      });
    });
  }
}
