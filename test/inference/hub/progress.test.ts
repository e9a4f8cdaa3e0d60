import { describe, expect, it } from 'vitest';
import { ProgressTracker, type PullProgress } from '../../../src/inference/hub/progress.js';
import { pullProgressPrinter } from '../../../src/inference/hub/progress-printer.js';

describe('ProgressTracker', () => {
  it('sends start, throttled data and end events with overall sums', () => {
    let now = 0;
    const events: PullProgress[] = [];
    const tracker = new ProgressTracker(
      [{ size: 10 }, { size: 100 }],
      (e) => events.push(e),
      100,
      () => now,
    );
    tracker.begin('a', 10);
    tracker.end(false);
    tracker.begin('b', 100);
    tracker.update(20);
    now = 50;
    tracker.update(40);
    now = 150;
    tracker.update(60);
    tracker.update(70);
    tracker.end(true);
    expect(events.map((e) => [e.file, e.state, e.receivedBytes, e.overallReceived, e.overallTotal])).toEqual([
      ['a', 'skipped', 10, 10, 110],
      ['b', 'start', 20, 30, 110],
      ['b', 'data', 60, 70, 110],
      ['b', 'done', 100, 110, 110],
    ]);
  });
});

describe('pullProgressPrinter without a terminal', () => {
  it('prints a line per file and at 25% steps', () => {
    let text = '';
    const print = pullProgressPrinter({ isTTY: false, write: (s: string) => (text += s) });
    const event = (
      state: PullProgress['state'],
      file: string,
      received: number,
      total: number,
      overall: number,
    ) =>
      print({
        file,
        state,
        receivedBytes: received,
        totalBytes: total,
        overallReceived: overall,
        overallTotal: 4100,
      });
    event('skipped', 'config.json', 100, 100, 100);
    event('start', 'onnx/model_q4.onnx', 1000, 4000, 1100);
    event('data', 'onnx/model_q4.onnx', 1200, 4000, 1300);
    event('data', 'onnx/model_q4.onnx', 2100, 4000, 2200);
    event('data', 'onnx/model_q4.onnx', 3900, 4000, 4000);
    event('done', 'onnx/model_q4.onnx', 4000, 4000, 4100);
    print.stop();
    expect(text.split('\n')).toEqual([
      'config.json: already complete, 100 B (overall 2%)',
      'onnx/model_q4.onnx: resuming at 1.0 kB of 4.0 kB',
      'onnx/model_q4.onnx: 50% of 4.0 kB',
      'onnx/model_q4.onnx: 75% of 4.0 kB',
      'onnx/model_q4.onnx: downloaded, 4.0 kB (overall 100%)',
      '',
    ]);
  });
});
