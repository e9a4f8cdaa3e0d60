/** The two servers bench:ack measures, each in its own process on 127.0.0.1 and a free port. */
import { spawn } from 'node:child_process';
import type { runCli as RunCli } from '../../test/helpers/cli-process.js';

export interface Contender {
  url: string;
  /** Its process, for the CPU time its main thread uses. */
  pid: number | undefined;
  stop(): Promise<void>;
}

/** `teambot serve` from the sources, with these settings. */
export async function startTeambot(runCli: typeof RunCli, env: Record<string, string>): Promise<Contender> {
  const serve = runCli(['serve'], { PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', ...env });
  const [line] = await serve.waitForStdout(/.*"msg":"http server listening".*/, 120_000).catch((error) => {
    process.stderr.write(serve.stderr());
    throw error;
  });
  const { url } = JSON.parse(line) as { url: string };
  return {
    url,
    pid: serve.child.pid,
    async stop() {
      serve.child.kill('SIGTERM');
      await serve.exited;
    },
  };
}

/** bench/ack/bolt-app.ts. */
export async function startBolt(env: Record<string, string>): Promise<Contender> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/ack/bolt-app.ts'], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /listening (\d+)/.exec(out);
      if (match?.[1] !== undefined) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`the Bolt app exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
