import { describe, expect, it } from 'vitest';
import { StopMatcher } from '../../../src/inference/text/stop-matcher.js';

function run(stops: string[], chunks: string[]): { emitted: string[]; stopped: boolean; text: string } {
  const matcher = new StopMatcher(stops);
  const emitted: string[] = [];
  let stopped = false;
  for (const chunk of chunks) {
    const out = matcher.push(chunk);
    emitted.push(out.emit);
    if (out.stopped) {
      stopped = true;
      break;
    }
  }
  if (!stopped) emitted.push(matcher.flush());
  return { emitted, stopped, text: emitted.join('') };
}

describe('StopMatcher', () => {
  it('passes text through when nothing can match', () => {
    expect(run(['###'], ['Hello', ' world'])).toEqual({
      emitted: ['Hello', ' world', ''],
      stopped: false,
      text: 'Hello world',
    });
  });

  it('finds a stop string spanning chunks and emits only what comes before it', () => {
    const { emitted, stopped, text } = run(['<|end|>'], ['Hi the', 're<|e', 'n', 'd|> tail']);
    expect(stopped).toBe(true);
    expect(text).toBe('Hi there');
    expect(emitted).toEqual(['Hi the', 're', '', '']);
  });

  it('releases a partial match that turns out not to be a stop', () => {
    const { emitted, stopped, text } = run(['\nUser:'], ['line one\nUs', 'ually fine', '\nUse']);
    expect(stopped).toBe(false);
    expect(emitted).toEqual(['line one', '\nUsually fine', '', '\nUse']);
    expect(text).toBe('line one\nUsually fine\nUse');
  });

  it('stops at the earliest of several stop strings', () => {
    expect(run(['STOP', 'END'], ['a END b STOP']).text).toBe('a ');
    expect(run(['STOP', 'END'], ['a ST', 'OP b END']).text).toBe('a ');
    // 'abcd' starts before 'bc' does.
    expect(run(['abcd', 'bc'], ['xab', 'cd']).text).toBe('x');
    expect(run(['abcd', 'bc'], ['xab', 'ce']).text).toBe('xa');
  });

  it('holds back the longest possible start among several stops', () => {
    const matcher = new StopMatcher(['xyz', 'yzz']);
    expect(matcher.push('aaxy')).toEqual({ emit: 'aa', stopped: false });
    expect(matcher.push('z')).toEqual({ emit: '', stopped: true });
  });

  it('stops at the very start', () => {
    expect(run(['</s>'], ['</s>more'])).toEqual({ emitted: [''], stopped: true, text: '' });
    expect(run(['</s>'], ['</', 's>'])).toEqual({ emitted: ['', ''], stopped: true, text: '' });
  });

  it('emits nothing after stopping and ignores empty stop strings', () => {
    const matcher = new StopMatcher(['', 'x']);
    expect(matcher.push('abc')).toEqual({ emit: 'abc', stopped: false });
    expect(matcher.push('x y')).toEqual({ emit: '', stopped: true });
    expect(matcher.stopped).toBe(true);
    expect(matcher.push('more')).toEqual({ emit: '', stopped: true });
    expect(matcher.flush()).toBe('');
  });

  it('handles stops made of multi-unit characters', () => {
    expect(run(['🛑'], ['go go \uD83D', '\uDED1 no']).text).toBe('go go ');
    expect(run(['你好'], ['说你', '们好']).text).toBe('说你们好');
  });
});
