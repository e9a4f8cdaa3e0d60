import type { Logger } from '../log/logger.js';
import type { TracingSettings } from './settings.js';
import { markTracingOn } from './state.js';

export interface Tracing {
  readonly enabled: boolean;
  /** Exports the spans still buffered and stops. */
  shutdown(): Promise<void>;
}

const OFF: Tracing = { enabled: false, shutdown: async () => {} };

/**
 * Registers the OpenTelemetry Node SDK (AsyncLocalStorage context, W3C propagation, a batching
 * OTLP/HTTP exporter, a parent-based ratio sampler) when `settings` says tracing is on. Off, it
 * loads nothing: the SDK modules are imported here only, and only then.
 */
export async function startTracing(
  settings: TracingSettings | undefined,
  resource: { version: string; role: string },
  logger: Logger,
): Promise<Tracing> {
  if (settings === undefined) return OFF;
  const [sdk, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const provider = new sdk.NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': settings.serviceName,
      'service.version': resource.version,
      'teambot.role': resource.role,
    }),
    sampler: new sdk.ParentBasedSampler({ root: new sdk.TraceIdRatioBasedSampler(settings.ratio) }),
    spanProcessors: [
      new sdk.BatchSpanProcessor(new OTLPTraceExporter({ url: settings.url, headers: settings.headers })),
    ],
  });
  provider.register();
  markTracingOn();
  logger.info(
    { url: settings.url, service: settings.serviceName, ratio: settings.ratio },
    'tracing is on (OTLP)',
  );
  return {
    enabled: true,
    async shutdown() {
      await provider.shutdown();
    },
  };
}
