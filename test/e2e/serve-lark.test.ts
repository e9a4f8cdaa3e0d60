import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageEvent, nextMessageId } from '../bot/adapters/lark/payloads.js';
import { runCli } from '../helpers/cli-process.js';
import { type FakeLark, startFakeLark, waitFor } from '../helpers/fake-lark.js';
import { type FakeOpenAI, startFakeOpenAI } from '../helpers/fake-openai.js';
import { encryptAndSign } from '../helpers/lark-crypto.js';
import { larkWebhookEnv } from '../helpers/lark-webhook-env.js';

const ENCRYPT_KEY = 'e2e-encrypt-key';
let lark: FakeLark;
let openai: FakeOpenAI;

beforeAll(async () => {
  lark = await startFakeLark();
  openai = await startFakeOpenAI({ behavior: { reply: '你好！我是 teambot。' } });
});
afterAll(async () => {
  await lark.close();
  await openai.close();
});

describe('teambot serve with Lark configured in webhook mode (a child process)', () => {
  it('answers an encrypted, signed 1:1 message with a streamed card, and refuses a bad signature', async () => {
    const serve = runCli(['serve'], {
      PORT: '0',
      HOST: '127.0.0.1',
      ...larkWebhookEnv(lark, openai, ENCRYPT_KEY),
    });
    const [line] = await serve.waitForStdout(/.*"msg":"http server listening".*/);
    const { url } = JSON.parse(line) as { url: string };
    await serve.waitForStdout(/answering on lark \(POST \/lark\/events\)/);

    const messageId = nextMessageId();
    const event = messageEvent({ text: '你好，请介绍一下你自己', messageId });
    const forged = encryptAndSign('wrong-key', event);
    expect((await fetch(`${url}/lark/events`, { method: 'POST', ...forged })).status).toBe(401);

    const delivery = encryptAndSign(ENCRYPT_KEY, event);
    expect((await fetch(`${url}/lark/events`, { method: 'POST', ...delivery })).status).toBe(200);
    const reply = await waitFor(
      () => lark.messages.find((m) => m.replyTo === messageId && lark.textOf(m) === '你好！我是 teambot。'),
      'the card reply',
      15_000,
    );
    expect(reply.cardId).toBeDefined();
    const body = openai.requests.at(-1)?.body as { messages: { content: string }[] } | undefined;
    const question = body?.messages.at(-1);
    expect(question?.content).toBe('你好，请介绍一下你自己');

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/teambot_lark_rejected_requests_total\{reason="[a-z_]+"\} 1/);
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
  });
});
