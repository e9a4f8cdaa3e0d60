/**
 * Unknown fields (a typo such as `readinesProbe`, a field at the wrong level): the API server rejects
 * them under strict field validation, but the OpenAPI schemas do not. The same packages ship
 * TypeScript interfaces generated from those schemas, and TypeScript's excess-property check on an
 * object literal reports any field the interface does not have, at any depth. So the rendered objects
 * are type-checked, in memory, as literals of their interfaces.
 */
import { dirname, join } from 'node:path';
import ts from 'typescript';
import type { Manifest } from './chart.js';

const TYPES: Record<string, [module: string, type: string]> = {
  'apps/v1/Deployment': ['kubernetes-models/apps/v1/Deployment', 'IDeployment'],
  'apps/v1/StatefulSet': ['kubernetes-models/apps/v1/StatefulSet', 'IStatefulSet'],
  'autoscaling/v2/HorizontalPodAutoscaler': [
    'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
    'IHorizontalPodAutoscaler',
  ],
  'batch/v1/Job': ['kubernetes-models/batch/v1/Job', 'IJob'],
  'policy/v1/PodDisruptionBudget': [
    'kubernetes-models/policy/v1/PodDisruptionBudget',
    'IPodDisruptionBudget',
  ],
  'v1/ConfigMap': ['kubernetes-models/v1/ConfigMap', 'IConfigMap'],
  'v1/Secret': ['kubernetes-models/v1/Secret', 'ISecret'],
  'v1/Service': ['kubernetes-models/v1/Service', 'IService'],
  'v1/ServiceAccount': ['kubernetes-models/v1/ServiceAccount', 'IServiceAccount'],
  'keda.sh/v1alpha1/ScaledObject': ['@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject', 'IScaledObject'],
  'keda.sh/v1alpha1/TriggerAuthentication': [
    '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication',
    'ITriggerAuthentication',
  ],
  'monitoring.coreos.com/v1/ServiceMonitor': [
    '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor',
    'IServiceMonitor',
  ],
  'monitoring.coreos.com/v1/PrometheusRule': [
    '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule',
    'IPrometheusRule',
  ],
};

const ROOT = new URL('../../', import.meta.url).pathname;

/** Type errors of the objects as literals of their generated interfaces ([] when all fields are known). */
export function unknownFields(objects: Manifest[]): string[] {
  const file = join(ROOT, 'test/deploy/__rendered_manifests__.ts');
  const lines: string[] = [];
  const names: string[] = [];
  objects.forEach((object, i) => {
    const type = TYPES[`${object.apiVersion}/${object.kind}`];
    if (type === undefined) throw new Error(`no type for ${object.apiVersion} ${object.kind}`);
    lines.push(`import type { ${type[1]} as T${i} } from '${type[0]}';`);
    names.push(`${object.kind} ${object.metadata.name}`);
  });
  objects.forEach((object, i) => {
    lines.push(`export const o${i}: T${i} = ${JSON.stringify(object)};`);
  });
  const source = lines.join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, onError) =>
    name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, onError);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  host.getCurrentDirectory = () => dirname(file);
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file)
    .map((d) => {
      const line = d.file?.getLineAndCharacterOfPosition(d.start ?? 0).line ?? 0;
      const index = line - objects.length;
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      return `${names[index] ?? 'import'}: ${text}`;
    });
}
