import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-process.js';
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai.js';

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());

describe('teambot chat (a child process driven over stdin/stdout)', () => {
  it('answers through the pipeline, streaming tokens as they arrive, and commands work', async () => {
    fake.setBehavior({ delayMs: 60, chunkSize: 3 });
    const chat = runCli(['chat'], { OPENAI_BASE_URL: fake.url, OPENAI_MODEL: 'fake-model' });
    await chat.waitForStdout(/Type \/help for commands\.\n/);

    chat.write('tell me something long enough to stream');
    // A first piece shows up while the rest of the answer is still being generated.
    await chat.waitForStdout(/teambot> Echo/);
    expect(chat.stdout()).not.toContain('to stream');
    await chat.waitForStdout(/teambot> Echo: tell me something long enough to stream\n/);

    chat.write('/whoami');
    await chat.waitForStdout(/Role: admin\./);
    chat.write('/help');
    await chat.waitForStdout(/• \/reset: forget this conversation/);

    // The second question carries the first exchange as history.
    fake.setBehavior({});
    chat.write('and again');
    await chat.waitForStdout(/teambot> Echo: and again\n/);
    const body = fake.requests.at(-1)?.body as { messages: Array<{ content: string }> };
    expect(body.messages.map((m) => m.content)).toContain('tell me something long enough to stream');

    chat.write('/reset');
    await chat.waitForStdout(/forgotten this conversation/);
    chat.child.stdin.end();
    expect(await chat.exited).toBe(0);
  });

  it('survives a failing model: one short error, then it keeps serving', async () => {
    fake.setBehavior({ error: { status: 500, message: 'kaboom' } });
    const chat = runCli(['chat'], { OPENAI_BASE_URL: fake.url, OPENAI_MODEL: 'fake-model' });
    await chat.waitForStdout(/Type \/help/);
    chat.write('first');
    await chat.waitForStdout(
      /teambot> The model is unavailable right now\. Please try again shortly\. \(error [0-9a-f]{8}\)\n/,
    );
    fake.setBehavior({});
    chat.write('second');
    await chat.waitForStdout(/teambot> Echo: second\n/);
    chat.child.stdin.end();
    expect(await chat.exited).toBe(0);
    const errors = chat
      .stderr()
      .split('\n')
      .filter((line) => line.includes('"level":50'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('"errorId"');
  });

  it('offline with no settings it starts on the demo model and says so in the first reply', async () => {
    const chat = runCli(['chat'], { MAX_NEW_TOKENS: '8' });
    await chat.waitForStdout(/teambot chat: onnx engine, model teambot-demo\. Type \/help/);
    chat.write('hello?');
    await chat.waitForStdout(
      /teambot> ⚠️ teambot is running on its built-in demo model: answers are meaningless/,
    );
    expect(chat.stderr()).toContain('onnx-community/Qwen3.5-0.8B-ONNX could not be pulled');
    chat.write('/help');
    await chat.waitForStdout(/• \/ask <question>: ask a question/);
    chat.child.stdin.end();
    expect(await chat.exited).toBe(0);
  });

  it('refuses a bad setting with one line per problem and no stack trace', async () => {
    const chat = runCli(['chat'], { PORT: 'abc', INFERENCE_DEVICE: 'tpu' });
    expect(await chat.exited).toBe(78);
    expect(chat.stderr()).toBe(
      [
        'teambot: Invalid configuration:',
        '  PORT: expected an integer between 0 and 65535, got "abc"',
        '  INFERENCE_DEVICE: expected auto, cuda, webgpu or cpu, got "tpu"',
        '',
      ].join('\n'),
    );
  });
});
