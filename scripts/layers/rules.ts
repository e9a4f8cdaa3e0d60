/**
 * The rooms of src/ and the direction of their imports, written down once. A room may import the
 * rooms listed for it and nothing else; `src/cli.ts` is the `cli` room. Foundations (util, config,
 * log, metrics) import nothing above them; tracing (OpenTelemetry helpers) sits just above config and
 * log; bot and server are siblings that never import each other.
 */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  util: [],
  config: ['util'],
  log: ['util'],
  metrics: ['util'],
  tracing: ['util', 'config', 'log'],
  storage: ['util', 'config', 'log', 'metrics'],
  inference: ['util', 'config', 'log', 'metrics', 'tracing', 'storage'],
  bot: ['util', 'config', 'log', 'metrics', 'tracing', 'storage', 'inference'],
  server: ['util', 'config', 'log', 'metrics', 'tracing', 'storage', 'inference'],
  app: ['util', 'config', 'log', 'metrics', 'tracing', 'storage', 'inference', 'bot', 'server'],
  cli: ['util', 'config', 'log', 'metrics', 'tracing', 'storage', 'inference', 'bot', 'server', 'app'],
};

/** Known exceptions, each with its reason; `from -> to` file pairs (relative to src/). */
export const EXCEPTIONS: Readonly<Record<string, string>> = {};
