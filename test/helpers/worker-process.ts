import { type CliProcess, runCli } from './cli-process.js';

export interface WorkerProcess {
  cli: CliProcess;
  url: string;
  /** One series' value from the worker's /metrics (NaN when absent). */
  metric(series: string): Promise<number>;
  stop(): Promise<void>;
}

export const WORKER_KEY = 'sk-worker-test';

/** A real `teambot worker` process (tsx) on 127.0.0.1 and a free port, on the model in `dir`. */
export async function startWorkerProcess(
  dir: string,
  env: Record<string, string> = {},
): Promise<WorkerProcess> {
  const cli = runCli(['worker'], {
    PORT: '0',
    HOST: '127.0.0.1',
    API_KEYS: WORKER_KEY,
    MODEL: dir,
    INFERENCE_DEVICE: 'cpu',
    INFERENCE_THREADS: '1',
    INFERENCE_SPIN: 'false',
    RESPONSE_CACHE: 'false',
    TEMPERATURE: '0',
    ...env,
  });
  const [line] = await cli.waitForStdout(/.*"msg":"http server listening".*/, 60_000);
  const { url } = JSON.parse(line) as { url: string };
  await cli.waitForStdout(/teambot worker is running/, 60_000);
  return {
    cli,
    url,
    async metric(series) {
      const text = await (await fetch(`${url}/metrics`)).text();
      const found = text.split('\n').find((l) => l.startsWith(`${series} `));
      return found === undefined ? Number.NaN : Number(found.slice(series.length + 1));
    },
    async stop() {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGTERM');
      await cli.exited;
    },
  };
}
