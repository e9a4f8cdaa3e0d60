import cliProgress from 'cli-progress';
import { formatBytes } from './format-bytes.js';
import type { ProgressListener, PullProgress } from './progress.js';

/** A progress listener that also ends the display early (on an error). */
export type ProgressPrinter = ProgressListener & { stop(): void };

/** Where progress goes: a TTY gets a bar, anything else plain lines. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

const STEP = 25;

/**
 * Plain lines for logs and pipes: one per file when it ends, and one at each 25% of a large file
 * (progress events are throttled, so small files never reach the step lines).
 */
function linePrinter(stream: ProgressStream): ProgressPrinter {
  let lastStep = 0;
  const overall = (e: PullProgress) =>
    e.overallTotal === 0 ? 100 : Math.floor((e.overallReceived / e.overallTotal) * 100);
  const print = (event: PullProgress) => {
    if (event.state === 'start') {
      lastStep =
        event.totalBytes === 0 ? 0 : Math.floor(((event.receivedBytes / event.totalBytes) * 100) / STEP);
      if (event.receivedBytes > 0) {
        stream.write(
          `${event.file}: resuming at ${formatBytes(event.receivedBytes)} of ${formatBytes(event.totalBytes)}\n`,
        );
      }
    } else if (event.state === 'data' && event.totalBytes > 0) {
      const step = Math.floor(((event.receivedBytes / event.totalBytes) * 100) / STEP);
      if (step > lastStep && step < 100 / STEP) {
        lastStep = step;
        stream.write(`${event.file}: ${step * STEP}% of ${formatBytes(event.totalBytes)}\n`);
      }
    } else if (event.state === 'done' || event.state === 'skipped') {
      const what = event.state === 'done' ? 'downloaded' : 'already complete';
      stream.write(`${event.file}: ${what}, ${formatBytes(event.totalBytes)} (overall ${overall(event)}%)\n`);
    }
  };
  return Object.assign(print, { stop: () => undefined });
}

/** One bar over the whole pull, with the file in progress beside it. */
function barPrinter(stream: ProgressStream): ProgressPrinter {
  let bar: cliProgress.SingleBar | undefined;
  let finished = false;
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  const print = (event: PullProgress) => {
    if (finished) return;
    const payload = {
      file: event.file,
      received: formatBytes(event.overallReceived),
      size: formatBytes(event.overallTotal),
    };
    if (bar === undefined) {
      bar = new cliProgress.SingleBar({
        stream: stream as NodeJS.WritableStream,
        format: '{bar} {percentage}% | {received} of {size} | {file}',
        barsize: 30,
        hideCursor: true,
        clearOnComplete: false,
      });
      bar.start(event.overallTotal, event.overallReceived, payload);
    } else {
      bar.update(event.overallReceived, payload);
    }
    if (
      (event.state === 'done' || event.state === 'skipped') &&
      event.overallReceived >= event.overallTotal
    ) {
      finished = true;
      stop();
    }
  };
  return Object.assign(print, { stop });
}

/** Shows a pull's progress on `stream`: a bar on a terminal, plain lines elsewhere. Call stop() on an error. */
export function pullProgressPrinter(stream: ProgressStream): ProgressPrinter {
  return stream.isTTY === true ? barPrinter(stream) : linePrinter(stream);
}
