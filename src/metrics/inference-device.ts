import { Gauge, type Registry } from 'prom-client';

export interface DeviceChoiceInfo {
  model: string;
  device: string;
  dtype?: string;
  reason: string;
}

/** `teambot_inference_device_info{model,device,dtype,reason}` = 1: what the engine runs on and why. */
export function reportInferenceDevice(registry: Registry, choice: DeviceChoiceInfo): void {
  const gauge =
    (registry.getSingleMetric('teambot_inference_device_info') as
      | Gauge<'model' | 'device' | 'dtype' | 'reason'>
      | undefined) ??
    new Gauge({
      name: 'teambot_inference_device_info',
      help: 'The execution provider the local engine chose, the weight variant and why; the value is always 1.',
      labelNames: ['model', 'device', 'dtype', 'reason'] as const,
      registers: [registry],
    });
  gauge.reset();
  gauge.set(
    { model: choice.model, device: choice.device, dtype: choice.dtype ?? 'n/a', reason: choice.reason },
    1,
  );
}
